"""cfn-lint through its Python API: every error and warning, as (rule, path, message)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _config():
    from cfnlint.api import ManualArgs

    return ManualArgs(regions=["us-east-1"])


def lint(body: bytes | str) -> list[str]:
    from cfnlint.api import lint as run

    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return [f"{m.rule.id} {'/'.join(str(p) for p in m.path)}: {m.message}" for m in run(text, config=_config())]
