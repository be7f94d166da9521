"""The Lambda bundles: what is inside, what is not, and that they import with boto3 alone."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import boto3
import pytest

from generator.compiler import bundles as bundle_builder
from generator.core.parse import load_compiled

from .bundles import built_bundles, unpack

BUNDLES = built_bundles()


@pytest.mark.parametrize("function", sorted(BUNDLES))
def test_bundle_layout(function):
    path, body = BUNDLES[function]
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert names == sorted(names)
    assert "handler.py" in names and "config.json" in names and "generator/__init__.py" in names
    assert {n.split("/")[1] for n in names if n.startswith("generator/") and n.count("/") == 2} == {"core", "hotfix"}
    assert not any(n.startswith(("generator/compiler", "generator/loader", "generator/checks")) for n in names)
    assert path == f"lambdas/{bundle_builder.folder(function)}-{__import__('hashlib').sha256(body).hexdigest()[:16]}.zip"


def test_entries_have_fixed_timestamps_and_modes():
    _, body = BUNDLES["branch-lifecycle"]
    for info in zipfile.ZipFile(io.BytesIO(body)).infolist():
        assert info.date_time == (1980, 1, 1, 0, 0, 0) and info.external_attr >> 16 == 0o644


def test_same_inputs_give_the_same_bytes_and_a_config_change_changes_them():
    config = zipfile.ZipFile(io.BytesIO(BUNDLES["reconciler"][1])).read("config.json")
    assert bundle_builder.build(config) == bundle_builder.build(config)
    changed = config.replace(b'"rate(15 minutes)"', b'"rate(30 minutes)"')
    assert changed != config
    assert bundle_builder.build(changed)["reconciler"] != bundle_builder.build(config)["reconciler"]


def test_bundled_config_is_the_compiled_config():
    from generator.config_loader import load_config
    from generator.core.parse import canonical, catalogue_from_dict

    from .gitflow import GITFLOW

    config = zipfile.ZipFile(io.BytesIO(BUNDLES["pull-requests"][1])).read("config.json")
    assert load_compiled(config) == catalogue_from_dict(canonical(load_config(GITFLOW).data))


BLOCKER = """
import sys, time
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'yaml', 'jsonschema', 'orjson', 'troposphere', 'cfnlint', 'moto'}:
            raise ImportError('not in the Lambda runtime: ' + name)
sys.meta_path.insert(0, Block())
sys.path[:] = [BUNDLE, SITE] + [p for p in sys.path if 'lib/python' in p and 'site-packages' not in p]
import boto3
import handler, generator
assert generator.__file__.startswith(BUNDLE), generator.__file__
loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'yaml', 'jsonschema', 'orjson', 'troposphere'})
assert loaded == [], loaded
print('ok', callable(handler.handler))
"""


@pytest.mark.parametrize("function", sorted(BUNDLES))
def test_handler_imports_with_only_the_standard_library_and_boto3(function, tmp_path):
    folder = unpack(BUNDLES[function][1], tmp_path / function)
    site = str(__import__("pathlib").Path(boto3.__file__).parent.parent)
    code = f"BUNDLE = {str(folder)!r}\nSITE = {site!r}\n" + BLOCKER
    result = subprocess.run([sys.executable, "-S", "-c", code], cwd=folder, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok True"
