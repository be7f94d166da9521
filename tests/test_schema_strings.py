"""Every string the schema admits: no control, format or line-separator character, and one meaning in both regex dialects.

The class: a value with a newline, carriage return, escape, C1 control,
bidi override or separator anywhere, including the trailing newline that
Python's '$' lets through ('main-pipeline\\n'). The strings are found by
walking the JSON Schema, and each is tried with a valid value taken from the
rich fixture, so a property added to the schema is tried too.

The schema's patterns are ECMA-262 by the JSON Schema specification, and a
compiled validator may read them so; jsonschema in Python reads them with
're'. Each pattern must accept exactly the same strings in both: checked
against Node.js's RegExp when Node is installed.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess

import pytest
from jsonschema import Draft202012Validator

from generator.config_loader import load_config
from generator.schema_check import _inline, schema

from .buildutil import walk
from .conftest import CONFIGS

RICH = load_config(CONFIGS / "valid" / "rich.yaml").data

# Text several lines long by nature: these may hold a tab or a line feed.
MULTILINE = {"description"}
# Strings a valid config cannot hold, so the fixture cannot either (OU shares are refused at validation).
UNREACHABLE = {("portfolios", "*", "share", "organizational_units", "*")}

UNSAFE = [chr(c) for c in range(0x20)] + ["\x7f", "\x80", "\x85", "\x9b", "\x9f", "\u00ad", "\u061c", "\u180e", "\u200b",
                                          "\u200e", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff"]


def _resolved() -> dict:
    full = schema()
    return _inline(full, full.get("$defs", {}))


def string_nodes(node=None, path=()):
    """(path, schema) of every string the schema takes: values, list items and mapping keys."""
    node = _resolved() if node is None else node
    if not isinstance(node, dict):
        return
    if node.get("type") == "string":
        yield path, node
    for key, child in node.get("properties", {}).items():
        yield from string_nodes(child, path + (key,))
    if isinstance(node.get("items"), dict):
        yield from string_nodes(node["items"], path + ("*",))
    if isinstance(node.get("additionalProperties"), dict):
        yield from string_nodes(node["additionalProperties"], path + ("*",))
    if isinstance(node.get("propertyNames"), dict) and "pattern" in node["propertyNames"]:
        yield path + ("<key>",), {"type": "string", **node["propertyNames"]}


def samples(data, pattern, path=()):
    """Values of the data at a schema path ('*' any index or key, '<key>' the keys themselves)."""
    if not pattern:
        yield data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "<key>" and isinstance(data, dict):
        yield from data
    elif head == "*" and isinstance(data, (list, dict)):
        for value in (data.values() if isinstance(data, dict) else data):
            yield from samples(value, rest)
    elif isinstance(data, dict) and head in data:
        yield from samples(data[head], rest)


NODES = [(path, node) for path, node in string_nodes() if path not in UNREACHABLE]


def sample(path) -> str:
    found = [v for v in samples(RICH, path) if isinstance(v, str)]
    return found[0] if found else None


def test_the_rich_fixture_has_a_value_for_every_string():
    missing = ["/".join(p) for p, _ in NODES if sample(p) is None]
    assert missing == [], "add these to tests/configs/valid/rich.yaml"
    assert len(NODES) >= 50


@pytest.mark.parametrize("path, node", NODES, ids=["/".join(p) for p, _ in NODES])
def test_every_string_refuses_control_format_and_separator_characters(path, node):
    check = Draft202012Validator(node).is_valid
    value = sample(path)
    assert check(value), f"the fixture's {value!r} should be valid"
    multiline = path[-1] in MULTILINE
    accepted = []
    for ch in UNSAFE:
        allowed = multiline and ch in "\t\n"
        for mutated in (value + ch, ch + value, value[:1] + ch + value[1:]):
            if check(mutated) != allowed:
                accepted.append(mutated)
    assert accepted == [], f"{'/'.join(path)} takes {accepted[:3]}"


def test_a_trailing_newline_is_refused_where_the_file_shows_it(tmp_path, cli):
    import yaml

    data = yaml.safe_load((CONFIGS / "valid" / "minimal.yaml").read_text())
    data["portfolios"][0]["name"] += "\n"
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(data))
    code, _, err = cli("validate", "--config", str(path))
    assert code == 1 and "it holds a line feed (U+000A) at character" in err and "$.portfolios[0].name" in err


def patterns() -> list[str]:
    return sorted({n["pattern"] for n in walk(schema()) if isinstance(n, dict) and isinstance(n.get("pattern"), str)})


def probes(pattern: str, rnd: random.Random) -> list[str]:
    alphabet = [chr(c) for c in range(0x20, 0x7f)] + UNSAFE + ["é", "ü", "日", "\u00a0", "\u3000", "😀", "\U000e0001"]
    seeds = [v for path, _ in NODES for v in samples(RICH, path) if isinstance(v, str)]
    out = []
    for seed in seeds:
        out += [seed, seed + "\n", seed + "\n\n", "\n" + seed, seed + "\r", seed[:-1], seed + seed]
    for _ in range(400):
        out.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))))
        seed = rnd.choice(seeds)
        cut = rnd.randint(0, len(seed))
        out.append(seed[:cut] + rnd.choice(alphabet) + seed[cut:])
    return out


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed: no ECMA-262 engine to compare with")
def test_every_pattern_means_the_same_in_python_and_ecma262(tmp_path):
    rnd = random.Random(20240611)
    cases = {p: probes(p, rnd) for p in patterns()}
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    script = (
        "const cases = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "const out = {};"
        "for (const [p, strings] of Object.entries(cases)) {"
        "  const u = new RegExp(p, 'u'), plain = new RegExp(p);"
        "  out[p] = strings.map(s => [u.test(s), plain.test(s)]);"
        "}"
        "process.stdout.write(JSON.stringify(out));"
    )
    result = subprocess.run(["node", "-e", script, str(tmp_path / "cases.json")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    ecma = json.loads(result.stdout)
    disagree = []
    for p, strings in cases.items():
        compiled = re.compile(p)
        for s, (with_u, without_u) in zip(strings, ecma[p], strict=True):
            python = compiled.search(s) is not None  # what jsonschema's "pattern" does
            if not python == with_u == without_u:
                disagree.append((p[:40], s, python, with_u, without_u))
    assert disagree == []
