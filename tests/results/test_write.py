"""write_findings: findings.json's keys in order, its tables as records, one CSV per table, atomic files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
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
    assert list(data) == ["dataset", "patterns", "levels", "responsibilities", "dual_duty", "loop", "lists"]  # KEY_ORDER
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


# Writing while the analysis runs (FindingsWriter, analyze(ready=...)).


@pytest.fixture(scope="module")
def sample_dataset():
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.dataset.sample import sample_path

    return read_dataset(sample_path())


def _analyze(data, **kwargs):
    from graphmodel.model.network import build_network
    from graphmodel.results.findings import analyze

    return analyze(build_network(data), dataset=data, as_of="2024-12-31", **kwargs)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_writing_during_the_analysis_gives_the_same_files(tmp_path: Path, sample_dataset, monkeypatch: pytest.MonkeyPatch):
    from graphmodel.results.findings import KEY_ORDER
    from graphmodel.results.write import FindingsWriter

    monkeypatch.setattr(tabular, "CHUNK_CELLS", 4096)  # several chunks of the large tables in flight
    given: list[str] = []
    with FindingsWriter(tmp_path / "streamed") as writer:

        def ready(findings: Findings, key: str) -> None:
            assert key in findings.values or key in findings.tables  # final when handed over
            given.append(key)
            writer(findings, key)

        findings = _analyze(sample_dataset, ready=ready)
    after = write_findings(findings, tmp_path / "after")
    assert given == [k for k in KEY_ORDER if k in given] and len(set(given)) == len(given)  # findings.json's order
    assert set(given) == set(findings.values) | set(findings.tables)  # every key, once
    assert [p.name for p in writer.written] == [p.name for p in after]
    assert _files(tmp_path / "streamed") == _files(tmp_path / "after")
    assert list(orjson.loads((tmp_path / "after" / "findings.json").read_bytes())) == given


def test_the_analysis_leaves_the_callers_dataset_whole(sample_dataset):
    """analyze lets each file go once done with it, but only from its own copy of the dataset."""
    rows = {name: len(sample_dataset.table(name)) for name in ("indicators.csv", "posts.csv", "cases.csv", "cadres.csv")}
    first = _analyze(sample_dataset)
    assert {name: len(sample_dataset.table(name)) for name in rows} == rows
    for name, column in (("posts.csv", "cadre_id"), ("projects.csv", "owner_id"), ("indicators.csv", "org_id")):
        assert sample_dataset.resolved.positions(name, column, sample_dataset.table(name)[column]) is not None
    again = _analyze(sample_dataset)  # the same dataset, analyzed again
    assert again.values["lists"]["summary"] == first.values["lists"]["summary"]
    pd.testing.assert_frame_equal(again.values["cases"]["holders"], first.values["cases"]["holders"])


def test_a_failed_analysis_leaves_the_earlier_results_whole(tmp_path: Path, sample_dataset):
    from graphmodel.results.write import FindingsWriter

    write_findings(_analyze(sample_dataset), tmp_path)
    before = _files(tmp_path)

    def fail_at_dual_duty(findings: Findings, key: str) -> None:
        writer(findings, key)
        if key == "dual_duty":
            raise RuntimeError("stopped")

    with pytest.raises(RuntimeError, match="stopped"), FindingsWriter(tmp_path) as writer:
        _analyze(sample_dataset, ready=fail_at_dual_duty)
    assert _files(tmp_path) == before  # nothing moved into place, no temporary file left


def test_a_failed_write_stops_the_analysis_and_leaves_the_earlier_results_whole(tmp_path: Path):
    from graphmodel.results.write import FindingsWriter

    findings = _findings()
    write_findings(findings, tmp_path)
    before = _files(tmp_path)
    findings.tables["responsibilities"]["id"] = pd.Series([1] * len(findings.tables["responsibilities"]), dtype=object)
    with pytest.raises(pa.ArrowTypeError), FindingsWriter(tmp_path) as writer:
        for key in ("dataset", "responsibilities", "levels"):
            writer(findings, key)  # the writing thread fails on the ids; its error comes out here or at the end
    assert _files(tmp_path) == before


def test_a_key_is_written_once(tmp_path: Path):
    from graphmodel.results.write import FindingsWriter

    findings = _findings()
    with pytest.raises(ValueError, match="given twice"), FindingsWriter(tmp_path) as writer:
        writer(findings, "dataset")
        writer(findings, "dataset")
    assert list(tmp_path.iterdir()) == []


def test_a_dataset_without_validations_look_ups_is_analyzed_alike(sample_dataset):
    """analyze lets the organizations and cadres go before the three lists: a dataset that kept
    no look-ups (built by hand) must not need them there."""
    import dataclasses

    from graphmodel.dataset.resolved import Resolved

    bare = dataclasses.replace(sample_dataset, resolved=Resolved())
    expected, got = _analyze(sample_dataset), _analyze(bare)
    for name, table in expected.values["lists"].items():
        if isinstance(table, pd.DataFrame):
            pd.testing.assert_frame_equal(got.values["lists"][name], table)
    assert got.values["lists"]["summary"] == expected.values["lists"]["summary"]
