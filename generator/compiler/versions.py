"""A published version never changes: each version's template fingerprint, and the guard that keeps it.

Service Catalog reads a provisioning artifact's template once, when the
version is created; a changed template under an existing version is a
silent no-op for every product provisioned from it (and for every later
launch of that version). The manifest records each version's fingerprint
(the sha256 of a template the build writes, the URL of one published
elsewhere); ``build`` refuses a config that would change a recorded one,
and ``diff`` reports it. Standard library only: ``diff`` and ``build`` call
it without the compiler.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..core.exceptions import BuildError, UsageError

FLAG = "--allow-version-change"


@dataclass(frozen=True)
class VersionChange:
    """A published version whose template the build would change."""

    product: str
    version: str
    before: str
    after: str
    builtin: str = ""  # the built-in template this toolkit now renders differently
    template: str = ""  # where the build writes it under output/

    @property
    def key(self) -> str:
        return f"{self.product}@{self.version}"

    def message(self) -> str:
        fix = (f"publish the change as a new version of '{self.product}'" if not self.builtin else
               f"this toolkit renders 'builtin: {self.builtin}' differently now: if '{self.version}' was deployed, keep "
               f"its published template by copying the previous {self.template} next to the config and making "
               f"'{self.version}' a 'file:' version, then add a new version with 'builtin: {self.builtin}'")
        return (f"template of product '{self.product}' version '{self.version}' changed ({_short(self.before)} -> "
                f"{_short(self.after)}): Service Catalog never reads a published version's template again, so products "
                f"provisioned from it would silently keep the old one; {fix}, or pass {FLAG} {self.key} if "
                f"'{self.version}' was never deployed")


def _short(fingerprint: str) -> str:
    return fingerprint if fingerprint.startswith("url ") else f"sha256 {fingerprint[:12]}"


def section(uploads: list[dict], url_versions: dict[tuple[str, str], str], builtins: dict[tuple[str, str], str]) -> dict:
    """The manifest's ``versions``: product -> version -> {"template", "sha256"[, "builtin"]} or {"url"}."""
    out: dict[str, dict[str, dict]] = {}
    for u in uploads:
        if "product" in u:
            entry = {"template": u["path"], "sha256": u["sha256"]}
            if (u["product"], u["version"]) in builtins:
                entry["builtin"] = builtins[(u["product"], u["version"])]
            out.setdefault(u["product"], {})[u["version"]] = entry
    for (product, version), url in url_versions.items():
        out.setdefault(product, {})[version] = {"url": url}
    return {p: dict(sorted(vs.items())) for p, vs in sorted(out.items())}


def fingerprints(manifest: dict) -> dict[tuple[str, str], str]:
    """(product, version) -> fingerprint; manifests written before ``versions`` existed give their uploads'."""
    if isinstance(manifest.get("versions"), dict):
        return {(p, v): entry["sha256"] if "sha256" in entry else f"url {entry['url']}"
                for p, vs in manifest["versions"].items() for v, entry in vs.items()}
    return {(u["product"], u["version"]): u["sha256"] for u in manifest.get("uploads", []) if "product" in u}


def changes(previous: dict, current: dict) -> list[VersionChange]:
    """Versions present in both manifests whose template differs."""
    before, after = fingerprints(previous), fingerprints(current)
    entries = current.get("versions", {})
    return [VersionChange(p, v, before[(p, v)], after[(p, v)], entries.get(p, {}).get(v, {}).get("builtin", ""),
                          entries.get(p, {}).get(v, {}).get("template", ""))
            for p, v in sorted(set(before) & set(after)) if before[(p, v)] != after[(p, v)]]


def previous_manifest(output: Path) -> dict | None:
    """The manifest of the output a build would replace; None when there is none yet.

    Read through ``previous_output`` like every other reader of a previous build.
    """
    from ..core.exceptions import InputError
    from ..previous_output import manifest

    folder = Path(output)
    if not os.path.lexists(folder):
        from ..output_writer import parked_build

        folder = parked_build(folder)  # another build is between the two renames of its swap: compare with what it parked
    if folder is None or not os.path.lexists(folder / "manifest.json"):
        return None
    try:
        doc = manifest(folder)
        fingerprints(doc)
        return doc
    except (InputError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BuildError(f"{exc}, which the build needs to keep every published version's template unchanged: restore "
                         f"it (git checkout), or, if nothing was ever deployed from {output}/, pass --force to replace "
                         f"the folder anyway") from None


def allowed(values: list[str]) -> set[str]:
    """The versions named by ``--allow-version-change``, each PRODUCT@VERSION."""
    for value in values:
        product, at, version = value.partition("@")
        if not (product and at and version):
            raise UsageError(f"{FLAG} takes PRODUCT@VERSION (for example main-pipeline@v2), not {value!r}")
    return set(values)


def guard(previous: dict | None, current: dict, allowed: set[str]) -> None:
    """Refuse a build that would change a published version, except the ones ``allowed`` names."""
    if previous is None:
        return
    refused = [c for c in changes(previous, current) if c.key not in allowed]
    if refused:
        raise BuildError("; ".join(c.message() for c in refused))
