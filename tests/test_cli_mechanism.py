"""The command line of the rest of the mechanism: trace, compare, and analyze --year / --as-of / --weights."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphmodel.analysis.accountability import trace_cases
from graphmodel.analysis.cascade import cascade
from graphmodel.cli import app
from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.model.network import build_network

runner = CliRunner()


@pytest.fixture(scope="module")
def climbing_case() -> str:
    """A case of the sample whose trace climbs at least two steps up the tree."""
    data = read_dataset(sample_path())
    network = build_network(data)
    holders = trace_cases(network, cascade(network), data.cases).holders
    return str(holders.loc[holders["step"] >= 2, "case"].iloc[0])


def test_trace_prints_a_readable_table(climbing_case: str) -> None:
    result = runner.invoke(app, ["trace", climbing_case])
    assert result.exit_code == 0, result.output
    text = result.output
    assert f"case {climbing_case}" in text and "step 0" in text and "step 2" in text
    assert "← reached by" in text and "→ toward the case" in text and "responsibilities implicated:" in text


def test_trace_json(climbing_case: str) -> None:
    result = runner.invoke(app, ["trace", climbing_case, str(sample_path()), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["case"]["id"] == climbing_case and doc["implicated"]
    assert max(h["step"] for h in doc["holders"]) >= 2
    assert all(link["category"] in ("weak", "missing") for h in doc["holders"] for link in h["links"])


def test_trace_refuses_an_unknown_case() -> None:
    result = runner.invoke(app, ["trace", "NO-SUCH-CASE"])
    assert result.exit_code == 1 and "no case 'NO-SUCH-CASE'" in result.output


def test_compare_writes_its_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", "2023", "2024", "--out", str(tmp_path / "out"), "-q", "--ecology"])
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "out" / "compare.json").read_text(encoding="utf-8"))
    assert doc["summary"]["ecology"]["trees_b"] > 0 and (tmp_path / "out" / "compare_ecology.csv").is_file()
    links = doc["summary"]["links"]
    assert f"{links['repaired']} repaired, {links['newly_broken']} newly broken" in result.output
    assert (tmp_path / "out" / "compare_links.csv").is_file()
    bad = runner.invoke(app, ["compare", "2023", "2031", "--out", str(tmp_path / "none"), "-q"])
    assert bad.exit_code == 1 and "2031" in bad.output and not (tmp_path / "none").exists()


def test_analyze_one_year_as_of_a_date_with_given_weights(tmp_path: Path) -> None:
    weights = tmp_path / "weights.csv"
    weights.write_text("indicator,weight\nassessment_score,2\npersonnel_issues,1\ndisciplinary_cases,1\n"
                       "inspection_findings,1\naudit_findings,1\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", "--out", str(out), "-q", "--year", "2023", "--as-of", "2024-12-31",
                                 "--weights", str(weights)])
    assert result.exit_code == 0, result.output
    assert "three lists" in result.output and "一案双查" in result.output and "政治生态 (2023, given weights)" in result.output
    doc = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert doc["year"] == 2023 and doc["lists"]["summary"]["as_of"] == "2024-12-31"
    assert doc["ecology"]["summary"]["weights"]["assessment_score"] == pytest.approx(2 / 6)
    everything = read_dataset(sample_path())
    assert doc["dataset"]["evidence"] < len(everything.evidence)  # one year's evidence
    assert doc["dataset"]["cases"] == int((everything.cases["date"].str.slice(0, 4) == "2023").sum())


def test_analyze_refuses_a_bad_date_and_an_absent_year(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "--out", str(tmp_path / "a"), "-q", "--as-of", "31.12.2024"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output and not (tmp_path / "a").exists()
    result = runner.invoke(app, ["analyze", "--out", str(tmp_path / "b"), "-q", "--year", "1999"])
    assert result.exit_code == 1 and "1999" in result.output and not (tmp_path / "b").exists()


def test_trace_as_a_real_subprocess(climbing_case: str) -> None:
    done = subprocess.run([sys.executable, "-m", "graphmodel", "trace", climbing_case, "--json"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "120"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["case"]["id"] == climbing_case
