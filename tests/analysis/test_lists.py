"""The three lists 问题、责任、项目: a worked example, the generator's ground truth, and invariants."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analysis.lists import LIST_NAMES, parse_as_of, three_lists
from graphmodel.dataset.generate import FaultRates, generate_dataset, truth_path
from graphmodel.dataset.reader import read_dataset
from graphmodel.errors import GraphModelError
from tests.builders import load

ORGS = [("R", "市委", "committee", ""), ("jw", "市纪委", "discipline", "R"), ("A", "区委", "committee", "R"),
        ("B", "支部", "branch", "A")]
POSTS = [("sR", "R", "secretary"), ("m1", "R", "member"), ("sA", "A", "secretary"), ("a1", "A", "member"),
         ("sB", "B", "secretary"), ("b1", "B", "member")]
DUTIES = [("m1", "A"), ("a1", "B")]
PROBLEMS = [
    ("P1", "A", "inspection", "巡察发现", "2"),
    ("P2", "A", "audit", "审计发现", "1"),
    ("P3", "B", "assessment", "考核发现", "3"),  # no project
    ("P4", "B", "case", "以案促改", "2"),
    ("P5", "B", "other", "信访反映", "1"),
    ("P6", "R", "inspection", "巡视反馈", "2"),
]
PROJECTS = [
    ("J1", "P1", "sA", "done", "2024-06-30"),         # the secretary of A
    ("J2", "P2", "m1", "open", "2024-03-01"),         # in charge of A; overdue by 305 days on 2024-12-31
    ("J3", "P4", "", "in_progress", "2025-03-01"),    # no owner
    ("J4", "P5", "b1", "done", "2024-01-01"),         # a member of B, but in charge of nothing in B
    ("J5", "P5", "m1", "open", ""),                   # in charge of A, not of B; no due date
    ("J6", "P6", "sR", "in_progress", "2024-12-31"),  # due on the day itself: not overdue
]


@pytest.fixture
def example(tmp_path: Path):
    return load(tmp_path / "ds", organizations=ORGS, posts=POSTS, duties=DUTIES, problems=PROBLEMS, projects=PROJECTS)


def test_worked_example(example) -> None:
    lists = three_lists(example, as_of="2024-12-31")
    assert lists.problems_without_project[["problem", "org", "source", "severity"]].values.tolist() == [
        ["P3", "B", "assessment", "3"]]
    assert lists.projects_without_owner[["project", "problem", "org"]].values.tolist() == [["J3", "P4", "B"]]
    assert lists.owners_not_in_charge[["project", "org", "owner", "owner_role"]].values.tolist() == [
        ["J4", "B", "b1", "member"], ["J5", "B", "m1", ""]]
    assert lists.overdue[["project", "owner", "days_overdue"]].values.tolist() == [["J2", "m1", 305]]
    by_org = {r.org: (r.problems, r.with_project, r.done, r.share_done) for r in lists.by_org.itertuples()}
    # A: P1 done, P2 open; B: P3 none, P4 in progress, P5 done (J4); R: P6 in progress
    assert by_org == {"A": (2, 2, 1, 0.5), "B": (3, 2, 1, pytest.approx(1 / 3)), "R": (1, 1, 0, 0.0)}
    summary = lists.summary()
    assert summary["as_of"] == "2024-12-31" and summary["problems"] == 6 and summary["projects"] == 6
    assert summary["share_done"] == pytest.approx(2 / 6)
    assert list(lists.tables()) == list(LIST_NAMES)


def test_overdue_moves_with_the_date(example) -> None:
    assert three_lists(example, as_of="2024-03-01").overdue.empty  # due that day
    assert list(three_lists(example, as_of="2024-03-02").overdue["project"]) == ["J2"]
    later = three_lists(example, as_of=dt.date(2025, 3, 2)).overdue
    assert later[["project", "days_overdue"]].values.tolist() == [["J2", 366], ["J6", 61], ["J3", 1]]
    assert three_lists(example).as_of == dt.date.today()


@pytest.fixture(scope="module")
def shared_example(tmp_path_factory: pytest.TempPathFactory):
    return load(tmp_path_factory.mktemp("lists") / "ds", organizations=ORGS, posts=POSTS, duties=DUTIES,
                problems=PROBLEMS, projects=PROJECTS)


@settings(max_examples=40, deadline=None)
@given(st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)), st.dates(dt.date(2023, 1, 1), dt.date(2026, 12, 31)))
def test_overdue_only_grows_and_never_holds_a_done_project(shared_example, day_a: dt.date, day_b: dt.date) -> None:
    early, late = sorted([day_a, day_b])
    a = three_lists(shared_example, as_of=early).overdue
    b = three_lists(shared_example, as_of=late).overdue
    assert set(a["project"]) <= set(b["project"])
    assert not ({"J1", "J4"} & set(b["project"]))  # done
    assert (b["days_overdue"] > 0).all()


def test_without_problems_every_list_is_empty(tmp_path: Path) -> None:
    data = load(tmp_path / "ds", organizations=ORGS, posts=POSTS)
    lists = three_lists(data, as_of="2024-12-31")
    assert all(len(t) == 0 for t in lists.tables().values())
    assert lists.summary()["share_done"] is None


def test_as_of_must_be_a_date() -> None:
    with pytest.raises(GraphModelError, match="YYYY-MM-DD"):
        parse_as_of("2024/12/31")


HEAVY = FaultRates(problem_without_project=0.3, project_without_owner=0.2, owner_not_in_charge=0.3,
                   overdue_project=0.5, vacancy_secretary=0.2, vacancy_members=0.2)


@pytest.mark.parametrize("orgs, seed, rates", [(1500, 5, None), (600, 2, HEAVY)], ids=["1500orgs", "600orgs-heavy"])
def test_generator_ground_truth(tmp_path: Path, orgs: int, seed: int, rates: FaultRates | None) -> None:
    folder = tmp_path / "gen"
    generate_dataset(folder, orgs, seed, fault_rates=rates)
    lines = [json.loads(line) for line in truth_path(folder).read_text(encoding="utf-8").splitlines()]
    meta, faults = lines[0]["meta"], lines[1:]
    lists = three_lists(read_dataset(folder), as_of=meta["as_of"])

    def planted(kind: str, key: str) -> set[str]:
        return {f[key] for f in faults if f["fault"] == kind}

    assert set(lists.problems_without_project["problem"]) == planted("problem_without_project", "problem")
    assert set(lists.projects_without_owner["project"]) == planted("project_without_owner", "project")
    assert set(lists.owners_not_in_charge["project"]) == planted("owner_not_in_charge", "project")
    assert set(lists.overdue["project"]) == planted("overdue_project", "project")
    assert all(len(planted(k, "org")) > 0 for k in ("problem_without_project", "owner_not_in_charge", "overdue_project"))
    wrong = {f["project"]: f["owner"] for f in faults if f["fault"] == "owner_not_in_charge"}
    assert dict(zip(lists.owners_not_in_charge["project"], lists.owners_not_in_charge["owner"])) == wrong


@pytest.mark.parametrize("orgs, seed", [(600, 2), (900, 7)])
def test_validations_look_ups_and_the_ids_text_give_the_same_lists(tmp_path: Path, orgs: int, seed: int) -> None:
    """A Dataset's lists compare validation's entity positions; a dataset-like object's, codes of
    the ids' text: the lists are the same."""
    from types import SimpleNamespace

    folder = tmp_path / "gen"
    generate_dataset(folder, orgs, seed, fault_rates=HEAVY)
    data = read_dataset(folder)
    plain = SimpleNamespace(**{name: getattr(data, name) for name in (
        "organizations", "cadres", "posts", "duties", "problems", "projects")})
    by_positions, by_text = three_lists(data, as_of="2024-12-31"), three_lists(plain, as_of="2024-12-31")
    for name in LIST_NAMES:
        assert getattr(by_positions, name).astype(str).values.tolist() == getattr(by_text, name).astype(str).values.tolist()
    assert len(by_positions.owners_not_in_charge) > 0 and (by_positions.owners_not_in_charge["owner_role"] != "").any()
