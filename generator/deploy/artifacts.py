"""output/ as `deploy` and `status` read it: the manifest, every file checked against its sha256.

The manifest names every file the build wrote with its hash. A file that
differs (edited by hand, truncated by a copy), one that is missing, or one
the build did not write means output/ is not what was reviewed: nothing is
uploaded from it. A fresh build that differs means output/ is stale.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..compiler.manifest import FORMAT, FORMAT_VERSION
from ..core.exceptions import InputError
from ..output_writer import MANIFEST, foreign_files
from ..previous_output import read_file
from .errors import DeployError

PLACEHOLDER = "<deploy-time: "


@dataclass(frozen=True)
class StackEntry:
    """One stack of the manifest, in deploy order."""

    order: int
    id: str
    name: str
    kind: str
    template: str
    sha256: str
    account: str
    account_id: str
    region: str
    parameters: tuple[tuple[str, str], ...]
    depends_on: tuple[str, ...]
    capabilities: tuple[str, ...]

    @property
    def deploy_time_parameters(self) -> tuple[str, ...]:
        return tuple(k for k, v in self.parameters if isinstance(v, str) and v.startswith(PLACEHOLDER))


@dataclass(frozen=True)
class Upload:
    """A file the stacks read from S3 at deploy time: a product template or a Lambda bundle."""

    path: str
    sha256: str
    stack: str  # the name of the stack that reads it
    product: str = ""
    version: str = ""
    function: str = ""


@dataclass(frozen=True)
class Output:
    root: Path
    stacks: tuple[StackEntry, ...]
    uploads: tuple[Upload, ...]
    files: dict  # path -> sha256, as the manifest lists them, and the manifest's own
    bodies: dict  # path -> bytes, read once and verified

    def body(self, path: str) -> bytes:
        return self.bodies[path]

    def stack(self, ident: str) -> StackEntry | None:
        return next((s for s in self.stacks if s.id == ident), None)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(root: Path) -> tuple[dict, bytes]:
    path = root / MANIFEST
    if not os.path.lexists(path):
        raise InputError(f"{path} does not exist: run python -m generator build first")
    raw = read_file(path, "manifest")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"{path} is not a manifest of this toolkit (format {FORMAT!r})")
    if doc.get("format_version") != FORMAT_VERSION:
        raise InputError(f"{path} has format_version {doc.get('format_version')!r}; this toolkit reads {FORMAT_VERSION}: "
                         "rebuild with python -m generator build")
    return doc, raw


STACK_FIELDS = {"order": int, "id": str, "name": str, "kind": str, "template": str, "sha256": str, "account": str,
                "account_id": str, "region": str}
UPLOAD_FIELDS = {"path": str, "sha256": str, "stack": str}
UPLOAD_OPTIONAL = ("product", "version", "function")


def _require(ok: bool, what: str) -> None:
    # A TypeError, which load() reports as a malformed manifest (exit 1, never a traceback).
    if not ok:
        raise TypeError(what)


def _fields(raw, fields: dict, what: str) -> None:
    _require(isinstance(raw, dict), f"{what} is not an object")
    for key, kind in fields.items():
        value = raw.get(key)
        _require(isinstance(value, kind) and not isinstance(value, bool), f"{what}'s {key!r} is not a {kind.__name__}")


def _strings(value, what: str) -> tuple[str, ...]:
    _require(isinstance(value, list) and all(isinstance(v, str) for v in value), f"{what} is not a list of strings")
    return tuple(value)


def _entry(raw) -> StackEntry:
    _fields(raw, STACK_FIELDS, "a stack")
    parameters = raw.get("parameters", {})
    _require(isinstance(parameters, dict) and all(isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                                  for v in parameters.values()), f"stack {raw['id']}'s parameters are not scalars")
    return StackEntry(
        order=raw["order"], id=raw["id"], name=raw["name"], kind=raw["kind"], template=raw["template"],
        sha256=raw["sha256"], account=raw["account"], account_id=raw["account_id"], region=raw["region"],
        parameters=tuple(sorted(parameters.items())),
        depends_on=_strings(raw.get("depends_on", []), f"stack {raw['id']}'s depends_on"),
        capabilities=_strings(raw.get("capabilities", []), f"stack {raw['id']}'s capabilities"))


def _list(raw, what: str) -> list:
    _require(isinstance(raw, list), f"{what} is not a list")
    return raw


def _upload(raw) -> Upload:
    _fields(raw, UPLOAD_FIELDS, "an upload")
    optional = {key: raw.get(key, "") for key in UPLOAD_OPTIONAL}
    _require(all(isinstance(v, str) for v in optional.values()), f"upload {raw['path']}'s product, version or function is not a string")
    return Upload(raw["path"], raw["sha256"], raw["stack"], **optional)


def _listed(raw) -> dict[str, str]:
    _require(isinstance(raw, dict) and all(isinstance(v, str) for v in raw.values()), "files is not an object of sha256 strings")
    outside = sorted(p for p in raw if PurePosixPath(p).is_absolute() or ".." in PurePosixPath(p).parts)
    _require(not outside, f"files names paths outside the output folder: {', '.join(outside[:3])}")
    return dict(raw)


def load(root: Path) -> Output:
    """Read and verify output/; raise with every mismatch named."""
    root = Path(root)
    doc, raw = _manifest(root)
    try:
        listed = _listed(doc["files"])
        stacks = tuple(sorted((_entry(s) for s in _list(doc["stacks"], "stacks")), key=lambda s: s.order))
        uploads = tuple(_upload(u) for u in _list(doc["uploads"], "uploads"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{root / MANIFEST} is malformed ({type(exc).__name__}: {exc}): rebuild with python -m generator build") from None
    bodies, problems = {}, []
    for path, expected in sorted(listed.items()):
        try:
            body = read_file(root / path, "")
        except InputError as exc:
            problems.append(str(exc))
            continue
        if sha256(body) != expected:
            problems.append(f"{path}: its sha256 is not the one the manifest lists")
            continue
        bodies[path] = body
    problems += [f"{path}: the build did not write it" for path in foreign_files(root)]
    for s in stacks:
        if listed.get(s.template) != s.sha256:
            problems.append(f"{s.template}: the manifest's stack {s.id} names another sha256 than its file list")
    for u in uploads:
        if listed.get(u.path) != u.sha256:
            problems.append(f"{u.path}: the manifest's upload names another sha256 than its file list")
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise DeployError(f"{root}/ is not the output the build wrote, so nothing is deployed from it: {shown}. "
                          "Rebuild it with python -m generator build")
    return Output(root, stacks, uploads, {**listed, MANIFEST: sha256(raw)}, bodies)


def load_fresh(root: Path, loaded) -> Output:
    """output/ verified, and equal to a build of the loaded config: what deploy uploads and status compares with."""
    from ..compiler.build import compile_catalogue

    output = load(root)
    check_fresh(output, compile_catalogue(loaded).files)
    return output


def check_fresh(output: Output, built: dict[str, bytes]) -> None:
    """Refuse an output/ that a fresh build of the config would change."""
    fresh = {path: sha256(body) for path, body in built.items()}
    stale = sorted(p for p in set(fresh) | set(output.files) if fresh.get(p) != output.files.get(p))
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        raise DeployError(f"{output.root}/ is stale: a build of the config would change {shown}. "
                          "Run python -m generator build (and review the diff) first")
