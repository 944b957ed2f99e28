"""The command line, in-process (typer's runner) and once as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from graphmodel.cli import app
from tests.builders import write_dataset

runner = CliRunner()


def test_analyze_sample_as_a_real_subprocess(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "graphmodel", "analyze", "--out", str(out), "--quiet"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "120"},
    )
    assert done.returncode == 0, done.stderr
    assert "cooling" in done.stdout and "level" in done.stdout
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    for key in ("dataset", "parameters", "levels", "patterns", "responsibilities"):
        assert key in findings
    assert findings["dataset"]["organizations"] > 1000
    levels = [row["level"] for row in findings["levels"]]
    assert levels == sorted(levels) and levels[0] == 0
    assert len(findings["responsibilities"]) == findings["dataset"]["responsibilities"]
    csv_lines = (out / "responsibilities.csv").read_text(encoding="utf-8").splitlines()
    assert csv_lines[0] == "id,kind,holder,org,level,pressure"
    assert len(csv_lines) == 1 + findings["dataset"]["responsibilities"]


def _bad_dataset(folder: Path) -> Path:
    return write_dataset(
        folder,
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R"), ("A", "重复", "committee", "R")],
        posts=[("s0", "R", "boss")],
        evidence=[("R", "A", "talk", 1)],
    )


def test_validate_lists_problems_and_exits_nonzero(tmp_path):
    result = runner.invoke(app, ["validate", str(_bad_dataset(tmp_path / "bad"))])
    assert result.exit_code == 2
    text = result.output
    assert "organizations.csv:4: id:" in text
    assert "posts.csv:2: role:" in text


def test_analyze_refuses_bad_input_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(_bad_dataset(tmp_path / "bad")), "--out", str(out), "-q"])
    assert result.exit_code == 2
    assert not out.exists()


def test_validate_lenient_reports_unmatched_evidence(tmp_path):
    folder = write_dataset(
        tmp_path / "ds",
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R")],
        posts=[("s0", "R", "secretary"), ("s1", "A", "secretary")],
        evidence=[("R", "A", "talk", 1), ("A", "R", "talk", 1)],
    )
    strict = runner.invoke(app, ["validate", str(folder)])
    assert strict.exit_code == 2 and "evidence.csv:3: to_id:" in strict.output
    lenient = runner.invoke(app, ["validate", str(folder), "--lenient"])
    assert lenient.exit_code == 0
    assert "evidence.csv:3" in lenient.output and "1 evidence row(s) skipped" in lenient.output


def test_analyze_with_custom_thresholds_records_them(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", "--out", str(out), "-q", "--tau-weak", "0.7", "--theta-cold", "0.2"])
    assert result.exit_code == 0, result.output
    params = json.loads((out / "findings.json").read_text(encoding="utf-8"))["parameters"]
    assert params["tau_weak"] == 0.7 and params["theta_cold"] == 0.2


def test_bad_parameter_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["analyze", "--out", str(tmp_path / "o"), "-q", "--theta-hot", "3"])
    assert result.exit_code == 1
    assert "theta_hot must lie in [0, 1]" in result.output
