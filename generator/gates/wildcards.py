"""IAM wildcards: ``*`` matches any run of characters, ``?`` exactly one, everything else itself.

The same rule serves actions (case-insensitive), resources and ARN
conditions (case-sensitive) and ``StringLike`` (case-sensitive); source:
IAM User Guide, "IAM JSON policy elements: Resource" and "Condition
operators" (string and ARN condition operators).
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8192)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern:
    body = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def matches(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """Whether ``value`` is one of the strings the IAM pattern stands for."""
    return _compiled(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Actions are case-insensitive (IAM User Guide, "IAM JSON policy elements: Action")."""
    return matches(pattern, action, ignore_case=True)


def arn_matches(pattern: str, arn: str) -> bool:
    """ArnLike: each of the six colon-separated fields is matched on its own, so a ``*`` never spans a colon
    of the first five fields (IAM User Guide, "Amazon Resource Name (ARN) condition operators")."""
    if pattern == "*":
        return True
    p_parts, a_parts = pattern.split(":", 5), arn.split(":", 5)
    if len(p_parts) != 6 or len(a_parts) != 6:
        return matches(pattern, arn)
    return all(matches(p, a) for p, a in zip(p_parts, a_parts, strict=True))
