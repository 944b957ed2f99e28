"""Two years side by side: a worked example, the generator's planted changes, and the written files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from graphmodel.dataset.generate import FaultRates, generate_dataset, truth_path
from graphmodel.dataset.reader import read_dataset
from graphmodel.errors import GraphModelError
from graphmodel.results.compare import COMPARE_FILES, compare_years, write_comparison
from tests.builders import load

ORGS = [("R", "市委", "committee", ""), ("jw", "市纪委", "discipline", "R"), ("A", "区委", "committee", "R"),
        ("B", "支部", "branch", "A")]
POSTS = [("sR", "R", "secretary"), ("m1", "R", "member"), ("sA", "A", "secretary"), ("a1", "A", "member"),
         ("sB", "B", "secretary"), ("sJ", "jw", "secretary")]
STEADY = [("sR", "m1", "talk", 1), ("m1", "A", "talk", 1), ("sA", "a1", "talk", 1), ("a1", "B", "talk", 1),
          ("A", "B", "talk", 1), ("sA", "sB", "talk", 1), ("jw", "R", "inspection", 1)]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    evidence = [(*row, "2023-05-01") for row in STEADY] + [(*row, "2024-05-01") for row in STEADY]
    evidence += [("R", "A", "talk", 1, "2023-03-01"),                    # 2024: none — newly broken
                 ("sR", "sA", "meeting", 1, "2023-03-01"),               # weak in 2023 …
                 ("sR", "sA", "responsibility_letter", 1, "2024-02-01")]  # … repaired in 2024
    indicators = [(o, "score", v, y, "+") for y, values in (("2023", (90, 80, 70)), ("2024", (90, 60, 75)))
                  for o, v in zip("RAB", values)]
    return load(tmp_path_factory.mktemp("cmp") / "ds", organizations=ORGS, posts=POSTS,
                duties=[("m1", "A"), ("a1", "B")], evidence=evidence, indicators=indicators)


def test_worked_example(example) -> None:
    result = compare_years(example, 2023, 2024, ecology=True)
    links = result.tables["links"]
    assert links[["source", "target", "change", "category_a", "category_b"]].values.tolist() == [
        ["principal:R", "principal:A", "broken", "active", "missing"],
        ["first_person:R", "first_person:A", "repaired", "weak", "active"],
    ]
    assert links["weight_b"].round(4).tolist() == [0.0, 0.6988]
    levels = result.tables["levels"].set_index("level")
    # level 0 keeps its sources and the talk to m1; principal:A loses its direct link:
    # 2023 1 − (1 − 0.5507)(1 − 0.5507²) = 0.6870, 2024 0.5507² = 0.3033
    assert levels.loc[0, "change"] == "steady" and levels.loc[0, "delta"] == pytest.approx(0.0)
    assert levels.loc[1, "change"] == "cooled" and levels.loc[2, "change"] == "cooled"
    assert result.values["summary"]["levels"] == {"cooled": [1, 2], "warmed": [], "steady": [0], "tolerance": 0.01}
    assert result.values["summary"]["links"] == {"broken_a": 1, "broken_b": 1, "newly_broken": 1, "repaired": 1}
    coord = result.tables["coordination"]
    assert coord["org"].iloc[0] in {"A", "B"} and (coord["delta"].abs().diff().dropna() <= 1e-12).all()
    eco = result.tables["ecology"].set_index("org")
    assert eco.loc["A", "delta"] < 0 < eco.loc["B", "delta"] and eco.loc["R", "delta"] == pytest.approx(0.0)
    assert result.values["evidence"] == {"2023": 9, "2024": 8, "undated": 0}


def test_a_year_with_itself_changes_nothing(example) -> None:
    result = compare_years(example, 2024, 2024)
    assert result.tables["links"].empty and set(result.tables["levels"]["change"]) == {"steady"}
    assert (result.tables["coordination"]["delta"] == 0).all()


def test_unknown_year(example) -> None:
    with pytest.raises(GraphModelError, match="nothing in the dataset is dated 2022"):
        compare_years(example, 2022, 2024)


def test_written_files(example, tmp_path: Path) -> None:
    result = compare_years(example, 2023, 2024, ecology=True)
    written = write_comparison(result, tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(["compare.json", *COMPARE_FILES.values()])
    doc = json.loads((tmp_path / "out" / "compare.json").read_text(encoding="utf-8"))
    assert list(doc) == ["years", "parameters", "evidence", "patterns", "summary", "levels", "links", "coordination",
                         "ecology"]
    assert doc["years"] == [2023, 2024] and doc["patterns"]["2023"]["cooling"] in (True, False)
    for key, name in COMPARE_FILES.items():
        with open(tmp_path / "out" / name, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == len(doc[key]) == len(result.tables[key])
    assert doc["links"][0]["change"] == "broken"


@pytest.mark.parametrize("orgs, seed, rates", [(2500, 21, None), (800, 4, FaultRates(repaired_link=0.2, newly_broken_link=0.1))],
                         ids=["2500orgs", "800orgs-many-changes"])
def test_planted_changes_are_exactly_what_changed(tmp_path: Path, orgs: int, seed: int, rates: FaultRates | None) -> None:
    folder = tmp_path / "gen"
    generate_dataset(folder, orgs, seed, fault_rates=rates)
    faults = [json.loads(line) for line in truth_path(folder).read_text(encoding="utf-8").splitlines()[1:]]
    result = compare_years(read_dataset(folder), 2023, 2024)
    links = result.tables["links"]
    found = {(s, t, c) for s, t, c in zip(links["source"], links["target"], links["change"])}
    planted = {(f["source"], f["target"], "repaired" if f["fault"] == "repaired_link" else "broken")
               for f in faults if f["fault"] in ("repaired_link", "newly_broken_link")}
    assert found == planted and len(planted) > 10
    after = {(f["source"], f["target"]): f["after"] for f in faults if f["fault"] == "newly_broken_link"}
    assert all(after[s, t] == c for s, t, c, ch in zip(links["source"], links["target"], links["category_b"],
                                                       links["change"]) if ch == "broken")
