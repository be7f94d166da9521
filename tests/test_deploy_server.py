"""`deploy` and `status` as a user's shell runs them: separate processes against moto's server on a loopback port.

The server runs in this process (moto[server]'s ThreadedMotoServer, started
and stopped here), so the fidelity patches of tests/deploy_support.py apply
to it; the CLI runs as its own process with AWS_ENDPOINT_URL and fake
credentials, the way a user points the AWS SDKs at another endpoint.
"""

from __future__ import annotations

import socket

import pytest

from generator.config_loader import load_config

from . import deploy_support
from .conftest import run_cli
from .deploy_support import faithful_change_sets, prepare_accounts

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def moto_server(monkeypatch):
    from moto.server import ThreadedMotoServer

    port = free_port()
    with faithful_change_sets():
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        try:
            endpoint = f"http://127.0.0.1:{port}"
            for key, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                               "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
                monkeypatch.setenv(key, value)
            monkeypatch.delenv("AWS_PROFILE", raising=False)
            yield endpoint
        finally:
            server.stop()


def test_deploy_and_status_as_separate_processes_against_moto_server(moto_server, tmp_path):
    config, output = deploy_support.built(tmp_path)
    prepare_accounts(load_config(config).catalogue)
    first = run_cli("deploy", "--config", str(config), "--output", str(output), timeout=180)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "uploads to s3://" in first.stdout and "done: " in first.stdout and "created" in first.stdout
    # Not a terminal: plain lines, no progress bar escape codes.
    assert "\x1b[" not in first.stdout + first.stderr

    again = run_cli("deploy", "--config", str(config), "--output", str(output), timeout=180)
    assert again.returncode == 0, again.stderr
    assert "0 uploaded" in again.stdout and "created" not in again.stdout and "unchanged" in again.stdout

    workload = ("--account", "stage", "--account", "prod")
    status = run_cli("status", "--config", str(config), "--output", str(output), *workload, timeout=120)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "in sync with output/" in status.stdout
