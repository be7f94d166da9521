"""IAM wildcards: ``*`` matches any run of characters, ``?`` exactly one, everything else itself.

The same rule serves actions (case-insensitive), resources and ARN
conditions (case-sensitive) and ``StringLike`` (case-sensitive); source:
IAM User Guide, "IAM JSON policy elements: Resource" and "Condition
operators" (string and ARN condition operators).

Resources and condition values may hold policy variables (IAM User Guide,
"IAM policy elements: Variables and tags"): ``${aws:username}`` stands for
that key's value in the request, taken literally (its ``*`` and ``?`` are
no wildcards); ``${*}``, ``${?}`` and ``${$}`` are the literal characters.
A variable whose key the request does not carry cannot be matched either
way: ``Unknown`` is raised, and the caller treats the statement as unproven.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LITERALS = {"*": "*", "?": "?", "$": "$"}


class Unknown(Exception):
    """A policy variable whose key the request does not carry."""


def _fragment(pattern: str, wildcards: bool = True) -> str:
    if not wildcards:
        return re.escape(pattern)
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)


@lru_cache(maxsize=8192)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern:
    return re.compile(_fragment(pattern), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _with_variables(pattern: str, value: str, variables, ignore_case: bool, wildcards: bool = True) -> bool:
    parts = []
    last = 0
    for m in _VARIABLE.finditer(pattern):
        parts.append(_fragment(pattern[last:m.start()], wildcards))
        name = m.group(1)
        if name in _LITERALS:
            parts.append(re.escape(_LITERALS[name]))
        else:
            actual = variables(name) if variables else None
            if actual is None or isinstance(actual, (list, tuple)):
                raise Unknown(name)
            parts.append(re.escape(str(actual)))
        last = m.end()
    parts.append(_fragment(pattern[last:], wildcards))
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch("".join(parts), value, flags) is not None


def equals(pattern: str, value: str, ignore_case: bool = False, variables=None) -> bool:
    """StringEquals and StringEqualsIgnoreCase: no wildcards, but policy variables."""
    if "${" in pattern:
        return _with_variables(pattern, value, variables, ignore_case, wildcards=False)
    return pattern.lower() == value.lower() if ignore_case else pattern == value


def matches(pattern: str, value: str, ignore_case: bool = False, variables=None) -> bool:
    """Whether ``value`` is one of the strings the IAM pattern stands for.

    ``variables(key)`` gives a policy variable's value, or None when the request does not carry the key."""
    if "${" in pattern:
        return _with_variables(pattern, value, variables, ignore_case)
    return _compiled(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Actions are case-insensitive (IAM User Guide, "IAM JSON policy elements: Action")."""
    return matches(pattern, action, ignore_case=True)


def _fields(text: str) -> list[str]:
    """The six colon-separated fields of an ARN; a colon inside ``${...}`` (``${aws:username}``) separates nothing."""
    masked = _VARIABLE.sub(lambda m: m.group(0).replace(":", "\0"), text)
    return [part.replace("\0", ":") for part in masked.split(":", 5)]


def arn_matches(pattern: str, arn: str, variables=None, condition: bool = False) -> bool:
    """ArnLike: each of the six colon-separated fields is matched on its own, so a ``*`` never spans a colon
    of the first five fields (IAM User Guide, "Amazon Resource Name (ARN) condition operators"); in a
    condition, a pattern without six fields matches no ARN."""
    if pattern == "*":
        return True
    p_parts, a_parts = _fields(pattern), arn.split(":", 5)
    if len(p_parts) != 6 or len(a_parts) != 6:
        return False if condition else matches(pattern, arn, variables=variables)
    return all(matches(p, a, variables=variables) for p, a in zip(p_parts, a_parts, strict=True))
