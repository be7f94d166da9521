"""Writing output/ atomically: a sibling temporary folder, then one swap.

An interrupted or failed build leaves the previous output/ as it was. The
folder belongs to the generator, but a file the previous build did not write
(one a person put there) stops the build instead of vanishing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .core.exceptions import BuildError

MANIFEST = "manifest.json"


def _owned(output: Path) -> set[str]:
    """Paths the previous build wrote, from its manifest."""
    try:
        doc = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
        return set(doc.get("files", {})) | {MANIFEST}
    except (OSError, ValueError, AttributeError):
        return set()


def _existing(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() or p.is_symlink()}


def foreign_files(output: Path) -> list[str]:
    if not output.exists():
        return []
    return sorted(_existing(output) - _owned(output))


def write(output: Path, files: dict[str, bytes], force: bool = False) -> None:
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise BuildError(f"{output} exists and is not a folder")
    foreign = foreign_files(output)
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise BuildError(f"{output}/ holds files the generator did not write ({shown}); "
                         f"move them elsewhere, or pass --force to replace the folder anyway")
    parent = output.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=parent))
    try:
        for rel, body in sorted(files.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        os.chmod(staging, 0o755)
        if output.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=parent))
            os.rename(output, retired / "output")
            try:
                os.rename(staging, output)
            except OSError:
                os.rename(retired / "output", output)  # put the old one back
                raise
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.rename(staging, output)
    except OSError as exc:
        raise BuildError(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
