"""Reading what a previous build wrote: its manifest and its templates.

A previous output is input like any other: it may be missing, cut short by a
full disk, edited by hand, or written by a hostile pull request. Every way it
can fail to be the build's own JSON ends here, as an ``InputError`` that
names the file and what is wrong with it, never as a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

from .core.exceptions import InputError
from .loader.files import Refused, read_regular

MANIFEST = "manifest.json"
# CloudFormation reads templates of at most 1 MB from S3 (CloudFormation
# quotas, "Template body size in an Amazon S3 object"); a manifest lists a few
# lines per file. Anything far larger was not written by a build.
MAX_BYTES = 64 * 1024 * 1024
# The build's own JSON nests a few levels (policies inside roles inside
# resources); a deeper document would only make the comparison recurse.
MAX_DEPTH = 64


def read_file(path: Path, what: str) -> bytes:
    """The bytes of a file a build wrote: diff, build, deploy, status and check read output/ only this way.

    A build writes regular files only: a link (to /dev/zero, to a secret
    outside the repository), a pipe or a device that a pull request or a
    hand put there is refused by name, never followed or waited on.
    """
    try:
        return read_regular(path, MAX_BYTES, follow_symlinks=False)
    except Refused as exc:
        raise InputError(" ".join(filter(None, (what, str(path), str(exc))))) from None


def read_json(path: Path, what: str):
    """The JSON document at ``path``; ``what`` names it in messages ("previous manifest")."""
    raw = read_file(path, what)
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} {path} is not UTF-8 (byte {exc.start}): not a file a build writes") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{what} {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                         f"was the build interrupted, or the file edited?") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise InputError(f"{what} {path} is not JSON a build writes: {exc}") from None
    except RecursionError:
        doc = _TOO_DEEP
    if doc is _TOO_DEEP or _too_deep(doc):
        raise InputError(f"{what} {path} nests deeper than {MAX_DEPTH} levels: not JSON a build writes")
    return doc


_TOO_DEEP = object()


def _too_deep(doc) -> bool:
    stack = [(doc, 1)]
    while stack:  # iterative: the document may be deeper than Python's recursion limit
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _fail(path: Path, why: str) -> InputError:
    return InputError(f"{path} is not a manifest a build writes: {why}")


def manifest(folder: Path) -> dict:
    """The previous build's manifest, checked for the keys readers use."""
    path = folder / MANIFEST
    doc = read_json(path, "previous manifest")
    if not isinstance(doc, dict):
        raise _fail(path, "it is not a JSON object")
    for key, kind in (("stacks", list), ("uploads", list), ("files", dict)):
        if not isinstance(doc.get(key, kind()), kind):
            raise _fail(path, f"'{key}' is not a {'list' if kind is list else 'mapping'}")
    for i, stack in enumerate(doc.get("stacks", [])):
        if not isinstance(stack, dict) or not all(isinstance(stack.get(k), str) for k in ("name", "template", "account")):
            raise _fail(path, f"stacks[{i}] lacks a name, template or account")
        if not _inside(stack["template"]):
            raise _fail(path, f"stacks[{i}] names template {stack['template']!r}, outside the output folder")
    for i, upload in enumerate(doc.get("uploads", [])):
        if not isinstance(upload, dict) or not isinstance(upload.get("path"), str) or not isinstance(upload.get("sha256"), str):
            raise _fail(path, f"uploads[{i}] lacks a path or sha256")
    return doc


def _inside(relative: str) -> bool:
    parts = Path(relative).parts
    return bool(parts) and not Path(relative).is_absolute() and ".." not in parts


def template(folder: Path, relative: str) -> dict:
    """A previous stack template, with Resources a mapping of typed resources."""
    path = folder / relative
    doc = read_json(path, "previous template")
    resources = doc.get("Resources", {}) if isinstance(doc, dict) else None
    if not isinstance(resources, dict) or not all(
            isinstance(r, dict) and isinstance(r.get("Type"), str) and isinstance(r.get("Properties", {}), dict)
            for r in resources.values()):
        raise InputError(f"previous template {path} is not a CloudFormation template a build writes: "
                         f"it needs Resources, each with a Type and Properties a mapping")
    return doc
