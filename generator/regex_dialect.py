"""Python ``re`` patterns rewritten for jsonschema-rs, matching exactly the same strings.

The JSON Schema's ``pattern`` keywords are written for, and checked by,
Python's ``re.search`` (that is what jsonschema runs). jsonschema-rs reads
them as ECMA-262 regular expressions, which differ where it matters here:
``$`` also matches before a final newline in Python and only at the end in
ECMA; Python's ``\\s`` includes U+001C..U+001F and not U+FEFF; ``\\d``, ``\\w``
and ``\\b`` are Unicode-wide in Python and ASCII in ECMA; ``.`` excludes only
``\\n`` in Python and every line terminator in ECMA.

``translate`` parses a pattern with Python's own parser and writes it back
with every such construct spelled out explicitly (``$`` as ``(?=\\n?$)``,
``.`` as ``[^\\n]``, ``\\s`` as Python's exact set, every character escaped),
so both engines read one meaning. What it cannot spell out exactly (``\\w``,
``\\d``, ``\\b``, flags, back-references) it declines with ``None``; the caller
then checks that pattern with ``re`` itself.
"""

from __future__ import annotations

import functools
from re import _constants as c
from re import _parser

# Python's \s on str: the characters str.isspace() accepts (Unicode 14, as
# CPython 3.11 ships). tests/test_fast_schema.py compares this with re's
# own \s over every code point, so a new Unicode release cannot slip past.
PYTHON_SPACE = ((0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
                (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000))


class Untranslatable(Exception):
    """A construct whose meaning differs between the engines and cannot be spelled out."""


@functools.lru_cache(maxsize=256)  # the inlined schema repeats each pattern where its definition is used
def translate(pattern: str) -> str | None:
    """The ECMA-262 spelling of ``pattern`` with Python's meaning, or None."""
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & ~c.SRE_FLAG_UNICODE:  # (?i), (?m), (?s), (?x), (?a)...
            return None
        return _sequence(parsed)
    except Exception:  # Untranslatable, or a pattern re itself rejects: leave it to re
        return None


def _char(code: int) -> str:
    if code < 0x80:
        ch = chr(code)
        return ch if ch.isalnum() else f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\u{{{code:x}}}"


def _space_ranges() -> str:
    return "".join(_char(lo) if lo == hi else f"{_char(lo)}-{_char(hi)}" for lo, hi in PYTHON_SPACE)


def _class(items) -> str:
    categories = {av for op, av in items if op is c.CATEGORY}
    if {c.CATEGORY_SPACE, c.CATEGORY_NOT_SPACE} <= categories:  # [\s\S]: every character, in either dialect
        return r"[^\s\S]" if (c.NEGATE, None) in items else r"[\s\S]"
    negate = False
    parts = []
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            parts.append(_char(av))
        elif op is c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is c.CATEGORY and av is c.CATEGORY_SPACE:
            parts.append(_space_ranges())
        elif op is c.CATEGORY and av is c.CATEGORY_NOT_SPACE and len(items) == 1 + negate:
            # [\S] or \S alone: the complement of Python's spaces; [^\S] is the set itself
            return f"[{'' if negate else '^'}{_space_ranges()}]"
        else:  # \d \w and their complements, or \S mixed with others
            raise Untranslatable(op)
    return f"[{'^' if negate else ''}{''.join(parts)}]"


def _sequence(items) -> str:
    return "".join(_item(op, av) for op, av in items)


def _group(items) -> str:
    if len(items) == 1 and items[0][0] in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
        return _sequence(items)  # one character: no group needed
    return f"(?:{_sequence(items)})"


_REPEATS = {c.MAX_REPEAT: "", c.MIN_REPEAT: "?"}
_SHORT = {(0, c.MAXREPEAT): "*", (1, c.MAXREPEAT): "+", (0, 1): "?"}
_ANCHORS = {c.AT_BEGINNING: "^", c.AT_BEGINNING_STRING: "^", c.AT_END: r"(?=\n?$)", c.AT_END_STRING: "$"}


def _item(op, av) -> str:
    if op is c.LITERAL:
        return _char(av)
    if op is c.NOT_LITERAL:
        return f"[^{_char(av)}]"
    if op is c.ANY:
        return r"[^\n]"
    if op is c.IN:
        return _class(av)
    if op is c.AT and av in _ANCHORS:
        return _ANCHORS[av]
    if op is c.SUBPATTERN:
        _, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            raise Untranslatable(op)
        return _group(sub)
    if op is c.BRANCH:
        return "(?:" + "|".join(_sequence(branch) for branch in av[1]) + ")"
    if op in _REPEATS:
        low, high, sub = av
        bound = _SHORT.get((low, high)) or (f"{{{low},}}" if high is c.MAXREPEAT else f"{{{low},{high}}}")
        return _group(sub) + bound + _REPEATS[op]
    if op in (c.ASSERT, c.ASSERT_NOT):
        direction, sub = av
        kind = ("=" if op is c.ASSERT else "!") if direction == 1 else ("<=" if op is c.ASSERT else "<!")
        return f"(?{kind}{_sequence(sub)})"
    raise Untranslatable(op)  # back-references, conditionals, \b, atomic groups, possessive repeats
