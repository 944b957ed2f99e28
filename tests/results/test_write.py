"""write_findings: findings.json's keys in order, its tables as records, one CSV per table, atomic files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import pytest

from graphmodel.results import tabular
from graphmodel.results.findings import Findings
from graphmodel.results.tabular import _legacy_json_records, _legacy_write_csv
from graphmodel.results.write import dump_json, write_findings


def _findings(rows: int = 2000) -> Findings:
    rng = np.random.default_rng(7)
    responsibilities = pd.DataFrame({
        "id": pd.array([f"principal:O{i:06d}" for i in range(rows)], dtype="str"),
        "kind": pd.Categorical(rng.choice(["principal", "dual_duty"], rows)),
        "level": rng.integers(0, 5, rows),
        "pressure": rng.random(rows),
    })
    dual_duty = pd.DataFrame({"cadre": [f"C{i}" for i in range(rows)],
                              "status": pd.Series([["no_duty"] if i % 3 else [] for i in range(rows)], dtype=object),
                              "share": np.where(rng.random(rows) < 0.1, np.nan, rng.integers(0, 4, rows) / 4)})
    findings = Findings(network=None, parameters=None, pressure=np.zeros(0))  # type: ignore[arg-type]
    findings.values = {
        "dataset": {"organizations": rows, "links": np.int64(3)},
        "patterns": {"cooling": True, "blockages": [1, 2]},
        "lists": {"summary": {"overdue": 4}, "overdue": pd.DataFrame({"project": ["P1", 'P"2'], "days": [3, 40]}),
                  "empty": pd.DataFrame({"org": pd.Series([], dtype=object)})},
        "loop": {"note": "a value and a table under one key"},
    }
    findings.tables = {"responsibilities": responsibilities, "dual_duty": dual_duty,
                       "loop": pd.DataFrame({"org": ["O1"], "complete": [False]}),
                       "levels": pd.DataFrame({"level": [0, 1], "mean": [0.5, 1 / 3]})}
    return findings


def _records(frame: pd.DataFrame) -> object:
    buf = io.BytesIO()
    _legacy_json_records(frame, buf)
    return orjson.loads(buf.getvalue())


def _csv(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    _legacy_write_csv(frame, buf)
    return buf.getvalue()


@pytest.mark.parametrize("chunk_cells", [tabular.CHUNK_CELLS, 50])
def test_write_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_cells: int):
    monkeypatch.setattr(tabular, "CHUNK_CELLS", chunk_cells)  # many chunks in flight at once
    findings = _findings()
    written = write_findings(findings, tmp_path)
    names = ["responsibilities.csv", "dual_duty.csv", "loop.csv", "levels.csv", "lists_overdue.csv", "lists_empty.csv"]
    assert written == [tmp_path / "findings.json"] + [tmp_path / name for name in names]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["findings.json"] + names)  # no temporary files left
    data = orjson.loads((tmp_path / "findings.json").read_bytes())
    assert list(data) == ["dataset", "patterns", "lists", "loop", "responsibilities", "dual_duty", "levels"]
    assert data["dataset"] == orjson.loads(dump_json(findings.values["dataset"]))
    assert data["patterns"] == {"cooling": True, "blockages": [1, 2]}
    assert list(data["lists"]) == ["summary", "overdue", "empty"]
    assert data["lists"]["overdue"] == _records(findings.values["lists"]["overdue"]) == [
        {"project": "P1", "days": 3}, {"project": 'P"2', "days": 40}]
    assert data["lists"]["empty"] == []
    assert data["loop"] == {"note": "a value and a table under one key"}
    for key in ("responsibilities", "dual_duty", "levels"):
        assert data[key] == _records(findings.tables[key])
    for key in ("responsibilities", "dual_duty", "loop", "levels"):
        assert (tmp_path / f"{key}.csv").read_bytes() == _csv(findings.tables[key])
    assert (tmp_path / "lists_overdue.csv").read_bytes() == b'project,days\n"P1",3\n"P""2",40\n'
    assert (tmp_path / "lists_empty.csv").read_bytes() == b"org\n"


def test_a_failed_write_leaves_the_earlier_results_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(tabular, "CHUNK_CELLS", 50)
    findings = _findings()
    write_findings(findings, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    rows = len(findings.tables["dual_duty"])
    findings.tables["dual_duty"]["cadre"] = pd.Series(["C"] * (rows - 1) + [1], dtype=object)  # not text: fails late
    findings.values["dataset"]["organizations"] += 1
    with pytest.raises(Exception):
        write_findings(findings, tmp_path)
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(after) == sorted(before)  # no temporary files left
    assert after["findings.json"] == before["findings.json"] and after["dual_duty.csv"] == before["dual_duty.csv"]
