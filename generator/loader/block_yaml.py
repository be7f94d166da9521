"""Plain block YAML read without PyYAML: the shape almost every configuration has, at a fraction of the cost.

A catalogue is written as nested block mappings and lists of one-line
values. libyaml reads 1,000 products in about 45 ms, importing PyYAML
included; this reader, one pass over the lines, in about a third of that.

It is an accelerator, never a second opinion: ``read`` returns what
``yaml_source.load_text`` would (the same data, built by the same rules)
or ``None``, and then PyYAML reads the file as before, reporting whatever
is wrong with it. So it gives up at the first thing outside a deliberately
small subset of YAML, rather than deciding anything PyYAML might decide
otherwise:

- only block mappings and block lists (also a list written at its key's
  indentation, and lists in lists: "- - a"), one entry per line;
- one-line values: plain, single quoted, or double quoted without
  escapes; an empty value is null;
- comments on their own line or after a value;
- keys that are plain or quoted strings, each once per mapping; a plain
  key holds no number sign, and does not start with '...' (a document end
  marker at the start of a line);
- a plain value is a string unless YAML 1.1 might make it something else.
  The words that are booleans or null, and decimal integers, are read;
  anything that might be another number or a merge key is left to PyYAML.
  A version such as 1.0.0 is a string, and so is a date (yaml_source
  keeps it as written);
- flow collections only as a one-line list of such values ([a, 'b', 1])
  or an empty mapping ({}); no block scalars (|, >), anchors, aliases,
  tags, directives, document markers, values on more than one line, tabs,
  carriage returns but in Windows line ends (CR LF), or characters YAML
  refuses;
- within the reader's limits (MAX_NODES values, MAX_DEPTH levels).

tests/test_block_yaml.py holds it to PyYAML's answer over the fixtures and
generated documents, and to giving up on each construct outside the subset.
"""

from __future__ import annotations

import re

from .problem import MAX_DEPTH, MAX_NODES

# What YAML 1.1 does not allow in a document (libyaml's reader refuses it), or reads in a way this
# reader does not: tabs, carriage returns, NEL and the Unicode line and paragraph separators (line
# breaks to YAML 1.1), a byte order mark after the start.
_OUTSIDE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")

# A plain scalar may not start with an indicator (a dash is checked on its own).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")

# The first characters of YAML 1.1's implicit types other than strings (PyYAML's resolver): only a
# plain scalar starting with one of these can be anything but a string.
_TYPED_STARTS = frozenset("yYnNtTfFoO-+0123456789.<~=")
_TRUE = frozenset(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"))
_FALSE = frozenset(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"))
_NULL = frozenset(("~", "null", "Null", "NULL"))
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# Every character an int, float or timestamp of YAML 1.1 can contain: a scalar with another one is a
# string whatever it starts with (a cheap test: most strings stop here).
_NUMBERISH = re.compile(r"[-+0-9._:eEbBoOxXa-fA-FtTzZ iInN]*")
# The ints and floats of YAML 1.1, a little wider than PyYAML's resolver (its patterns in
# yaml/resolver.py, after yaml.org/type/int.html and float.html): what matches might not be a string
# and is left to PyYAML; what does not ('1.0.0', '1e3', '1.2-rc', '0x') is a string there too. A
# timestamp needs no pattern: yaml_source keeps it as written, the string this reader makes of it.
# tests/test_block_yaml.py holds it to PyYAML's answer over every form of each.
# An int's leading zero makes it octal: '08' is a string to PyYAML, and is read here.
_MAYBE_NUMBER = re.compile(r"""[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*(?::[0-5]?[0-9])*)"""  # int, base 2, 8, 10, 16 or 60
                           r"""|[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*)?\.[0-9_]*(?:[eE][-+][0-9]+)?"""  # float, base 10 or 60
                           r"""|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)""")
_MAX_NUMBER = 64  # longer and number-like: left to PyYAML without matching (the patterns repeat groups)
_MAX_INT = 2**63 - 1
_MAX_INT_LITERAL = 80
_MAX_KEY = 200  # libyaml finds a key only within 1,024 characters (here: up to 4 bytes each) of its colon


# One line: its indentation, a list item's dash, a key and its colon, the rest. A plain key starts
# with no indicator and holds no number sign, nor a colon but one followed by more of the key
# (Fn::If); a quoted key has no escapes, and few spaces before its colon. Every part of a key is
# bounded (a longer key is refused anyway): a 5 MB line of 'a:a:a...' or quotes costs the match
# a few hundred steps, not one group per colon (seconds). 200 is _MAX_KEY.
_LINE = re.compile(r"""( *)(-(?: +|$))?(?:([^\s'"#\-?:,\[\]{}&*!|>%@`][^:#]{0,200}(?::{1,16}[^ :#][^:#]{0,200}){0,16}"""
                   r"""|'(?:[^']|''){0,200}'|"[^"\\]{0,200}") {0,16}:(?: +|$))?(.*)""")
# What a plain value starts with when it is not simply itself: an indicator, a quote, or the start of another type.
_SPECIAL = _INDICATORS | _TYPED_STARTS
_QUOTES = re.compile("'+")
_DEEPEST = MAX_DEPTH - 2  # open collections: a value inside the innermost is one level deeper


class _Refused(Exception):
    """Outside the subset: PyYAML reads this document."""


def read(text: str):
    """The document's data, as ``yaml_source.load_text`` builds it; None when PyYAML must read it."""
    if "\r" in text:
        # Windows line ends: a line break to YAML like any other, and no one-line value holds one.
        # A carriage return anywhere else is left to PyYAML.
        text = text.replace("\r\n", "\n")
    if not text or _OUTSIDE.search(text):
        return None
    try:
        return _read(text.split("\n"))
    except (_Refused, RecursionError):
        return None


def _scalar(value: str):
    """A plain scalar's value: a string unless YAML 1.1 resolves it otherwise."""
    if value[0] not in _TYPED_STARTS:
        return value
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value in _NULL:
        return None
    if _DECIMAL.fullmatch(value):
        if len(value) > _MAX_INT_LITERAL:
            raise _Refused
        number = int(value)
        if not -_MAX_INT <= number <= _MAX_INT:
            raise _Refused  # PyYAML's path reports it
        return number
    if value[0] in "<=":
        raise _Refused  # a merge key or a value key
    if value[0] in "-+0123456789." and _NUMBERISH.fullmatch(value) and (len(value) > _MAX_NUMBER or _MAYBE_NUMBER.fullmatch(value)):
        raise _Refused  # maybe a number
    return value


def _value(text: str):
    """A one-line value: ``text`` starts after the indicator and its spaces, with no newline."""
    first = text[0]
    if first == "'" or first == '"':
        value, rest = _quoted(text)
        if rest and rest.strip(" ") and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
            raise _Refused  # something after the closing quote other than a comment
        return value
    if first in _INDICATORS and not (first == "-" and len(text) > 1 and text[1] != " "):
        if first == "[":
            return _flow_list(_uncomment(text))
        if _uncomment(text) == "{}":
            return {}
        raise _Refused  # a flow mapping, a block scalar, an anchor, an alias, a tag...
    text = _uncomment(text)
    if ": " in text or text[-1] == ":":
        raise _Refused  # a second key on the line: an error, for PyYAML to report
    return _scalar(text) if first in _TYPED_STARTS else text


def _flow_list(text: str) -> list:
    """A one-line flow list of scalars ([a, 'b', 1]), or _Refused."""
    inside = text[1:-1]
    if text[-1] != "]" or any(c in inside for c in "[]{}:#"):
        raise _Refused  # on several lines, nested, with a mapping, a comment or anything else a scalar's rules make subtle
    if not inside.strip(" "):
        return []
    items = []
    for item in inside.split(","):
        item = item.strip(" ")
        if not item:
            raise _Refused  # an empty entry, or a trailing comma
        if item[0] == "'" or item[0] == '"':
            value, rest = _quoted(item)
            if rest:
                raise _Refused  # a comma inside the quotes, or more after them
            items.append(value)
        elif item[0] in _INDICATORS:
            raise _Refused
        else:
            items.append(_scalar(item))
    return items


def _uncomment(text: str) -> str:
    cut = text.find(" #")
    return (text[:cut] if cut >= 0 else text).rstrip(" ")


def _quoted(text: str) -> tuple[str, str]:
    """A one-line quoted scalar at the start of ``text``, and what follows it."""
    quote = text[0]
    if quote == "'":
        end = 1
        while True:  # each run of quotes is pairs (escaped quotes), then the closing one if it is odd
            end = text.find("'", end)
            if end < 0:
                raise _Refused  # continues on the next line
            run = _QUOTES.match(text, end).end()
            if (run - end) % 2:
                end = run - 1
                break
            end = run
        return text[1:end].replace("''", "'"), text[end + 1:]
    end = text.find('"', 1)
    if end < 0 or "\\" in text[1:end]:
        raise _Refused  # on several lines, or with escapes
    return text[1:end], text[end + 1:]


def _key(text: str) -> str:
    if text[0] == "'":
        return text[1:-1].replace("''", "'")
    if text[0] == '"':
        return text[1:-1]
    text = text.rstrip(" ")  # the spaces before its colon
    if text[0] in _TYPED_STARTS and (text.startswith("...") or _scalar(text).__class__ is not str):
        # A key that is not a string: PyYAML's path says so. '... ' at the start of a line ends the
        # document (libyaml's scanner), wherever it stands here: this cache of keys knows no columns.
        raise _Refused
    return text


def _read(lines: list[str]) -> dict:
    """The document of ``lines``, or _Refused.

    The open collections form a stack: ``current`` is the innermost, at
    ``column``, with ``pending`` the key whose value starts on a following
    line; ``outer`` holds the others (their pending key already has its value).
    """
    match = _LINE.match
    outer: list = []
    current = None
    column = 0
    pending = None
    in_list = False
    count = 0
    names: dict[str, str] = {}  # a key as written: as read (most keys recur on every product)
    for line in lines:
        indent, dash, key, rest = match(line).groups()
        if dash is None and key is None:
            if not rest or rest[0] == "#":
                continue  # a blank line or a comment
            raise _Refused  # a value where a key belongs: a value on several lines, a document marker, an error
        at = len(indent)
        if current is None:
            if dash is not None:
                raise _Refused  # the root is a list: PyYAML says it must be a mapping
            root = current = {}
            column = at
            count = 1
        while at < column:  # close what this line is to the left of
            if pending is not None:
                pending = None  # stays None: an empty value is null
                count += 1
            if not outer:
                raise _Refused  # something after the root mapping
            current, column = outer.pop()
            in_list = current.__class__ is list
        if dash is not None:
            if in_list:
                if column != at:
                    raise _Refused
            else:
                if pending is None or at < column:
                    raise _Refused
                items: list = []
                current[pending] = items
                outer.append((current, column))
                current, column, pending, in_list = items, at, None, True
                count += 1
            count += 1
            while key is None and rest[:1] == "-" and rest[1:2] in ("", " "):  # a list in a list: - - a
                items = []
                current.append(items)
                outer.append((current, column))
                current, column = items, at + len(dash)
                at = column
                _, dash, key, rest = match(rest).groups()
                count += 1
                if len(outer) >= _DEEPEST:
                    raise _Refused
            if key is None:
                if not rest or rest[0] == "#":
                    raise _Refused  # the item is on the following lines
                # As for a key's value below, inline: a call for every value is 6% of the read.
                if rest[0] in _SPECIAL or rest[-1] in ": " or ": " in rest or " #" in rest:
                    value = _value(rest)
                    if value.__class__ is list:
                        count += len(value)  # a flow list's entries
                    current.append(value)
                else:
                    current.append(rest)
                continue
            mapping: dict = {}
            current.append(mapping)
            outer.append((current, column))
            current, column, pending, in_list = mapping, at + len(dash), None, False
            if len(outer) >= _DEEPEST:
                raise _Refused
        else:
            if in_list:
                if column != at:
                    raise _Refused
                current, column = outer.pop()  # a list written at its key's indentation ends here
                in_list = current.__class__ is list
            if column != at:
                if pending is None or at < column:
                    raise _Refused
                mapping = {}
                current[pending] = mapping
                outer.append((current, column))
                current, column, pending = mapping, at, None
                count += 1
                if len(outer) >= _DEEPEST:
                    raise _Refused
            elif pending is not None:
                pending = None
                count += 1
        name = names.get(key)
        if name is None:
            if len(key) > _MAX_KEY:
                raise _Refused
            name = names[key] = _key(key)
        key = name
        if key in current:
            raise _Refused  # PyYAML's path reports every duplicate
        if not rest or rest[0] == "#":
            current[key] = None
            pending = key
        else:
            if rest[0] in _SPECIAL or rest[-1] in ": " or ": " in rest or " #" in rest:
                value = _value(rest)
                if value.__class__ is list:
                    count += len(value)
                current[key] = value
            else:
                current[key] = rest
            count += 1
    if current is None:
        raise _Refused  # nothing but comments: PyYAML says the file is empty
    if pending is not None:
        count += 1
    if count > MAX_NODES:
        raise _Refused
    return root
