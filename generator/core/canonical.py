"""The same catalogue whatever the order of its lists in the YAML.

The compiled config (and so the Lambda bundles) must not change when a user
reorders entries: lists of named entries are sorted by name, lists of names
sorted; rule bodies (CloudFormation functions) keep their order, which means
something.
"""

from __future__ import annotations

import json


def _by(key):
    return lambda item: (str(item.get(key, "")), json.dumps(item, sort_keys=True))


def canonical(data: dict) -> dict:
    """A deep copy of validated config data with every reorderable list in canonical order."""
    data = json.loads(json.dumps(data))  # a deep copy of plain data
    for key, field in (("principals", "name"), ("portfolios", "name"), ("products", "name"), ("tag_options", "key")):
        if key in data:
            data[key] = sorted(data[key], key=_by(field))
    for option in data.get("tag_options", ()):
        option["values"] = sorted(option["values"])
    for pf in data.get("portfolios", ()):
        for key in ("products", "principals", "tag_options"):
            if key in pf:
                pf[key] = sorted(pf[key])
        if "constraints" in pf:
            pf["constraints"] = sorted(pf["constraints"], key=_by("product"))
        for key in ("accounts", "organizational_units"):
            if key in pf.get("share", {}):
                pf["share"][key] = sorted(pf["share"][key])
        for c in pf.get("constraints", ()):
            for key in ("accounts", "regions"):
                if key in c.get("stack_set", {}):
                    c["stack_set"][key] = sorted(c["stack_set"][key])
            if "notifications" in c:
                c["notifications"] = sorted(c["notifications"])
    for product in data.get("products", ()):
        product["versions"] = sorted(product["versions"], key=_by("name"))
        if "tag_options" in product:
            product["tag_options"] = sorted(product["tag_options"])
    hotfix = data.get("hotfix", {})
    if "repositories" in hotfix:
        hotfix["repositories"] = sorted(hotfix["repositories"], key=_by("name"))
        for repo in hotfix["repositories"]:
            for key in ("merge_into", "approvers", "approval_notifications"):
                if key in repo:
                    repo[key] = sorted(repo[key])
    if "developers" in hotfix:
        hotfix["developers"] = sorted(hotfix["developers"])
    return data
