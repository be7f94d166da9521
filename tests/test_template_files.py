"""file: templates never lead out of the config's folder, and never to a pipe, device, socket or folder.

The class: a template path that resolves, through any symbolic link (the
file, a folder on the way, a chain of links), outside the configuration's
folder, or to anything but a regular file of at most CloudFormation's
template size. Each case is set up on a copy of a fixture and must be refused
by validate (located, with the reason) and by build (nothing written).
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

from generator.loader.files import MAX_TEMPLATE_BYTES, Refused, read_template

from .conftest import CONFIGS, run_cli

FIXTURE = CONFIGS / "valid" / "every-constraint.yaml"
LINE = 68  # the line of 'file: templates/vpc.yaml' in the fixture
GOOD = (CONFIGS / "valid" / "templates" / "vpc.yaml").read_bytes()


def _link(target):
    def setup(root: Path, template: Path):
        template.symlink_to(target(root) if callable(target) else target)
    return setup


def _secret(root: Path) -> Path:
    (root / "secret.yaml").write_text("Parameters: {Password: {Type: String, Default: hunter2}}\n")
    return root / "secret.yaml"


def _folder_link(root: Path, template: Path):
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "vpc.yaml").write_bytes(GOOD)
    template.parent.rmdir()
    template.parent.symlink_to(elsewhere, target_is_directory=True)


def _chain(root: Path, template: Path):
    _secret(root)
    (template.parent / "a.yaml").symlink_to("../../secret.yaml")
    template.symlink_to("a.yaml")


def _socket(root: Path, template: Path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(template))
    server.close()


REFUSED = {
    "link-to-a-file-outside": (_link(_secret), "outside the configuration's folder"),
    "link-to-proc-environ": (_link("/proc/self/environ"), "outside the configuration's folder"),
    "link-to-an-absolute-path": (_link("/etc/hostname"), "outside the configuration's folder"),
    "path-through-a-linked-folder": (_folder_link, "outside the configuration's folder"),
    "chain-of-links-that-leaves": (_chain, "outside the configuration's folder"),
    "loop-of-links": (_link("vpc.yaml"), "is a loop of symbolic links"),
    "dangling-link": (_link("gone.yaml"), "which does not exist"),
    "named-pipe": (lambda root, t: os.mkfifo(t), "is a named pipe"),
    "folder": (lambda root, t: t.mkdir(), "is a folder"),
    "socket": (_socket, "is a socket"),
    "too-large": (lambda root, t: t.write_bytes(b"#" * (MAX_TEMPLATE_BYTES + 1)), "the limit is 1,000,000"),
    "missing": (lambda root, t: None, "does not exist next to the configuration"),
}


def _setup(tmp_path: Path, case) -> Path:
    config_dir = tmp_path / "repo" / "config"
    (config_dir / "templates").mkdir(parents=True)
    config = config_dir / "portfolios.yaml"
    shutil.copy(FIXTURE, config)
    case(tmp_path / "repo", config_dir / "templates" / "vpc.yaml")
    return config


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_validate_and_build_refuse_with_the_reason(tmp_path, name):
    setup, reason = REFUSED[name]
    config = _setup(tmp_path, setup)
    # Processes with a timeout: a regression that blocks on a pipe fails instead of hanging the suite.
    result = run_cli("validate", "--config", str(config), timeout=30)
    assert result.returncode == 1, result.stderr
    rows = [row for row in result.stderr.splitlines() if reason in row]
    assert rows and rows[0].startswith(f"{config}:{LINE}:") and "'templates/vpc.yaml'" in rows[0], result.stderr
    out = tmp_path / "out"
    result = run_cli("build", "--config", str(config), "--output", str(out), timeout=30)
    assert result.returncode == 1 and reason in result.stderr and not out.exists()
    assert "hunter2" not in result.stderr + result.stdout


def test_a_link_that_stays_inside_the_folder_is_read(tmp_path, cli):
    def inside(root, template):
        shared = root / "config" / "shared"
        shared.mkdir()
        (shared / "vpc.yaml").write_bytes(GOOD)
        template.symlink_to("../shared/vpc.yaml")

    config = _setup(tmp_path, inside)
    code, _, err = cli("build", "--config", str(config), "--output", str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / "products" / "vpc" / "v1.yaml").read_bytes() == GOOD


@pytest.mark.parametrize("relative", ["/etc/hostname", "../secret.yaml", "templates/../../secret.yaml"])
def test_the_reader_refuses_absolute_paths_and_dot_dot_itself(tmp_path, relative):
    # The schema refuses these too; the reader does not rely on it.
    with pytest.raises(Refused, match="relative path inside the configuration's folder"):
        read_template(tmp_path, relative)


def test_a_device_is_refused_before_it_is_opened():
    with pytest.raises(Refused, match="is a character device"):
        read_template(Path("/dev"), "null")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_template(tmp_path):
    def unreadable(root, template):
        template.write_bytes(GOOD)
        template.chmod(0)

    config = _setup(tmp_path, unreadable)
    result = run_cli("validate", "--config", str(config))
    assert result.returncode == 1 and "Permission denied" in result.stderr
