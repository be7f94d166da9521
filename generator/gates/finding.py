"""Findings of the template-level gates: frozen records that formatters turn into text, JSON, annotations or SARIF."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "notice")


@dataclass(frozen=True, order=True)
class Finding:
    """One fault a gate found in a template (or a notice about a gate that could not run).

    Field order is sort order: by file, then resource, then gate, so that
    a report is the same whatever order the gates ran in. For permission
    findings ``role``, ``action``, ``arn`` and ``need`` (the resource type
    handler, call or service behaviour that needs the permission) are set.
    """

    file: str
    resource: str
    gate: str
    code: str
    message: str
    severity: str = "error"
    role: str = ""
    action: str = ""
    arn: str = ""
    need: str = ""
    line: int = 1

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v != ""}

    def text(self) -> str:
        where = f"{self.file}:{self.line}" + (f" {self.resource}" if self.resource else "")
        return f"{where}: {self.severity}: [{self.code}] {self.message}"
