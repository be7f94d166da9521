"""validate and build on every invalid config: exit 1, a located message, bounded memory, nothing touched.

In process (the CLI's own entry point) with tracemalloc's peak for every
config; as a process, measured by benchmarks/measure.py (the child's peak
memory from /proc), where the file itself is the hazard. Time is not
asserted: benchmarks print it; a hang fails by the process timeout.
build must leave an existing output folder untouched.
"""

from __future__ import annotations

import re
import sys

import pytest

from .conftest import CONFIG, CONFIGS, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import measure

INVALID = sorted((CONFIGS / "invalid").glob("*.yaml"))
EXPECT = re.compile(rb"^# line (\d+): (.+)$")
MAX_MB = 200

pytestmark = pytest.mark.slow


def run(*args: str, timeout: float = 600) -> tuple[int, str, float, float]:
    """Exit code, output, wall seconds and peak memory (MB) of one CLI process."""
    return measure.run(*args, timeout=timeout)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "output"
    assert run("build", "--config", str(CONFIG), "--output", str(out))[0] == 0
    return out


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
@pytest.mark.parametrize("command", ["validate", "build"])
def test_every_invalid_config_exits_1_with_its_message_in_bounded_memory(path, command, built, cli):
    import tracemalloc

    line, fragment = EXPECT.match(path.read_bytes().split(b"\n", 1)[0]).groups()
    before = snapshot(built) if command == "build" else None
    extra = ["--output", str(built)] if command == "build" else []
    tracemalloc.start()
    try:
        code, out, err = cli(command, "--config", str(path), *extra)
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert any(f":{int(line)}:" in row and fragment.decode() in row for row in err.splitlines()), err
    assert peak_mb < MAX_MB, f"{peak_mb:.0f} MB"
    if before is not None:
        assert snapshot(built) == before


def test_a_20_mb_file_is_refused_without_reading_it_whole(tmp_path):
    big = tmp_path / "big.yaml"
    with big.open("w") as fh:
        fh.write("version: 1\n")
        for _ in range(20 * 1024):
            fh.write("# " + "x" * 1021 + "\n")
    assert big.stat().st_size >= 20 * 1024 * 1024
    code, out, _, mb = run("validate", "--config", str(big), timeout=60)
    assert code == 1 and "the limit is 5,242,880" in out
    assert mb < MAX_MB


def test_utf16_file_names_the_encoding(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes(CONFIG.read_text().encode("utf-16"))
    code, out, _, _ = run("validate", "--config", str(path))
    assert code == 1 and "save the file as UTF-8" in out and ":1:1:" in out
