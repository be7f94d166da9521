"""checkov over the build's templates, when it is installed.

checkov pins packages that clash with current boto3, so it lives in a
virtual environment of its own (``python -m venv .venv-checkov &&
.venv-checkov/bin/pip install checkov==3.3.30``) found through ``CHECKOV``
or on PATH. Missing, it is a notice, not a failure, unless the run requires
it. It runs offline: BC_SKIP_MAPPING=TRUE and --skip-download.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .finding import Finding

GATE = "checkov"
VERSION = "3.3.30"
INSTALL = f"python -m venv .venv-checkov && .venv-checkov/bin/pip install checkov=={VERSION}, then CHECKOV=.venv-checkov/bin/checkov"


def binary(tools: dict) -> str | None:
    found = tools.get("checkov") or os.environ.get("CHECKOV") or shutil.which("checkov")
    return found if found and Path(found).exists() else None


def scan(program: str, folder: Path) -> list[dict]:
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([program, "--skip-download", "--framework", "cloudformation", "-d", str(folder), "--compact", "--quiet",
                             "-o", "json"], env=env, capture_output=True, text=True, timeout=900, check=False)
    if result.returncode not in (0, 1):
        raise RuntimeError(result.stderr.strip()[-500:] or f"checkov exited {result.returncode}")
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    return report if isinstance(report, list) else [report]


def run(ctx) -> list[Finding]:
    from .least_privilege import templates

    program = binary(ctx.tools)
    if program is None:
        severity = "error" if "checkov" in ctx.tools.get("require", ()) else "notice"
        return [Finding("", "", GATE, "TOOL-MISSING", f"checkov is not installed; to add its checks: {INSTALL}", severity=severity)]
    with tempfile.TemporaryDirectory(prefix="sc-check-") as tmp:
        root = Path(tmp)
        for path, body in templates(ctx.files).items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        try:
            reports = scan(program, root)
        except (RuntimeError, OSError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
            return [Finding("", "", GATE, "TOOL-FAILED", f"checkov did not run: {exc}", severity="error")]
    out = []
    for report in reports:
        for check in (report.get("results") or {}).get("failed_checks", []):
            resource = str(check.get("resource", "")).rsplit(".", 1)[-1]
            lines = check.get("file_line_range") or [1]
            out.append(Finding(str(check.get("file_path", "")).lstrip("/"), resource, GATE, str(check.get("check_id")),
                               str(check.get("check_name")), line=int(lines[0] or 1)))
    return out
