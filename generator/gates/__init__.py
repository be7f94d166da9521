"""Gates: checks over the generated templates, each a module with ``run(context) -> [Finding]``.

- ``least-privilege``: no wildcard where AWS offers a narrower grant, no way
  to escalate, no trust in build roles (``least_privilege``);
- ``sufficiency``: every role can do its job, proven offline against the
  registry's handler permissions, CodePipeline's per-action needs, the
  Lambdas' own calls, the key and resource policies in the way and the
  trust of every role a service assumes (``deployers``, ``pipelines``,
  ``lambdas``, ``service_policies``, ``trusts``);
- ``naming``: every account-wide name the toolkit writes starts with the
  catalogue's prefix, so two catalogues never claim one name (``naming``);
- ``cfn-lint`` and ``checkov``: the outside linters, as findings too.

Like cfn-lint: one concern per module, findings as frozen records
(``finding.Finding``), formatters in ``report``. This module imports
nothing heavy: the compiler imports ``resourceless`` through it.
"""

from __future__ import annotations

GATES = {
    "least-privilege": ("least_privilege",),
    "sufficiency": ("deployers", "pipelines", "lambdas", "service_policies", "trusts"),
    "naming": ("naming",),
    "cfn-lint": ("cfn_lint",),
    "checkov": ("checkov",),
}
DEFAULT = ("least-privilege", "sufficiency", "naming", "cfn-lint", "checkov")


def run(ctx, gates=DEFAULT) -> list:
    """Every finding of the named gates, sorted and each once."""
    import importlib

    findings = set()
    for gate in gates:
        for module in GATES[gate]:
            findings.update(importlib.import_module(f"{__name__}.{module}").run(ctx))
    return sorted(findings)
