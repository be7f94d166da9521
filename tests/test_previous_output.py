"""A previous output is input: every way it can be broken gives a clear message and exit 1, never exit 70.

The class: whatever diff --against and build read from a previous build
(the folder, its manifest, its stack templates) may be missing, cut short,
not UTF-8, not JSON, deeper than Python recurses, a number longer than
Python converts, the wrong shape, a link, a pipe or a folder. Each case
breaks a copy of a real build one way.
"""

from __future__ import annotations

import json
import os
import shutil

import pytest

from .conftest import CONFIGS

CONFIG = CONFIGS / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    from generator.compiler.build import compile_catalogue
    from generator.config_loader import load_config
    from generator.output_writer import write

    folder = tmp_path_factory.mktemp("previous") / "output"
    write(folder, compile_catalogue(load_config(CONFIG)).files)
    return folder


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def _set_manifest(folder, doc):
    (folder / "manifest.json").write_text(json.dumps(doc))


def _template(folder):
    return folder / _manifest(folder)["stacks"][0]["template"]


def _mkfifo(path):
    path.unlink()
    os.mkfifo(path)


def _symlink(path):
    moved = path.with_name("elsewhere.json")
    path.rename(moved)
    path.symlink_to(moved)


def _folder(path):
    path.unlink()
    path.mkdir()


DEEP = "[" * 100_000 + "]" * 100_000  # deeper than the JSON decoder recurses
SHALLOW_BUT_DEEP = '{"a":' * 500 + "1" + "}" * 500  # decodes, but deeper than any build writes

MANIFEST_CASES = {
    "truncated": (lambda f: (f / "manifest.json").write_bytes((f / "manifest.json").read_bytes()[:100]), "is not valid JSON (line"),
    "not-utf8": (lambda f: (f / "manifest.json").write_bytes(b'{"stacks": "\xff"}'), "is not UTF-8"),
    "huge-integer": (lambda f: (f / "manifest.json").write_text('{"n": ' + "7" * 5000 + "}"), "is not JSON a build writes"),
    "deeper-than-recursion": (lambda f: (f / "manifest.json").write_text(DEEP), "nests deeper than 64 levels"),
    "deep": (lambda f: (f / "manifest.json").write_text(SHALLOW_BUT_DEEP), "nests deeper than 64 levels"),
    "a-list": (lambda f: _set_manifest(f, []), "it is not a JSON object"),
    "stacks-a-mapping": (lambda f: _set_manifest(f, {**_manifest(f), "stacks": {}}), "'stacks' is not a list"),
    "files-a-list": (lambda f: _set_manifest(f, {**_manifest(f), "files": []}), "'files' is not a mapping"),
    "stack-without-template": (lambda f: _set_manifest(f, {**_manifest(f), "stacks": [{"name": "x", "account": "tools"}]}),
                               "stacks[0] lacks a name, template or account"),
    "template-outside": (lambda f: _set_manifest(f, {**_manifest(f), "stacks": [
        {"name": "x", "account": "tools", "template": "../../../etc/passwd"}]}), "outside the output folder"),
    "upload-without-hash": (lambda f: _set_manifest(f, {**_manifest(f), "uploads": [{"path": "x"}]}), "uploads[0] lacks a path or sha256"),
    "named-pipe": (lambda f: _mkfifo(f / "manifest.json"), "is a named pipe"),
    "symbolic-link": (lambda f: _symlink(f / "manifest.json"), "is a symbolic link"),
    "a-folder": (lambda f: _folder(f / "manifest.json"), "is a folder"),
}

TEMPLATE_CASES = {
    "missing": (lambda f: _template(f).unlink(), "does not exist"),
    "truncated": (lambda f: _template(f).write_text('{"Resources": {'), "is not valid JSON"),
    "deep": (lambda f: _template(f).write_text(SHALLOW_BUT_DEEP), "nests deeper than 64 levels"),
    "resources-a-list": (lambda f: _template(f).write_text('{"Resources": []}'), "it needs Resources, each with a Type"),
    "resource-without-type": (lambda f: _template(f).write_text('{"Resources": {"A": {"Properties": {}}}}'), "each with a Type"),
    "properties-a-list": (lambda f: _template(f).write_text('{"Resources": {"A": {"Type": "X", "Properties": []}}}'),
                          "Properties a mapping"),
    "named-pipe": (lambda f: _mkfifo(_template(f)), "is a named pipe"),
}


def _broken(previous, tmp_path, breaker):
    folder = tmp_path / "output"
    shutil.copytree(previous, folder)
    breaker(folder)
    return folder


def _one_clear_line(code, out, err, fragment):
    assert code == 1 and out == "", (out, err)
    assert err.startswith("error: ") and err.count("\n") == 1 and fragment in err, err
    assert "internal error" not in err


@pytest.mark.parametrize("case", sorted(MANIFEST_CASES))
def test_diff_against_a_broken_manifest(cli, previous, tmp_path, case):
    breaker, fragment = MANIFEST_CASES[case]
    folder = _broken(previous, tmp_path, breaker)
    _one_clear_line(*cli("diff", "--config", str(CONFIG), "--against", str(folder)), fragment)


@pytest.mark.parametrize("case", sorted(TEMPLATE_CASES))
def test_diff_against_a_broken_template(cli, previous, tmp_path, case):
    breaker, fragment = TEMPLATE_CASES[case]
    folder = _broken(previous, tmp_path, breaker)
    _one_clear_line(*cli("diff", "--config", str(CONFIG), "--against", str(folder)), fragment)


@pytest.mark.parametrize("case", sorted(set(MANIFEST_CASES) - {"a-folder"}))
def test_build_over_a_broken_manifest_says_why_and_force_replaces_it(cli, previous, tmp_path, case):
    breaker, fragment = MANIFEST_CASES[case]
    folder = _broken(previous, tmp_path, breaker)
    code, out, err = cli("build", "--config", str(CONFIG), "--output", str(folder))
    _one_clear_line(code, out, err, fragment)
    assert "--force" in err
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(folder), "--force")
    assert code == 0, err
    assert _manifest(folder)["files"]


def test_against_a_file_or_a_folder_without_a_manifest(cli, tmp_path):
    (tmp_path / "file").write_text("x")
    _one_clear_line(*cli("diff", "--config", str(CONFIG), "--against", str(tmp_path / "file")), "is not a folder")
    (tmp_path / "empty").mkdir()
    _one_clear_line(*cli("diff", "--config", str(CONFIG), "--against", str(tmp_path / "empty")),
                    f"previous manifest {tmp_path / 'empty' / 'manifest.json'} does not exist")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_manifest(cli, previous, tmp_path):
    folder = _broken(previous, tmp_path, lambda f: (f / "manifest.json").chmod(0))
    _one_clear_line(*cli("diff", "--config", str(CONFIG), "--against", str(folder)), "Permission denied")


def test_a_product_whose_versions_are_not_a_list_is_described_not_crashed(cli, previous, tmp_path):
    def breaker(folder):
        for entry in _manifest(folder)["stacks"]:
            path = folder / entry["template"]
            doc = json.loads(path.read_text())
            for resource in doc["Resources"].values():
                if resource["Type"] == "AWS::ServiceCatalog::CloudFormationProduct":
                    resource["Properties"]["ProvisioningArtifactParameters"] = "not a list"
            path.write_text(json.dumps(doc))

    folder = _broken(previous, tmp_path, breaker)
    code, out, err = cli("diff", "--config", str(CONFIG), "--against", str(folder))
    assert code == 3 and "version 'v1' added" in out, err


# --- the output deploy, status and check --output read ----------------------------------------------------------
# The same folder is read by deploy and status (which verify it against a fresh build before any AWS call) and by
# check --output; a pull request commits it, so it can hold a link to /dev/zero (read forever: MemoryError, exit 70),
# to a secret outside the repository, or a named pipe. Each is refused by name, without being followed or waited on.

def _link_out(path, target="/dev/zero"):
    path.unlink()
    path.symlink_to(target)


def _secret(tmp_path):
    secret = tmp_path / "secret.env"
    secret.write_text("AWS_SECRET_ACCESS_KEY=not-for-output\n")
    return secret


OUTPUT_CASES = {
    "manifest-to-dev-zero": (lambda f, t: _link_out(f / "manifest.json"), "manifest.json is a symbolic link"),
    "manifest-a-pipe": (lambda f, t: _mkfifo(f / "manifest.json"), "manifest.json is a named pipe"),
    "template-to-dev-zero": (lambda f, t: _link_out(_template(f)), "is a symbolic link"),
    "template-to-a-secret": (lambda f, t: _link_out(_template(f), _secret(t)), "is a symbolic link"),
    "template-a-pipe": (lambda f, t: _mkfifo(_template(f)), "is a named pipe"),
}


def _bounded(*args):
    """The CLI in a child limited to 1 GB and 60 s: what this class does when it regresses is hang or eat memory."""
    import resource
    import subprocess
    import sys

    from .conftest import ROOT

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL, preexec_fn=limit)
    return result.returncode, result.stdout, result.stderr


# deploy and status read output/ through the same loader (deploy/artifacts.load_fresh): deploy stands for both.
@pytest.mark.parametrize("command", ["deploy", "check"])
@pytest.mark.parametrize("case", sorted(OUTPUT_CASES))
def test_deploy_and_check_refuse_an_output_with_links_and_pipes(previous, tmp_path, command, case):
    breaker, fragment = OUTPUT_CASES[case]
    folder = _broken(previous, tmp_path, lambda f: breaker(f, tmp_path))
    args = {"deploy": ("deploy", "--config", str(CONFIG), "--output", str(folder), "--dry-run"),
            "check": ("check", "--output", str(folder), "--gate", "least-privilege")}[command]
    code, out, err = _bounded(*args)
    assert code == 1 and "internal error" not in err and fragment in err, (out, err)
    assert "not-for-output" not in out + err


def test_check_refuses_an_application_file_that_links_out(tmp_path):
    import shutil

    from .conftest import ROOT

    app = tmp_path / "app"
    shutil.copytree(ROOT / "examples" / "app", app)
    for path in (app / "buildspec.yml", app / "infra" / "service.yaml"):
        saved = path.read_bytes()
        _link_out(path)
        code, out, err = _bounded("check", "--config", str(CONFIG), "--app", str(app), "--gate", "least-privilege")
        assert code == 1 and f"application file {path} is a symbolic link" in err, (out, err)
        path.unlink()
        path.write_bytes(saved)
