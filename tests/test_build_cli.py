"""``python -m generator build``: validate first, write all or nothing, never eat a user's file."""

from __future__ import annotations

import shutil

import pytest

from generator import output_writer

from .conftest import CONFIG, CONFIGS


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(tmp_path, cli):
    out = tmp_path / "output"
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(out))
    assert code == 0, err
    return out


def test_build_writes_manifest_templates_and_readme(built):
    files = tree(built)
    assert {"manifest.json", "README.md", "config.json"} <= set(files)
    assert any(name.startswith("stacks/") for name in files)


def test_invalid_config_writes_nothing_and_reports_like_validate(tmp_path, cli, built):
    before = tree(built)
    bad = CONFIGS / "invalid" / "misspelled-products.yaml"
    code, _, err = cli("build", "--config", str(bad), "--output", str(built))
    assert code == 1
    assert err == cli("validate", "--config", str(bad))[2]
    assert tree(built) == before
    code, _, _ = cli("build", "--config", str(bad), "--output", str(tmp_path / "fresh"))
    assert code == 1 and not (tmp_path / "fresh").exists()


def test_a_failed_write_leaves_the_previous_output(built, cli, monkeypatch):
    before = tree(built)
    calls = {"n": 0}
    real = type(built).write_bytes

    def flaky(self, data):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(type(built), "write_bytes", flaky)
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(built))
    assert code == 1 and "No space left on device" in err
    assert tree(built) == before
    assert [p.name for p in built.parent.iterdir()] == ["output"], "no temporary folders left behind"


def test_files_the_build_did_not_write_stop_it(built, cli):
    (built / "notes.txt").write_text("mine")
    before = tree(built)
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(built))
    assert code == 1 and "notes.txt" in err and "--force" in err
    assert tree(built) == before
    code, _, _ = cli("build", "--config", str(CONFIG), "--output", str(built), "--force")
    assert code == 0 and not (built / "notes.txt").exists()


def test_output_that_is_a_file_is_an_error(tmp_path, cli):
    target = tmp_path / "output"
    target.write_text("x")
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(target))
    assert code == 1 and "not a folder" in err


def test_rebuild_over_own_output_is_allowed(built, cli):
    assert output_writer.foreign_files(built) == []
    assert cli("build", "--config", str(CONFIG), "--output", str(built))[0] == 0


def test_help_shows_an_example(cli, capsys):
    with pytest.raises(SystemExit) as info:
        cli("build", "--help")
    assert info.value.code == 0
    assert "example:" in capsys.readouterr().out


def test_build_says_where_it_writes_in_full(tmp_path, monkeypatch, cli):
    # --output is relative to the current folder, not to the config: the message gives the full path.
    shutil.copytree(CONFIG.parent, tmp_path / "elsewhere")  # with the template files next to the config
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("build", "--config", "elsewhere/portfolios.yaml")
    assert code == 0 and out.startswith("elsewhere/portfolios.yaml: wrote ")
    assert out.rstrip().endswith(f"stacks to {tmp_path / 'output'}/") and (tmp_path / "output" / "manifest.json").is_file()


def test_build_reports_the_leftovers_it_removed(built, cli):
    (built.parent / ".output.tmp-killed").mkdir()
    code, _, err = cli("build", "--config", str(CONFIG), "--output", str(built))
    assert code == 0 and err == f"note: removed 1 folder(s) left by interrupted builds next to {built}: .output.tmp-killed\n"
