"""The Neo4j commands as a user runs them: load, analyze --neo4j --write, export, round trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.store.settings import Neo4jSettings

pytestmark = pytest.mark.neo4j
runner = CliRunner()


def _env(settings: Neo4jSettings) -> dict[str, str]:
    env = {"NEO4J_URI": settings.uri, "NEO4J_USERNAME": settings.username, "NEO4J_PASSWORD": settings.password or ""}
    if settings.database:
        env["NEO4J_DATABASE"] = settings.database
    return env


def _findings(folder) -> dict:
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    data.pop("dataset")  # row counts of evidence differ: an export writes one row per pair and channel
    return data


def test_load_analyze_write_export_round_trip(neo4j_clean, tmp_path):
    env = _env(neo4j_clean)
    first = runner.invoke(app, ["load", "-q"], env=env)
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["load", "-q"], env=env)
    assert again.exit_code == 0, again.output
    assert first.output.split(":")[1].split(" in ")[0] == again.output.split(":")[1].split(" in ")[0]  # same counts

    from_graph = runner.invoke(app, ["analyze", "--neo4j", "--write", "--out", str(tmp_path / "g"), "-q"], env=env)
    assert from_graph.exit_code == 0, from_graph.output
    assert "wrote back to" in from_graph.output
    from_folder = runner.invoke(app, ["analyze", "--out", str(tmp_path / "f"), "-q"])
    assert from_folder.exit_code == 0
    assert _findings(tmp_path / "g") == _findings(tmp_path / "f")

    with neo4j_clean_driver(neo4j_clean) as driver:
        records, _, _ = driver.execute_query(
            "MATCH ()-[r:TRANSMITS_TO]->() RETURN count(r) AS links, sum(CASE WHEN r.broken THEN 1 ELSE 0 END) AS broken",
            database_=neo4j_clean.database)
        stored = records[0]
    expected = json.loads((tmp_path / "f" / "findings.json").read_text(encoding="utf-8"))
    assert stored["broken"] == len(expected["broken_links"])

    exported = runner.invoke(app, ["export", str(tmp_path / "exp"), "-q"], env=env)
    assert exported.exit_code == 0, exported.output
    redo = runner.invoke(app, ["analyze", str(tmp_path / "exp"), "--out", str(tmp_path / "e"), "-q"])
    assert redo.exit_code == 0, redo.output
    assert _findings(tmp_path / "e") == _findings(tmp_path / "f")


def neo4j_clean_driver(settings: Neo4jSettings):
    from graphmodel.store.connection import connect

    return connect(settings)


def test_write_needs_neo4j(tmp_path):
    result = runner.invoke(app, ["analyze", "--write", "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 2 and "--neo4j" in result.output


def test_server_down_is_one_clear_line_without_password(tmp_path):
    env = {**os.environ, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-Pa55"}
    done = subprocess.run([sys.executable, "-m", "graphmodel", "load", "-q"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "127.0.0.1:1" in lines[0]
    assert "s3cret" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
