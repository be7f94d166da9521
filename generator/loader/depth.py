"""Refusing documents that nest too deeply, before libyaml's recursive composer sees them."""

from __future__ import annotations

import re

import yaml

from .problem import MAX_DEPTH, LoadProblem
from .problem import Loader as _Loader

_BRACKETS = re.compile(r"[\[\]{}]")
_INLINE_BLOCKS = re.compile(r"(?:[-?][ \t]+){16,}")
# Two of _INLINE_BLOCKS's steps in a row: rarer, and four times quicker to rule out.
_TWO_INLINE_BLOCKS = re.compile(r"[-?][ \t]+[-?][ \t]")


def _flow_bound(text: str) -> int:
    """Deepest [ { nesting, counting brackets inside quotes too: an upper bound, cheap in C."""
    openers = text.count("[") + text.count("{")
    if openers <= MAX_DEPTH:  # cannot nest deeper than it opens
        return openers
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > deepest:
            deepest = depth
            if deepest > MAX_DEPTH:
                break
    return deepest


def guard_depth(text: str) -> None:
    """Refuse documents that nest deeper than MAX_DEPTH before libyaml composes them.

    libyaml's composer recurses in C: a few hundred thousand nested brackets
    crash the process (seen with PyYAML 6.0.3). Only when a cheap bound says
    the document might be deep are its tokens counted exactly, stopping at
    the limit, so ordinary files pay almost nothing.
    """
    if _flow_bound(text) <= MAX_DEPTH and not (_TWO_INLINE_BLOCKS.search(text) and _INLINE_BLOCKS.search(text)):
        return
    loader = _Loader(text)
    depth = 0
    try:
        while (token := loader.get_token()) is not None:
            kind = type(token).__name__
            if kind in _OPENING:
                depth += 1
                if depth > MAX_DEPTH:
                    mark = token.start_mark
                    raise LoadProblem("yaml/too-deep", f"document nests deeper than {MAX_DEPTH} levels",
                                      mark.line + 1, mark.column + 1)
            elif kind in _CLOSING:
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in (exc.problem or ""):  # newer libyaml stops deep documents itself
            mark = exc.problem_mark
            raise LoadProblem("yaml/too-deep", f"document nests deeper than {MAX_DEPTH} levels",
                              mark.line + 1 if mark else 1, mark.column + 1 if mark else 1) from None
        return  # compose reports other syntax errors with their position
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


_OPENING = {"BlockSequenceStartToken", "BlockMappingStartToken", "FlowSequenceStartToken", "FlowMappingStartToken"}
_CLOSING = {"BlockEndToken", "FlowSequenceEndToken", "FlowMappingEndToken"}
