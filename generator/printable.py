"""Text from a config or an event, made safe to print on one line.

A name or value can hold a newline (and so forge a ``FILE:1:1: error:`` line
or a GitHub ``::`` command on the next one), an escape sequence (ESC, CSI,
OSC, the C1 controls: clear the screen, retitle the terminal, hide text), or
a bidirectional override that shows a reader something else than the bytes.
Every command prints such text through ``printable`` (or ``json_text``), which
writes each of these characters as a visible escape: ``\\n``, ``\\x1b``,
``\\u202e``. Unicode categories, not a hand list: Cc (C0, DEL, C1), Cf
(format: bidi controls, zero-width characters), Cs (lone surrogates, which
no encoder writes), Zl and Zp (line and paragraph separators).
"""

from __future__ import annotations

import functools
import json
import unicodedata

UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: object) -> str:
    """``text`` as one line without control or format characters."""
    text = str(text)
    if text.isprintable():  # C speed; false for every unsafe category (and for harmless spaces)
        return text
    return "".join(_escape(ch) if unsafe(ch) else ch for ch in text)


def printable_lines(function):
    """For a function that returns the lines of a report: each line made ``printable``.

    For reports of what AWS answers (stack status, branch names, tags, dead
    letters): one record per line whatever the answer holds.
    """
    @functools.wraps(function)
    def lines(*args, **kwargs) -> list[str]:
        return [printable(line) for line in function(*args, **kwargs)]

    return lines


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes astral characters as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(value, **options) -> str:
    """JSON that keeps readable Unicode but escapes every unsafe character.

    ``json.dumps`` escapes only C0 controls when ``ensure_ascii`` is off; the
    rest (DEL, C1, bidi controls, separators, lone surrogates) is written as
    a ``\\uXXXX`` escape, which is the same JSON value.
    """
    text = json.dumps(value, ensure_ascii=False, **options)
    if text.isprintable():
        return text
    # Outside strings JSON is ASCII, and the only unsafe characters json.dumps
    # itself writes are the newlines of indent: keep those.
    return "".join(_json_escape(ch) if ch != "\n" and unsafe(ch) else ch for ch in text)
