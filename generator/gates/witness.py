"""Concrete stand-ins for values only AWS or a user decides: parameters, generated ids.

The gates check policies by instantiating every template with concrete
values and matching concrete ARNs, so a grant is tested against the value
a resource really gets. Where the value is open, a witness is used: the
longest string a parameter's AllowedPattern admits (the case that breaks
truncation, such as CodePipeline's 20-character artifact folder), a
deterministic id in the format the service documents.
"""

from __future__ import annotations

import hashlib

try:  # Python 3.11+
    import re._parser as sre_parse
    from re._constants import MAXREPEAT
except ImportError:  # pragma: no cover
    import sre_parse
    from sre_constants import MAXREPEAT

UNBOUNDED = 8  # how many times to repeat a "*" or "+" in a witness
_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " ", "CATEGORY_NOT_DIGIT": "a",
             "CATEGORY_NOT_WORD": "-", "CATEGORY_NOT_SPACE": "a"}
_PREFERRED = "a0-"


def digest(*parts: str, length: int = 12) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:length]


def _in(items) -> str:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    allowed: list[str] = []
    excluded: set[str] = set()
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            (excluded.add if negate else allowed.append)(chr(arg))
        elif name == "RANGE":
            chars = [chr(c) for c in range(arg[0], min(arg[1], arg[0] + 200) + 1)]
            (excluded.update if negate else allowed.extend)(chars)
        elif name == "CATEGORY":
            allowed.append(_CATEGORY.get(str(arg), "a"))
    if negate:
        return next(c for c in _PREFERRED + "bcdefghijklmnopqrstuvwxyz123456789" if c not in excluded)
    for preferred in _PREFERRED:
        if preferred in allowed:
            return preferred
    return allowed[0] if allowed else "a"


def _walk(parsed) -> str:
    out = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if arg != ord("a") else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_in(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = UNBOUNDED if high == MAXREPEAT else high
            out.append(_walk(sub) * max(low, count))
        elif name == "SUBPATTERN":
            out.append(_walk(arg[-1]))
        elif name == "BRANCH":
            out.append(_walk(arg[1][0]))
        elif name == "CATEGORY":
            out.append(_CATEGORY.get(str(arg), "a"))
        # AT (anchors), ASSERT and ASSERT_NOT (lookarounds) consume nothing
    return "".join(out)


def longest(pattern: str) -> str:
    """A long string the pattern admits: every bounded repeat at its maximum, the first alternative."""
    return _walk(sre_parse.parse(pattern))


def parameter_value(name: str, spec: dict) -> str:
    """A witness for a template parameter: its default, else the longest its pattern admits, else a typed stand-in."""
    if "Default" in spec:
        default = spec["Default"]
        return ",".join(map(str, default)) if isinstance(default, list) else str(default)
    if spec.get("AllowedValues"):
        return str(spec["AllowedValues"][0])
    kind = spec.get("Type", "String")
    if kind == "AWS::EC2::VPC::Id":
        return "vpc-0" + digest(name, length=16)
    if kind == "List<AWS::EC2::Subnet::Id>":
        return ",".join("subnet-0" + digest(name, str(i), length=16) for i in range(2))
    if kind == "Number":
        return str(spec.get("MinValue", 1))
    if spec.get("AllowedPattern"):
        return longest(spec["AllowedPattern"])
    return f"{name.lower()}-value"
