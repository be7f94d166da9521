"""A manifest that is not the one the build wrote (edited, truncated, from another tool) is refused with a message.

`deploy` and `status` read output/manifest.json before anything else, and
nothing verifies the manifest's own bytes before they do: every field they
read, given a value of any other JSON type, must end in exit 1 naming the
manifest, never an internal error (exit 70).
"""

from __future__ import annotations

import json
import shutil

import pytest

from . import deploy_support

WRONG = (None, True, 7, "x", [], ["x"], {}, {"k": []})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return deploy_support.built(tmp_path_factory.mktemp("manifest"))


def _mutations(doc: dict):
    """(where, setter) for every field deploy and status read, at the top level and in one stack and upload of each kind."""
    yield from ((f"/{key}", key) for key in ("files", "stacks", "uploads"))
    product = next(i for i, u in enumerate(doc["uploads"]) if "product" in u)
    bundle = next(i for i, u in enumerate(doc["uploads"]) if "function" in u)
    with_parameters = next(i for i, s in enumerate(doc["stacks"]) if s["parameters"])
    for i in sorted({0, with_parameters}):
        yield from ((f"/stacks/{i}/{key}", ("stacks", i, key)) for key in doc["stacks"][i])
        yield from ((f"/stacks/{i}/parameters/{key}", ("stacks", i, "parameters", key)) for key in doc["stacks"][i]["parameters"])
    for i in (product, bundle):
        yield from ((f"/uploads/{i}/{key}", ("uploads", i, key)) for key in doc["uploads"][i])
    yield "/stacks/0", ("stacks", 0)
    yield "/uploads/0", ("uploads", 0)


def _set(doc, path, value):
    path = path if isinstance(path, tuple) else (path,)
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def test_every_field_of_another_type_is_refused_with_a_message(built, cli, tmp_path):
    from generator.config_loader import load_config
    from generator.core.exceptions import ToolkitError
    from generator.deploy import artifacts

    config, output = built
    loaded = load_config(config)
    original = json.loads((output / "manifest.json").read_text())
    copy = tmp_path / "output"
    shutil.copytree(output, copy)
    tried = 0
    for where, path in _mutations(original):
        for value in WRONG:
            doc = json.loads(json.dumps(original))
            _set(doc, path, value)
            if doc == original:
                continue
            (copy / "manifest.json").write_text(json.dumps(doc))
            # deploy and status read output/ through this first; a ToolkitError is exit 1 with its message.
            try:
                artifacts.load_fresh(copy, loaded)
            except ToolkitError as exc:
                assert str(copy) in str(exc), (where, value, exc)
            except Exception as exc:  # exit 70
                raise AssertionError(f"{where} = {value!r}: {type(exc).__name__}: {exc}") from exc
            else:
                raise AssertionError(f"{where} = {value!r} was accepted")
            tried += 1
    assert tried > 100
    for command in (("deploy", "--dry-run"), ("status",)):  # the last of them, through the CLI
        code, _out, err = cli(*command, "--config", str(config), "--output", str(copy))
        assert code == 1 and "internal error" not in err and str(copy) in err, (command, err)


@pytest.mark.parametrize("path", ["../outside.json", "/etc/hostname"])
def test_a_manifest_naming_files_outside_the_output_is_refused_before_reading_them(built, cli, tmp_path, path):
    config, output = built
    copy = tmp_path / "output"
    shutil.copytree(output, copy)
    doc = json.loads((copy / "manifest.json").read_text())
    doc["files"][path] = "0" * 64
    (copy / "manifest.json").write_text(json.dumps(doc))
    code, _out, err = cli("deploy", "--dry-run", "--config", str(config), "--output", str(copy))
    assert code == 1 and "outside the output folder" in err and path in err
