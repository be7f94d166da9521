"""``python -m generator graph``: Mermaid and DOT that parse and show every entry of the config."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from generator import graph
from generator.config_loader import load_config

from .conftest import CONFIG, CONFIGS

CATALOGUES = {p.name: load_config(p).catalogue for p in [CONFIG, CONFIGS / "valid" / "every-constraint.yaml"]}


def _with_unreferenced_entries(cat):
    """A principal and a tag option nothing references yet: a team's first step before it uses them."""
    from dataclasses import replace

    from generator.core.model import Principal, TagOption

    return replace(cat, principals=(*cat.principals, Principal("auditors", "IAM", "arn:aws:iam::111111111111:role/Auditors")),
                   tag_options=(*cat.tag_options, TagOption("data-class", ("public",))))


CATALOGUES["unreferenced"] = _with_unreferenced_entries(CATALOGUES["every-constraint.yaml"])


@pytest.fixture(scope="module")
def dot_program():
    """Graphviz's dot; .ci/run installs it (Debian package graphviz). The tests never install anything."""
    path = shutil.which("dot")
    if path is None:
        pytest.skip("Graphviz's dot is not installed (Debian/Ubuntu: the graphviz package; .ci/run installs it)")
    return path


@pytest.mark.parametrize("name", CATALOGUES)
def test_dot_parses_with_graphviz(dot_program, name):
    result = subprocess.run([dot_program, "-Tsvg"], input=graph.dot(CATALOGUES[name]), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "<svg" in result.stdout and result.stderr == ""


MERMAID_NODE = re.compile(r'^    (?P<id>[a-z]{3}_[0-9a-f]{10})(\["|\("|\(\["|\[/"|\[\("|\[\["|>"|\[\\"|\{\{")(?P<label>[^"]*)("\]|"\)|"\]\)|"/\]|"\)\]|"\]\]|"\\\]|"\}\})$')
MERMAID_EDGE = re.compile(r'^    (?P<a>[a-z]{3}_[0-9a-f]{10}) -->\|"(?P<label>[^"]*)"\| (?P<b>[a-z]{3}_[0-9a-f]{10})$')


@pytest.mark.parametrize("name", CATALOGUES)
def test_mermaid_is_well_formed(name):
    lines = graph.mermaid(CATALOGUES[name]).splitlines()
    assert lines[0] == "flowchart LR"
    nodes = set()
    for line in lines[1:]:
        node, edge = MERMAID_NODE.match(line), MERMAID_EDGE.match(line)
        assert node or edge, f"not Mermaid flowchart syntax: {line!r}"
        if node:
            shape = line[len(node["id"]) + 4:]
            assert (shape[:2], shape[-2:]) in {(lft[:2], rgt[-2:]) for lft, rgt in graph.SHAPES.values()}, line
            assert node["id"] not in nodes, "each node once"
            nodes.add(node["id"])
        else:
            assert edge["a"] in nodes and edge["b"] in nodes, f"edge to an undeclared node: {line}"


def test_labels_cannot_break_out_of_their_quotes(dot_program):
    from dataclasses import replace

    cat = CATALOGUES["every-constraint.yaml"]
    evil = replace(cat, portfolios=tuple(replace(p, display_name='x"] --> y["z\\') for p in cat.portfolios))
    lines = graph.mermaid(evil).splitlines()[1:]
    assert all(MERMAID_NODE.match(line) or MERMAID_EDGE.match(line) for line in lines)
    result = subprocess.run([dot_program, "-Tsvg"], input=graph.dot(evil), capture_output=True, text=True)
    assert result.returncode == 0 and "portfolio x&quot;] &#45;&#45;&gt; y[&quot;z\\</text>" in result.stdout


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_config_entry_is_drawn(name):
    cat = CATALOGUES[name]
    text = graph.mermaid(cat)
    expected = [f"portfolio {p.display_name}" for p in cat.portfolios]
    expected += [f"product {p.display_name}" for p in cat.products]
    expected += [f"{v.name} ({'active' if v.active else 'inactive'}" for p in cat.products for v in p.versions]
    expected += [f"{p.type} {p.name}" for p in cat.principals]
    expected += [f"tag option {t.key}" for t in cat.tag_options]
    expected += [f"{c.kind.replace('_', ' ')} constraint" for pf in cat.portfolios for c in pf.constraints]
    expected += [f"account {a}" for pf in cat.portfolios for a in pf.share.accounts]
    if cat.hotfix:
        expected += [f"repository {r.name}" for r in cat.hotfix.repositories]
        expected += [f"branch {t}" for r in cat.hotfix.repositories for t in r.merge_into]
        expected += ["branch-lifecycle Lambda", "only principal of", "approves production of"]
    missing = [e for e in expected if e not in text]
    assert missing == []


def test_cli_graph_formats(cli):
    code, out, _ = cli("graph")
    assert code == 0 and out.startswith("flowchart LR\n")
    code, out, _ = cli("graph", "--format", "dot")
    assert code == 0 and out.startswith("digraph catalogue {")
