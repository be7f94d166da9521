"""The AWS pattern's catalogue as a fixture: tests/configs/valid/gitflow.yaml, built once, in memory.

Tests that assert the pattern's shape (one main and one hotfix portfolio, the
repository of the AWS sample events, the default stack prefix, us-east-1)
read this build, never output/: config/portfolios.yaml is the user's to
edit (issue 12, item 1), and output/ follows it.
"""

from __future__ import annotations

import json
from functools import lru_cache

from .buildutil import build_file
from .conftest import CONFIGS

GITFLOW = CONFIGS / "valid" / "gitflow.yaml"


@lru_cache(maxsize=1)
def _files() -> tuple[tuple[str, bytes], ...]:
    return tuple(sorted(build_file(GITFLOW).items()))


def files() -> dict[str, bytes]:
    """Every file the build writes, by its path under output/ (a new dict: callers may edit it)."""
    return dict(_files())


def template(path: str) -> dict:
    """One of its templates, by its path under output/: stacks/sc-automation.template.json, products/hotfix-pipeline/v1.json."""
    return json.loads(files()[path])


def stack(name: str) -> dict:
    return template(f"stacks/{name}.template.json")
