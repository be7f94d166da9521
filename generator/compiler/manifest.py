"""output/manifest.json: what to upload, what to deploy where, and in which order."""

from __future__ import annotations

import hashlib
from collections import Counter

from ..core.exceptions import BuildError
from ..core.model import Catalogue
from . import versions
from .stack import Stack

FORMAT = "service-catalog-toolkit/manifest"
FORMAT_VERSION = 1


def deploy_order(stacks: list[Stack]) -> list[Stack]:
    """Dependencies first; among stacks that are ready at once, by name."""
    by_name = {s.id: s for s in stacks}
    if len(by_name) != len(stacks):  # validation refuses the config names that meet (checks/stack_names.py)
        twice = sorted(name for name, n in Counter(s.id for s in stacks).items() if n > 1)
        raise BuildError(f"two stacks share a name: {', '.join(twice)}")
    for s in stacks:
        missing = [d for d in s.depends_on if d not in by_name]
        if missing:
            raise BuildError(f"stack {s.id} depends on {missing}, which the build does not emit")
    done: list[Stack] = []
    placed: set[str] = set()
    while len(done) < len(stacks):
        ready = sorted(n for n, s in by_name.items() if n not in placed and set(s.depends_on) <= placed)
        if not ready:
            raise BuildError("stacks depend on each other in a cycle: " + ", ".join(sorted(set(by_name) - placed)))
        for name in ready:
            done.append(by_name[name])
            placed.add(name)
    return done


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document(cat: Catalogue, stacks: list[Stack], uploads: list[dict], files: dict[str, bytes]) -> dict:
    """The manifest as data, which ``render`` writes as json.dumps(indent=2, sort_keys=True) would (by orjson)."""
    ordered = deploy_order(stacks)
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "stack_prefix": cat.stack_prefix,
        "region": cat.region,
        "accounts": {a.role: {"id": a.id, "region": a.region} for a in cat.accounts},
        "config": {"path": "config.json", "sha256": sha256(files["config.json"])},
        # Values only the deployer knows (where the output was uploaded), by parameter name.
        "deploy_time_parameters": dict(sorted({k: v[len("<deploy-time: "):-1] for s in stacks for k, v in s.parameters.items()
                                               if isinstance(v, str) and v.startswith("<deploy-time: ")}.items())),
        "stacks": [
            {
                "order": i + 1,
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "template": s.path,
                "sha256": s.sha256,
                "account": s.account,
                "account_id": cat.account_id(s.account),
                "region": s.region,
                "parameters": s.parameters,
                "depends_on": list(s.depends_on),
                "capabilities": list(s.capabilities),
            }
            for i, s in enumerate(ordered)
        ],
        "uploads": sorted(uploads, key=lambda u: u["path"]),
        # What each published version's template is: the build refuses to change it (versions.guard).
        "versions": versions.section(uploads, *({(p.name, v.name): v.template.value for p in cat.products
                                                 for v in p.versions if v.template.kind == kind} for kind in ("url", "builtin"))),
        "files": {path: sha256(body) for path, body in sorted(files.items())},
    }
    return doc
