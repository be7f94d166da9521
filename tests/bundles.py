"""Unpacking the Lambda bundles the build writes, for the end-to-end tests."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

from generator.compiler import bundles

from .buildutil import build_file
from .gitflow import GITFLOW


def built_bundles(config: Path = GITFLOW) -> dict[str, tuple[str, bytes]]:
    """function -> (path, zip bytes) from a fresh build of the AWS pattern's catalogue (or ``config``)."""
    files = build_file(config)
    out = {}
    for function in ("branch-lifecycle", "pull-requests", "reconciler"):
        path = next(p for p in files if p.startswith(f"lambdas/{bundles.folder(function)}-"))
        out[function] = (path, files[path])
    return out


def unpack(body: bytes, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "bundle.zip"
    archive.write_bytes(body)
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    archive.unlink()
    return folder


def load_handler(folder: Path, name: str):
    spec = importlib.util.spec_from_file_location(f"bundle_{name}_handler", folder / "handler.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
