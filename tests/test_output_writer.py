"""output/ holds a complete build at every instant, leftovers are cleaned, and each failure says what to do.

A build killed at any step (a real SIGKILL in a child process, at each
checkpoint the writer passes) leaves output/ exactly as the previous or the
new build; the next build removes what the killed one left and says so.
Links, read-only parents, other file systems and systems without an atomic
exchange each get their own message or fallback.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from generator import output_writer
from generator.core.exceptions import BuildError
from generator.output_writer import write

from .conftest import ROOT


def build(tag: str) -> dict[str, bytes]:
    """A small build: a manifest that lists its files, and a few files that say which build wrote them."""
    files = {f"stacks/s{i}.template.json": f'{{"build": "{tag}", "i": {i}}}\n'.encode() for i in range(5)}
    files["products/p/v1.yaml"] = f"build: {tag}\n".encode()
    manifest = {"stacks": [], "uploads": [], "files": {path: "x" for path in files}}
    files["manifest.json"] = json.dumps(manifest).encode()
    return files


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".output."))


CHILD = """
import os, signal, sys, json
sys.path.insert(0, {root!r})
from generator import output_writer
if {fallback!r}:
    output_writer._exchange = lambda a, b: False
files = {{k: v.encode() for k, v in json.loads(sys.argv[2]).items()}}
def checkpoint(step):
    if step == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)
output_writer.write(sys.argv[1], files, checkpoint=checkpoint)
"""

STEPS = ["cleaned", "staging", "written", "exchanged", "swapped", "done"]
FALLBACK_STEPS = ["cleaned", "staging", "written", "parked", "swapped", "done"]


def kill_at(output: Path, step: str, files: dict[str, bytes], fallback: bool = False) -> int:
    script = CHILD.format(root=str(ROOT), fallback=fallback)
    payload = json.dumps({k: v.decode() for k, v in files.items()})
    return subprocess.run([sys.executable, "-c", script, str(output), payload, step], capture_output=True, timeout=60).returncode


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_any_step_output_is_the_old_or_the_new_build(tmp_path, step):
    output = tmp_path / "output"
    old, new = build("old"), build("new")
    write(output, old)
    assert kill_at(output, step, new) == -9
    assert tree(output) in (old, new), f"killed at {step}: output is neither build"
    report = write(output, build("next"))
    assert tree(output) == build("next")
    assert leftovers(tmp_path) == [], "the next build cleans what the killed one left"
    if step not in ("done", "cleaned"):
        assert any("left by interrupted builds" in note for note in report.notes), report.notes


@pytest.mark.parametrize("step", FALLBACK_STEPS)
def test_without_an_atomic_exchange_the_next_build_repairs_a_killed_swap(tmp_path, step):
    output = tmp_path / "output"
    old, new = build("old"), build("new")
    write(output, old)
    assert kill_at(output, step, new, fallback=True) == -9
    if step != "parked":  # the one moment the fallback has no output/, documented in output_writer
        assert tree(output) in (old, new)
    report = write(output, build("next"))
    assert tree(output) == build("next") and leftovers(tmp_path) == []
    if step == "parked":
        assert any("put back the previous build" in note for note in report.notes), report.notes


def test_the_first_build_killed_leaves_no_output_and_nothing_half_written(tmp_path):
    output = tmp_path / "output"
    assert kill_at(output, "written", build("new")) == -9
    assert not output.exists()
    write(output, build("next"))
    assert tree(output) == build("next") and leftovers(tmp_path) == []


def test_output_is_never_missing_while_builds_replace_it(tmp_path):
    output = tmp_path / "output"
    write(output, build("0"))
    seen_missing = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not (output / "manifest.json").is_file():
                seen_missing.append(True)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for i in range(1, 40):
            write(output, build(str(i)))
    finally:
        stop.set()
        watcher.join()
    assert seen_missing == [] and tree(output) == build("39")


def test_leftovers_of_older_killed_builds_are_removed_and_reported(tmp_path):
    output = tmp_path / "output"
    write(output, build("old"))
    (tmp_path / ".output.tmp-abc123" / "stacks").mkdir(parents=True)
    (tmp_path / ".output.old-def456" / "output").mkdir(parents=True)
    (tmp_path / ".output.tmp-notmine").write_text("a file, not a build folder")
    (tmp_path / ".other.tmp-x").mkdir()
    report = write(output, build("new"))
    assert report.notes == (f"removed 2 folder(s) left by interrupted builds next to {output}: "
                            ".output.old-def456, .output.tmp-abc123",)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp-x", ".output.tmp-notmine", "output"]


def test_a_parked_build_is_put_back_when_output_is_missing(tmp_path):
    parked = tmp_path / ".output.old-abc" / "output"
    parked.mkdir(parents=True)
    for rel, body in build("old").items():
        (parked / rel).parent.mkdir(parents=True, exist_ok=True)
        (parked / rel).write_bytes(body)
    report = write(tmp_path / "output", build("new"))
    assert tree(tmp_path / "output") == build("new") and leftovers(tmp_path) == []
    assert "put back the previous build from .output.old-abc" in report.notes[0]


def test_leftovers_of_a_running_build_are_left_alone(tmp_path):
    output = tmp_path / "output"
    write(output, build("old"))
    running = tmp_path / ".output.tmp-running"
    running.mkdir()
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # what a running build holds while it writes
        report = write(output, build("new"))
    finally:
        os.close(fd)
    assert running.is_dir() and tree(output) == build("new")
    assert report.notes == ("another build is running next to this one: temporary folders left alone",)


def test_output_that_is_a_symbolic_link_is_refused_not_replaced(tmp_path, cli):
    real = tmp_path / "real"
    write(real, build("old"))
    link = tmp_path / "output"
    link.symlink_to(real)
    with pytest.raises(BuildError, match=r"is a symbolic link \(to .*real\).*pass --output with the link's target"):
        write(link, build("new"))
    assert link.is_symlink() and tree(real) == build("old")


@pytest.mark.skipif(not os.path.isdir("/sys"), reason="needs /sys, a folder nobody may create files in (Linux)")
def test_a_parent_nobody_may_write_gives_a_message_not_exit_70(cli):
    from .conftest import CONFIG

    code, out, err = cli("build", "--config", str(CONFIG), "--output", "/sys/output")
    assert code == 1 and out == ""
    assert err.startswith("error: cannot write next to /sys/output in /sys: ") and "needs write access" in err


@pytest.mark.parametrize("code, fragment", [
    (errno.EROFS, "needs write access to the folder that holds it"),
    (errno.EACCES, "needs write access to the folder that holds it"),
    (errno.ENOSPC, "the previous output is unchanged"),
])
def test_a_temporary_folder_that_cannot_be_made(tmp_path, monkeypatch, code, fragment):
    output = tmp_path / "output"
    write(output, build("old"))

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output_writer.tempfile, "mkdtemp", refuse)
    with pytest.raises(BuildError, match=fragment):
        write(output, build("new"))
    assert tree(output) == build("old")


@pytest.mark.parametrize("code", [errno.EXDEV, errno.EBUSY])
def test_output_on_another_file_system(tmp_path, monkeypatch, code):
    # renameat2 answers EXDEV (or EBUSY for a mount point) when output/ is mounted
    # from elsewhere (rename(2) and renameat2(2) manual pages); mounting needs
    # root, so the kernel's answer is injected.
    output = tmp_path / "output"
    write(output, build("old"))

    def other_fs(a, b):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output_writer, "_exchange", other_fs)
    with pytest.raises(BuildError, match=r"on another file system than .*a mount point"):
        write(output, build("new"))
    assert tree(output) == build("old") and leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS])
def test_a_file_system_without_exchange_falls_back_to_renames(tmp_path, monkeypatch, code):
    import ctypes

    output = tmp_path / "output"
    write(output, build("old"))

    class NoExchange:
        def renameat2(self, *args):
            ctypes.set_errno(code)
            return -1

    monkeypatch.setattr(output_writer.ctypes, "CDLL", lambda *a, **k: NoExchange())
    write(output, build("new"))
    assert tree(output) == build("new") and leftovers(tmp_path) == []


def _project(tmp_path) -> Path:
    """A repository as a user has it: the config, a template file it names, and their own notes."""
    import shutil

    from .conftest import CONFIGS

    project = tmp_path / "project"
    (project / "config").mkdir(parents=True)
    shutil.copy(CONFIGS / "valid" / "rich.yaml", project / "config" / "portfolios.yaml")
    shutil.copytree(CONFIGS / "valid" / "templates", project / "config" / "templates")
    (project / "notes.txt").write_text("mine\n")
    return project


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --force replaces a folder whose files the build did not write; it must never be the folder that holds
# the build's own inputs or the one the user stands in ('--output "$OUT"' with OUT unset is '--output ""').
@pytest.mark.parametrize("output, why", [
    ("", "the current folder"), (".", "the current folder"), ("config", "config/portfolios.yaml"),
    ("config/templates", "config/templates/vpc.yaml"), ("..", "the current folder"),
])
def test_force_never_replaces_the_builds_inputs_or_the_current_folder(tmp_path, monkeypatch, cli, output, why):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    before = _files(tmp_path)
    code, out, err = cli("build", "--config", "config/portfolios.yaml", "--output", output, "--force")
    assert code == 1 and out == "" and err.startswith("error: ") and why in err and "--force" in err, err
    assert _files(tmp_path) == before and leftovers(project) == [] and leftovers(tmp_path) == []


def test_a_build_run_from_a_deleted_folder_still_writes(tmp_path, monkeypatch, cli):
    # The folder the user stands in can vanish (another build replaced it); it is not one to protect then.
    from .conftest import CONFIGS

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    code, _out, err = cli("build", "--config", str(CONFIGS / "valid" / "minimal.yaml"), "--output", str(tmp_path / "output"))
    assert code == 0 and (tmp_path / "output" / "manifest.json").is_file(), err


def _park(project: Path) -> dict[str, bytes]:
    """The state a build killed between the fallback's two renames leaves: output/ parked, nothing in its place."""
    before = _files(project / "output")
    (project / ".output.old-777").mkdir()
    os.rename(project / "output", project / ".output.old-777" / "output")
    return before


def test_a_parked_build_is_put_back_even_when_the_config_is_invalid(tmp_path, monkeypatch, cli):
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    assert cli("build")[0] == 0
    before = _park(project)
    (project / "bad.yaml").write_text("version: 1\n")
    code, _, err = cli("build", "--config", "bad.yaml")
    assert code == 1 and "put back the previous build from .output.old-777" in err, err
    assert _files(project / "output") == before and leftovers(project) == []


def _parked_with_a_changed_version(tmp_path, monkeypatch, cli) -> tuple[Path, dict[str, bytes]]:
    """A project whose build is parked, and whose config now changes a published version's template."""
    project = _project(tmp_path)
    monkeypatch.chdir(project)
    assert cli("build")[0] == 0
    before = _park(project)
    vpc = project / "config" / "templates" / "vpc.yaml"
    vpc.write_text(vpc.read_text() + "\n# changed under a published version\n")
    return project, before


def test_a_parked_build_still_guards_its_published_versions(tmp_path, monkeypatch, cli):
    # Without the parked manifest put back first, the guard would see no previous build and let v2 change.
    project, before = _parked_with_a_changed_version(tmp_path, monkeypatch, cli)
    code, _, err = cli("build")
    assert code == 1 and "--allow-version-change" in err, err
    assert _files(project / "output") == before


def test_a_build_running_beside_a_parked_swap_still_guards_its_published_versions(tmp_path, monkeypatch, cli):
    # Another build holds the folder's lock between the two renames of its fallback swap: this build may not put
    # the parked folder back, and must still compare its versions with the parked build's manifest.
    project, before = _parked_with_a_changed_version(tmp_path, monkeypatch, cli)
    held = os.open(project, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_SH)  # the running build's shared lock (output_writer._Lock)
        code, _, err = cli("build")
    finally:
        os.close(held)
    assert code == 1 and "--allow-version-change" in err, err
    assert _files(project / ".output.old-777" / "output") == before
