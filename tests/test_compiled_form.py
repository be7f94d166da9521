"""One model from two forms: YAML through the validator, compiled JSON through the standard library."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from generator.config_loader import load_config
from generator.core.exceptions import ConfigError
from generator.core.parse import canonical, catalogue_from_dict, compiled_json, load_compiled

from .conftest import CONFIG, CONFIGS, ROOT


@pytest.mark.parametrize("path", [CONFIG, *sorted((CONFIGS / "valid").glob("*.yaml"))], ids=lambda p: p.name)
def test_json_form_gives_the_same_model(path):
    loaded = load_config(path)
    from_json = load_compiled(compiled_json(loaded.data))
    assert from_json == catalogue_from_dict(canonical(loaded.data))
    # Canonical order changes positions, never content.
    assert sorted(from_json.products, key=lambda p: p.name) == sorted(loaded.catalogue.products, key=lambda p: p.name)
    assert {p.name: set(p.products) for p in from_json.portfolios} == {p.name: set(p.products) for p in loaded.catalogue.portfolios}


def test_json_form_is_deterministic():
    data = load_config(CONFIG).data
    shuffled = json.loads(json.dumps(data))
    assert compiled_json(dict(reversed(list(shuffled.items())))) == compiled_json(data)


@pytest.mark.parametrize("text, fragment", [
    ("not json", "not valid JSON"),
    ("[]", "does not declare format"),
    ('{"format": "other"}', "does not declare format"),
    ('{"format": "service-catalog-toolkit/compiled-config", "format_version": 9, "config": {}}', "format_version 9"),
    ('{"format": "service-catalog-toolkit/compiled-config", "format_version": 1}', "no 'config' object"),
    ('{"format": "service-catalog-toolkit/compiled-config", "format_version": 1, "config": {"version": 1}}', "malformed"),
])
def test_bad_json_form_is_one_clear_error(text, fragment):
    with pytest.raises(ConfigError, match=fragment):
        load_compiled(text)


def test_json_form_loads_without_yaml_or_jsonschema(tmp_path):
    compiled = tmp_path / "config.json"
    loaded = load_config(CONFIG)
    compiled.write_text(compiled_json(loaded.data))
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'yaml', 'jsonschema', 'troposphere', 'boto3'}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from generator.core.parse import load_compiled\n"
        f"cat = load_compiled(open({str(compiled)!r}).read())\n"
        "print(len(cat.products), sorted(m for m in sys.modules if m.split('.')[0] == 'generator'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.startswith(f"{len(loaded.catalogue.products)} ['generator', 'generator.core', 'generator.core.canonical', 'generator.core.exceptions', "
                                    "'generator.core.model', 'generator.core.parse']")
