"""What the gates run over: the build's files, the templates its pipelines deploy, and the model of both."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Context:
    files: dict[str, bytes]  # the build, path relative to output/ -> content
    extra: dict[str, bytes] = field(default_factory=dict)  # artifact path -> content (infra/service.yaml, ...)
    tools: dict = field(default_factory=dict)  # outside programs: {"checkov": "/path/to/checkov"}

    @cached_property
    def catalogue(self):
        from ..core.parse import load_compiled

        return load_compiled(self.files["config.json"]) if "config.json" in self.files else None

    @cached_property
    def model(self):
        from . import model, parameters

        catalogue = self.catalogue
        return model.load(self.files, self.extra, parameters.provider(catalogue) if catalogue else None)

    @cached_property
    def index(self):
        from . import lookup

        return lookup.build(self.model)
