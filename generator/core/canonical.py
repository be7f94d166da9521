"""The same catalogue whatever the order of its lists in the YAML.

The compiled config (and so the Lambda bundles) and the model the compiler
reads must not change when a user reorders entries. One ordering serves
both: ``ordered`` sorts a list of entries by a key and yields each with its
position in the file, so that the model keeps pointing at the right line;
``canonical`` applies the same keys to plain data.

Lists whose order means something keep it: the assertions of a template
rule (the order a user reads their messages in) and the arguments of rule
functions (``Fn::Contains`` takes a list, then a value).

Ties between equal keys fall back to the entry's position: names are unique
in a valid catalogue, so the position decides only between entries a check
will refuse (two products named alike, two launch constraints on one
product), whose findings then follow the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any

Key = Callable[[Any], Any]  # a sort key for one entry


def _dumps(item) -> str:
    return json.dumps(item, sort_keys=True, default=str)


def by_name(field: str = "name") -> Key:
    """Entries named by ``field``: unique in a valid catalogue, so the name alone orders them."""
    return lambda item: str(item.get(field, "")) if isinstance(item, dict) else ""


# Kinds of constraint a product takes at most once per portfolio (checks refuse
# a second); among template constraints, which may be several, content orders.
_SINGLE_CONSTRAINTS = ("launch", "tag_update", "notifications", "stack_set")
_KINDS = ("launch", "template", "tag_update", "notifications", "stack_set")


def _constraint_head(item) -> tuple:
    if not isinstance(item, dict):
        return ("", "")
    for kind in _KINDS:
        if kind in item:
            return (str(item.get("product", "")), kind)
    return (str(item.get("product", "")), "")


def ordered(items: Iterable, key: Key) -> list[tuple[int, Any]]:
    """``(position in the file, entry)`` pairs in canonical order; equal keys keep the file's order."""
    items = list(items)
    keys = [key(item) for item in items]
    return [(i, items[i]) for i in sorted(range(len(items)), key=keys.__getitem__)]  # a stable sort


def by_constraint(items: Iterable) -> list[tuple[int, Any]]:
    """Constraints by product and kind; several template constraints on one product by their content."""
    items = list(items)
    heads = [_constraint_head(item) for item in items]
    out: list[tuple[int, Any]] = []
    for head, group in groupby(sorted(range(len(items)), key=heads.__getitem__), key=heads.__getitem__):
        positions = list(group)
        if len(positions) > 1 and head[1] not in _SINGLE_CONSTRAINTS:
            positions.sort(key=lambda i: _dumps(items[i]))
        out += [(i, items[i]) for i in positions]
    return out


class Names(tuple):
    """Plain values (names, ids, ARNs, regions) whose order means nothing, sorted.

    ``positions[i]`` is where the i-th value stood in the file, so that a
    check reporting on one value points at its own line (see ``indexed``).
    """

    positions: tuple[int, ...]

    def __new__(cls, items: Iterable[str] = ()):
        items = list(items)
        positions = sorted(range(len(items)), key=items.__getitem__)  # stable: equal values keep the file's order
        values = super().__new__(cls, [items[i] for i in positions])
        values.positions = tuple(positions)
        return values

    def __reduce__(self):  # copies and pickles keep the positions
        return _names_with_positions, (tuple(self), self.positions)


def _names_with_positions(values: tuple, positions: tuple) -> Names:
    out = tuple.__new__(Names, values)
    out.positions = positions
    return out


def names(items: Iterable[str]) -> Names:
    """A list of plain values (names, ids, ARNs, regions) whose order means nothing."""
    return Names(items)


def indexed(values) -> Iterable[tuple[int, Any]]:
    """(position in the file, value) for each value: ``enumerate`` for lists the model has sorted."""
    return zip(getattr(values, "positions", range(len(values))), values, strict=True)


def _sort(items: list, key: Key) -> list:
    return [item for _, item in ordered(items, key)]


def _sort_constraints(items: list) -> list:
    return [item for _, item in by_constraint(items)]


def canonical(data: dict) -> dict:
    """A deep copy of validated config data with every reorderable list in canonical order."""
    data = json.loads(json.dumps(data))  # a deep copy of plain data
    for key, field in (("principals", "name"), ("portfolios", "name"), ("products", "name"), ("tag_options", "key")):
        if key in data:
            data[key] = _sort(data[key], by_name(field))
    for option in data.get("tag_options", ()):
        option["values"] = list(names(option["values"]))
    for pf in data.get("portfolios", ()):
        for key in ("products", "principals", "tag_options"):
            if key in pf:
                pf[key] = list(names(pf[key]))
        if "constraints" in pf:
            pf["constraints"] = _sort_constraints(pf["constraints"])
        for key in ("accounts", "organizational_units"):
            if key in pf.get("share", {}):
                pf["share"][key] = list(names(pf["share"][key]))
        for c in pf.get("constraints", ()):
            for key in ("accounts", "regions"):
                if key in c.get("stack_set", {}):
                    c["stack_set"][key] = list(names(c["stack_set"][key]))
            if "notifications" in c:
                c["notifications"] = list(names(c["notifications"]))
    for product in data.get("products", ()):
        product["versions"] = _sort(product["versions"], by_name())
        if "tag_options" in product:
            product["tag_options"] = list(names(product["tag_options"]))
    hotfix = data.get("hotfix", {})
    if "repositories" in hotfix:
        hotfix["repositories"] = _sort(hotfix["repositories"], by_name())
        for repo in hotfix["repositories"]:
            for key in ("merge_into", "approvers", "approval_notifications"):
                if key in repo:
                    repo[key] = list(names(repo[key]))
    if "developers" in hotfix:
        hotfix["developers"] = list(names(hotfix["developers"]))
    targets = data.get("deploy", {}).get("stack_set", {})
    if "organizational_units" in targets:
        targets["organizational_units"] = list(names(targets["organizational_units"]))
    return data
