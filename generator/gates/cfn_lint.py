"""cfn-lint over every template of the build, the user's own product templates included."""

from __future__ import annotations

from .finding import Finding

GATE = "cfn-lint"
SEVERITY = {"error": "error", "warning": "warning", "informational": "notice"}


def lint(body: bytes | str, regions: list[str]) -> list:
    from cfnlint.api import ManualArgs
    from cfnlint.api import lint as run_lint

    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return run_lint(text, config=ManualArgs(regions=regions))


def run(ctx) -> list[Finding]:
    try:
        import cfnlint  # noqa: F401
    except ImportError:
        return [Finding("", "", GATE, "TOOL-MISSING", "cfn-lint is not installed: pip install 'cfn-lint==1.58.0'",
                        severity="notice")]
    import json

    region = json.loads(ctx.files["manifest.json"]).get("region", "us-east-1") if "manifest.json" in ctx.files else "us-east-1"
    from .least_privilege import templates

    out = []
    for path, body in templates(ctx.files).items():
        for m in lint(body, [region]):
            where = list(getattr(m, "path", []) or [])
            resource = str(where[1]) if len(where) > 1 and where[0] == "Resources" else ""
            severity = SEVERITY.get(str(getattr(m.rule, "severity", "error")).lower(), "error")
            out.append(Finding(path, resource, GATE, m.rule.id, m.message, severity=severity, line=int(m.linenumber or 1)))
    return out
