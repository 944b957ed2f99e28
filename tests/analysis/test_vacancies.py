"""Vacancies: the worked example and the three definitions checked on random datasets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.vacancies import VACANCY_COLUMNS, vacancies
from graphmodel.model.network import build_network
from tests.analysis.toynet import datasets, hand_dataset, toy_dataset


def test_worked_example():
    table = vacancies(build_network(hand_dataset()))
    assert tuple(table.columns[:4]) == VACANCY_COLUMNS
    # B has no secretary; A (committee) and C (leading group) are supervised by nobody — only R
    # is, by its 纪委 — while B, a branch, needs no supervisor; C has no team.
    assert table[["org", "category", "responsibility", "vacant"]].values.tolist() == [
        ["A", "supervision", "principal:A", "supervisory"],
        ["B", "secretary", "principal:B", "first_person"],
        ["C", "supervision", "principal:C", "supervisory"],
        ["C", "members", "principal:C", "dual_duty"],
    ]
    assert table["reason"].str.len().min() > 10


def test_discipline_secretary_does_not_fill_a_team():
    # The 纪委书记 sits on R's team but bears no 一岗双责: R's team is still vacant.
    data = toy_dataset(
        [("R", "committee", ""), ("jw", "discipline", "R")],
        posts=[("s", "R", "secretary"), ("j", "jw", "secretary"), ("j", "R", "member")],
    )
    table = vacancies(build_network(data))
    assert table[["org", "category"]].values.tolist() == [["R", "members"]]


def test_supervision_file_is_the_whole_truth():
    # With supervision.csv present and not naming R, R is unsupervised even though jw is its 纪委.
    orgs = [("R", "committee", ""), ("jw", "discipline", "R"), ("A", "committee", "R")]
    posts = [("s", "R", "secretary"), ("m", "R", "member"), ("t", "A", "secretary"), ("n", "A", "member")]
    table = vacancies(build_network(toy_dataset(orgs, posts, supervision=[("jw", "A")])))
    assert table[["org", "category"]].values.tolist() == [["R", "supervision"]]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(evidence=False))
def test_definitions_on_random_datasets(data):
    table = vacancies(build_network(data))
    got = set(zip(table["org"], table["category"]))
    orgs = data.organizations
    bearing = {o for o, k in zip(orgs["id"], orgs["kind"]) if k != "discipline"}
    discipline = set(orgs["id"]) - bearing
    kind = dict(zip(orgs["id"], orgs["kind"]))
    parent = dict(zip(orgs["id"], orgs["parent_id"]))
    posts = list(zip(data.posts["cadre_id"], data.posts["org_id"], data.posts["role"]))
    has_secretary = {o for _, o, r in posts if r == "secretary"}
    disc_secretaries = {c for c, o, r in posts if r == "secretary" and o in discipline}
    has_team = {o for c, o, r in posts if r != "secretary" and o in bearing and c not in disc_secretaries}
    if "supervision.csv" in data.present:
        supervised = set(data.supervision["org_id"])
    else:
        supervised = {parent[d] for d in discipline if kind[parent[d]] != "discipline"}
    expected = set()
    for o in bearing:
        if o not in has_secretary:
            expected.add((o, "secretary"))
        if kind[o] in ("committee", "leading_group") and o not in supervised:
            expected.add((o, "supervision"))
        if o not in has_team:
            expected.add((o, "members"))
    assert got == expected
