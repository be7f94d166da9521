"""A small SARIF 2.1.0 writer: one run, one rule per finding code, one result per finding.

Structure per the OASIS SARIF 2.1.0 specification (sarifLog: version and
runs; run: tool.driver.name and results; result: ruleId, level, message.text
and a physicalLocation with an artifactLocation URI and a region whose
startLine is at least 1), which is what GitHub code scanning reads.
"""

from __future__ import annotations

import json
import posixpath

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}


def sarif(findings, base: str = "", tool: str = "sc-toolkit check", version: str = "0.1.0") -> str:
    codes = sorted({f.code for f in findings})
    rules = [{"id": code, "name": code.replace("-", ""),
              "shortDescription": {"text": next(f"{f.gate}: {f.code}" for f in findings if f.code == code)}} for code in codes]
    results = []
    for f in findings:
        result = {"ruleId": f.code, "ruleIndex": codes.index(f.code), "level": LEVELS.get(f.severity, "error"),
                  "message": {"text": f.message}}
        if f.file:
            uri = posixpath.normpath(f"{base.rstrip('/')}/{f.file}") if base else f.file
            result["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": uri},
                                                         "region": {"startLine": max(1, int(f.line))}}}]
            if f.resource:
                result["locations"][0]["logicalLocations"] = [{"name": f.resource, "kind": "resource"}]
        props = {k: v for k, v in (("gate", f.gate), ("role", f.role), ("action", f.action), ("arn", f.arn), ("need", f.need)) if v}
        result["properties"] = props
        results.append(result)
    log = {"$schema": SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": tool, "version": version, "rules": rules}}, "results": results}]}
    return json.dumps(log, indent=2, sort_keys=True) + "\n"
