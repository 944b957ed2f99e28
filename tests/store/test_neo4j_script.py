"""scripts/neo4j without starting a server: usage, status of an empty data folder, env."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "neo4j"


def _run(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "GRAPHMODEL_NEO4J_DATA": str(tmp_path / "data"),
               "GRAPHMODEL_NEO4J_PORT": "17999", **env}
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True, env=environ, timeout=30)


def test_usage_lists_the_subcommands(tmp_path: Path) -> None:
    done = _run(tmp_path=tmp_path)
    assert done.returncode == 2
    for word in ("fetch", "start", "stop", "status", "env"):
        assert word in done.stderr


def test_status_and_stop_without_a_server(tmp_path: Path) -> None:
    status = _run("status", tmp_path=tmp_path)
    assert (status.returncode, status.stdout.strip()) == (3, "not running")
    stop = _run("stop", tmp_path=tmp_path)
    assert stop.returncode == 0 and "not running" in stop.stderr


def test_env_points_at_the_port_and_never_prints_the_password(tmp_path: Path) -> None:
    secret = "very-secret-password"
    done = _run("env", tmp_path=tmp_path, GRAPHMODEL_NEO4J_PASSWORD=secret)
    assert done.returncode == 0
    assert "export NEO4J_URI=bolt://127.0.0.1:17999" in done.stdout
    assert secret not in done.stdout + done.stderr
    # The export refers to the variable, so evaluating it yields the password.
    shown = subprocess.run(["bash", "-c", done.stdout + 'printf %s "$NEO4J_PASSWORD"'], capture_output=True,
                           text=True, env={**os.environ, "GRAPHMODEL_NEO4J_PASSWORD": secret})
    assert shown.stdout == secret
