"""The project copied, its config edited as a team does on day one, rebuilt, and its own suite run there.

tests/test_own_catalogue.py asserts on the result. The inner suite runs in
a process of its own, started as soon as collection has chosen that test
(conftest.py's pytest_collection_finish), so that on two cores it runs
beside the outer suite instead of after it: the outer suite is one process,
and the run costs the larger of the two times, not their sum.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import day_one
from .conftest import ROOT

HERE = "tests/test_own_catalogue.py"
TIMEOUT = 1800


@dataclass
class Inner:
    root: Path  # the temporary folder: project/, tmp/ (the inner --basetemp), log
    process: subprocess.Popen | None
    problem: str = ""  # why the copy could not be made; the test fails with it

    @property
    def project(self) -> Path:
        return self.root / "project"

    def wait(self) -> tuple[int, str]:
        """The inner run's exit code and output."""
        assert self.process is not None, self.problem
        try:
            code = self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return code, (self.root / "log").read_text(errors="replace")


_started: Inner | None = None


def project_files() -> list[str] | None:
    """The files a clone would hold, as the working tree has them now (new files not yet added included)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode()
    return sorted(p for p in listed.split("\0") if p and os.path.lexists(ROOT / p))


def copy_project(names: list[str], target: Path) -> None:
    for name in names:
        source, copy = ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # the fixtures hold a link out of a config's folder: it must stay a link
            os.symlink(os.readlink(source), copy)
        else:
            shutil.copy2(source, copy)


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def _prepare(project: Path, names: list[str]) -> str:
    """Copy, edit, rebuild and commit (the CI example's tests clone the project); '' or what went wrong."""
    copy_project(names, project)
    day_one.edit(project / "config" / "portfolios.yaml")
    built = _run(sys.executable, "-m", "generator", "build", cwd=project)
    if built.returncode != 0:
        return f"build refused the edited config:\n{built.stderr}"
    git = ("git", "-c", "user.name=t", "-c", "user.email=t@example.com")
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "day one")):
        done = _run(*git, *args, cwd=project)
        if done.returncode != 0:
            return f"git {args[0]} in the copy: {done.stderr}"
    return ""


def start() -> Inner | None:
    """The inner run, started once; None when git cannot list the project's files."""
    global _started
    if _started is None:
        from .test_checkov import checkov_binary

        checkov = checkov_binary()  # the outer run's, wherever it found it: the copy has no .venv-checkov
        names = project_files()
        if names is None:
            return None
        # A short folder: a test binds a Unix socket under the inner --basetemp (108 bytes of path at most).
        root = Path(tempfile.mkdtemp(prefix="sct-"))
        _started = Inner(root, None)
        _started.problem = _prepare(_started.project, names)
        if not _started.problem:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
            env["HYPOTHESIS_PROFILE"] = "dev"  # what the property tests explore does not come from the config
            if checkov:
                env["CHECKOV"] = str(checkov)
            with (root / "log").open("w") as log:
                _started.process = subprocess.Popen(
                    [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--ignore={HERE}", f"--basetemp={root / 'tmp'}"],
                    cwd=_started.project, env=env, stdout=log, stderr=subprocess.STDOUT)
    return _started


def stop() -> None:
    """At the end of the outer session: an inner run still going (the outer one was interrupted) is ended, the copy removed."""
    global _started
    if _started is not None:
        if _started.process is not None and _started.process.poll() is None:
            _started.process.kill()
            _started.process.wait()
        shutil.rmtree(_started.root, ignore_errors=True)
        _started = None
