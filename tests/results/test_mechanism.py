"""findings.json's lists, cases and ecology: computed with the dataset, written as objects of records and as CSVs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graphmodel.analysis.lists import LIST_NAMES
from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.model.network import build_network
from graphmodel.results.findings import analyze
from graphmodel.results.mechanism import MECHANISM_KEYS
from graphmodel.results.write import write_findings

STABLE = ("dataset", "parameters", "levels", "patterns", "responsibilities", "broken_links", "drops", "vacancies",
          "dual_duty", "coordination")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory):
    data = read_dataset(sample_path())
    findings = analyze(build_network(data), dataset=data, as_of="2024-12-31")
    out = tmp_path_factory.mktemp("findings")
    files = write_findings(findings, out)
    return findings, out, files, json.loads((out / "findings.json").read_text(encoding="utf-8"))


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_keys_are_added_and_the_stable_ones_kept(written) -> None:
    findings, _, _, doc = written
    assert set(STABLE) <= set(doc) and set(MECHANISM_KEYS) <= set(doc)
    assert sorted(doc["lists"]) == sorted(["summary", *LIST_NAMES])
    assert sorted(doc["cases"]) == ["holders", "implicated", "links", "summary"]
    assert sorted(doc["ecology"]) == ["forest", "index", "indicators", "outliers", "summary", "trees"]


def test_lists_in_json_and_csv_agree(written) -> None:
    findings, out, _, doc = written
    summary = doc["lists"]["summary"]
    assert summary["as_of"] == "2024-12-31"
    for name in LIST_NAMES[:-1]:
        rows = csv_rows(out / f"lists_{name}.csv")
        assert len(rows) == len(doc["lists"][name]) == summary[name] > 0, name
    assert [r["project"] for r in csv_rows(out / "lists_overdue.csv")] == [r["project"] for r in doc["lists"]["overdue"]]
    assert summary["problems"] == doc["dataset"]["problems"] and summary["projects"] == doc["dataset"]["projects"]


def test_cases_in_json_and_csv_agree(written) -> None:
    findings, out, _, doc = written
    summary = doc["cases"]["summary"]
    assert summary["cases"] == doc["dataset"]["cases"] == len({r["case"] for r in doc["cases"]["holders"]}) > 100
    implicated = {r["kind"]: r["cases"] for r in doc["cases"]["implicated"]}
    assert summary["most_implicated"] == max(implicated, key=lambda k: (implicated[k], -list(implicated).index(k)))
    assert len(csv_rows(out / "cases_holders.csv")) == len(doc["cases"]["holders"])
    assert len(csv_rows(out / "cases_links.csv")) == len(doc["cases"]["links"])


def test_ecology_in_json_and_csv_agree(written) -> None:
    findings, out, _, doc = written
    summary = doc["ecology"]["summary"]
    assert summary["year"] == 2024 and summary["method"] == "entropy"
    assert sum(summary["weights"].values()) == pytest.approx(1.0)
    assert summary["relation"]["pressure"]["spearman"] > 0.3  # the sample's portrait follows the cascade
    trees = csv_rows(out / "ecology_trees.csv")
    assert [t["org"] for t in trees] == [t["org"] for t in doc["ecology"]["trees"]]
    assert [t["flagged"] for t in trees] == [";".join(t["flagged"]) for t in doc["ecology"]["trees"]]
    assert any(len(t["flagged"]) > 1 for t in doc["ecology"]["trees"])  # a list cell becomes a;b
    assert len(csv_rows(out / "ecology_index.csv")) == summary["organizations"] == len(doc["ecology"]["index"])


def test_without_a_dataset_the_keys_are_absent() -> None:
    data = read_dataset(sample_path())
    findings = analyze(build_network(data))
    assert not set(MECHANISM_KEYS) & set(findings.values)
