"""Lambda bundles: handler.py at the root, the shared code, and the compiled config.

Only what the Lambda runtime lacks goes in: ``generator/core`` and
``generator/hotfix`` (standard library only) and ``config.json``; boto3 is in
the runtime. Entries are sorted, timestamps and permissions fixed, so the
same code and config always give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from ..core.naming import FUNCTIONS

ROOT = Path(__file__).resolve().parents[2]
LAMBDAS = ROOT / "lambdas"
SHARED_PACKAGES = ("generator/core", "generator/hotfix")
EPOCH = (1980, 1, 1, 0, 0, 0)


def folder(function: str) -> str:
    return function.replace("-", "_")


def _entries(function: str, config_json: bytes) -> dict[str, bytes]:
    entries = {"handler.py": (LAMBDAS / folder(function) / "handler.py").read_bytes(),
               "config.json": config_json,
               "generator/__init__.py": (ROOT / "generator" / "__init__.py").read_bytes()}
    for package in SHARED_PACKAGES:
        # Subpackages too (webhooks/, the providers' APIs); the path is spelled with '/' on every system.
        for path in sorted((ROOT / package).rglob("*.py")):
            entries[f"{package}/{path.relative_to(ROOT / package).as_posix()}"] = path.read_bytes()
    return entries


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever the build machine
            archive.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def build(config_json: bytes, functions: tuple[str, ...] = FUNCTIONS) -> dict[str, tuple[str, bytes]]:
    """function -> (path under output/, zip bytes); the path carries the content hash,
    so that CloudFormation sees new code as a new S3 key."""
    out = {}
    for function in functions:
        body = zip_bytes(_entries(function, config_json))
        out[function] = (f"lambdas/{folder(function)}-{hashlib.sha256(body).hexdigest()[:16]}.zip", body)
    return out
