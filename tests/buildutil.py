"""Helpers for the compiler tests: build in memory, read templates back."""

from __future__ import annotations

import json
from pathlib import Path

from generator.compiler.build import compile_catalogue
from generator.config_loader import LoadedConfig, load_config
from generator.core.parse import catalogue_from_dict
from generator.loader.marks import Marks


def build_file(path) -> dict[str, bytes]:
    return compile_catalogue(load_config(path)).files


def build_data(data: dict, file: str = "config/portfolios.yaml") -> dict[str, bytes]:
    """Build plain data that is known to be valid (as the loader would pass it on)."""
    return compile_catalogue(LoadedConfig(file, data, Marks(), catalogue_from_dict(data))).files


def templates(files: dict[str, bytes]) -> dict[str, dict]:
    """Stack templates by stack name."""
    return {path[len("stacks/"):-len(".template.json")]: json.loads(body)
            for path, body in files.items() if path.startswith("stacks/")}


def manifest(files: dict[str, bytes]) -> dict:
    return json.loads(files["manifest.json"])


def resources(template: dict, type_: str) -> dict[str, dict]:
    return {k: v for k, v in template.get("Resources", {}).items() if v["Type"] == type_}


def walk(node):
    """Every dict and list inside a template, depth first."""
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def paths(node, prefix=()):
    """Every JSON path in a document, the root's () first."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, prefix + (i,))


def imports(template: dict) -> set[str]:
    return {n["Fn::ImportValue"] for n in walk(template) if isinstance(n, dict) and isinstance(n.get("Fn::ImportValue"), str)}


def exports(template: dict) -> set[str]:
    return {o["Export"]["Name"] for o in template.get("Outputs", {}).values() if "Export" in o}


def users_own(folder: Path) -> set[Path]:
    """Product templates copied from the user's file: versions: theirs to see in `check`, not the toolkit's to pass."""
    cat = catalogue_from_dict(json.loads((folder / "config.json").read_text())["config"])
    return {folder / "products" / p.name / f"{v.name}{Path(v.template.value).suffix}"
            for p in cat.products for v in p.versions if v.template.kind == "file"}
