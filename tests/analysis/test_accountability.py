"""一案双查 traces: a worked example traced by hand, and traces checked against the generator's truth.

The worked example (weights by DESIGN §2: talk 0.55, letter 0.70, inspection 0.55, assessment
0.55 active; meeting 0.33 and report 0.39 weak)::

    R (committee, root) ── jw (its 纪委) ── pz (派驻 by jw)
    ├── A (committee) ── B (branch, no secretary)
    └── C (leading group)

    R: secretary sR, member m1 (in charge of A), deputy d1 (in charge of C)
    A: secretary sA, member a1 (in charge of B);  B: member b1;  C: secretary sC, member c1
    supervision: jw → R, jw → A, pz → C

    active:  R→A, sR→m1, sR→d1, sR→sA, sA→a1, a1→B, d1→C, jw→R, jw→pz, sC→c1
    weak:    R→C (meeting), m1→A (report), jw→A (meeting)
    missing: A→B, sR→sC, pz→C
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from graphmodel.analysis.accountability import TRACE_ROLES, implicated_kinds, trace_case, trace_cases
from graphmodel.analysis.cascade import cascade
from graphmodel.dataset.generate import FaultRates, generate_dataset, truth_path
from graphmodel.dataset.reader import read_dataset
from graphmodel.errors import GraphModelError
from graphmodel.model.network import build_network
from tests.builders import load

ORGS = [("R", "市委", "committee", ""), ("jw", "市纪委", "discipline", "R"), ("pz", "派驻组", "discipline", "jw"),
        ("A", "区委", "committee", "R"), ("B", "支部", "branch", "A"), ("C", "局党组", "leading_group", "R")]
POSTS = [("sR", "R", "secretary"), ("m1", "R", "member"), ("d1", "R", "deputy_secretary"), ("sA", "A", "secretary"),
         ("a1", "A", "member"), ("b1", "B", "member"), ("sC", "C", "secretary"), ("c1", "C", "member"),
         ("sJ", "jw", "secretary")]
EVIDENCE = [("R", "A", "talk", 1), ("R", "C", "meeting", 1), ("sR", "m1", "responsibility_letter", 1),
            ("sR", "d1", "responsibility_letter", 1), ("sR", "sA", "talk", 1), ("sA", "a1", "talk", 1),
            ("m1", "A", "report", 1), ("a1", "B", "inspection", 1), ("d1", "C", "assessment", 1),
            ("jw", "R", "inspection", 1), ("jw", "A", "meeting", 1), ("jw", "pz", "assessment", 1),
            ("sC", "c1", "talk", 1)]
CASES = [("K1", "B", "b1", "2024-03-01", "违纪"), ("K2", "C", "c1", "2024-05-01", "违法"),
         ("K3", "A", "", "2024-06-01", ""), ("K4", "pz", "", "", "")]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    data = load(tmp_path_factory.mktemp("case") / "ds", organizations=ORGS, posts=POSTS,
                duties=[("m1", "A"), ("a1", "B"), ("d1", "C")],
                supervision=[("jw", "R"), ("jw", "A"), ("pz", "C")], evidence=EVIDENCE, cases=CASES)
    network = build_network(data)
    return data, network, cascade(network)


def rows(trace) -> list[tuple]:
    h = trace.holders
    return list(zip(h["step"], h["org"], h["role"], h["holder"], h["implicated"]))


def links_of(trace) -> set[tuple]:
    t = trace.links
    return set(zip(t["role"], t["relation"], t["source"], t["target"], t["category"]))


def test_case_in_a_branch_without_secretary_climbs_one_level(example) -> None:
    data, network, pressure = example
    trace = trace_case(network, pressure, data, "K1")
    assert rows(trace) == [
        (0, "B", "cadre", "b1", False),          # no secretary, so no link to reach him
        (0, "B", "first_person", "", False),     # vacant
        (0, "B", "dual_duty", "a1", False),      # reached and in charge through active links
        (0, "B", "principal", "B", True),        # principal:A → principal:B is missing
        (1, "A", "first_person", "sA", False),
        (1, "A", "dual_duty", "m1", True),       # his duty link to A is weak
        (1, "A", "principal", "A", True),        # reached by two weak links, its link to B missing
        (1, "A", "supervisory", "jw", True),     # its supervision link to A is weak
    ]
    assert trace.holders["vacant"].tolist() == [False, True] + [False] * 6
    assert links_of(trace) == {
        ("principal", "reached_by", "principal:A", "principal:B", "missing"),
        ("dual_duty", "toward_case", "dual_duty:m1@R", "principal:A", "weak"),
        ("principal", "reached_by", "dual_duty:m1@R", "principal:A", "weak"),
        ("principal", "reached_by", "supervisory:jw", "principal:A", "weak"),
        ("principal", "toward_case", "principal:A", "principal:B", "missing"),
        ("supervisory", "toward_case", "supervisory:jw", "principal:A", "weak"),
    }
    assert trace.implicated == ["principal", "dual_duty", "supervisory"]
    assert trace.holders["org_name"].iloc[0] == "支部" and trace.holders["holder_name"].iloc[2] == "干部a1"
    nodes = network.node_index().get_indexer(trace.holders["responsibility"].replace("", "-"))
    known = nodes >= 0
    assert np.allclose(trace.holders["pressure"].to_numpy()[known], pressure[nodes[known]])


def test_case_in_a_leading_group_implicates_secretary_and_discipline_body(example) -> None:
    data, network, pressure = example
    trace = trace_case(network, pressure, data, "K2")
    assert rows(trace) == [
        (0, "C", "cadre", "c1", False),
        (0, "C", "first_person", "sC", True),    # first_person:R → first_person:C is missing
        (0, "C", "dual_duty", "d1", False),
        (0, "C", "principal", "C", True),        # R → C weak, pz → C missing
        (0, "C", "supervisory", "pz", True),     # its own link to C is missing
        (1, "R", "first_person", "sR", True),    # failed to pass to C's secretary
        (1, "R", "principal", "R", True),        # its link to C is weak
        (1, "R", "supervisory", "jw", False),
    ]
    assert trace.implicated == ["principal", "first_person", "supervisory"]


def test_cases_without_cadre_and_in_a_discipline_body(example) -> None:
    data, network, pressure = example
    k3 = trace_case(network, pressure, data, "K3")
    assert [(r[2], r[4]) for r in rows(k3)] == [("first_person", False), ("dual_duty", True), ("principal", True),
                                                ("supervisory", True)]
    k4 = trace_case(network, pressure, data, "K4")
    assert rows(k4) == [(0, "pz", "supervisory", "pz", False)] and k4.implicated == []


def test_implicated_kinds_over_all_cases(example) -> None:
    data, network, pressure = example
    traces = trace_cases(network, pressure, data.cases)
    table = implicated_kinds(traces)
    # principal: K1 K2 K3; first_person: K2; dual_duty: K1 K3; supervisory: K1 K2 K3 (ties go to the first)
    assert table[["kind", "cases"]].values.tolist() == [["principal", 3], ["first_person", 1], ["dual_duty", 2],
                                                        ["supervisory", 3]]
    assert table["share"].tolist() == [0.75, 0.25, 0.5, 0.75]
    assert table.attrs["most_often"] == "principal"
    assert table["failed_to_pass"].tolist() == [2, 1, 2, 3]


def test_json_and_unknown_case(example) -> None:
    data, network, pressure = example
    out = trace_case(network, pressure, data, "K1").to_dict()
    text = json.dumps(out, ensure_ascii=False)
    assert json.loads(text)["case"]["id"] == "K1"
    assert sum(len(h["links"]) for h in out["holders"]) == 6
    with pytest.raises(GraphModelError, match="no case 'K9'"):
        trace_case(network, pressure, data, "K9")


def test_a_stronger_threshold_implicates_more(example) -> None:
    from graphmodel.analysis.parameters import Parameters

    data, network, pressure = example
    loose = trace_cases(network, pressure, data.cases, Parameters(tau_weak=0.3))
    strict = trace_cases(network, pressure, data.cases, Parameters(tau_weak=0.8))
    assert loose.holders["implicated"].sum() < strict.holders["implicated"].sum()
    assert set(loose.links["category"]) == {"missing"}  # every weak link is active at τ 0.3


# ---- generated datasets: every link a trace lists is a planted broken link, and none is left out


@pytest.mark.parametrize("orgs, seed, rates", [(2000, 3, None), (500, 8, FaultRates(missing_link=0.15, weak_link=0.15))],
                         ids=["2000orgs", "500orgs-heavy"])
def test_traces_agree_with_the_planted_links(tmp_path: Path, orgs: int, seed: int, rates: FaultRates | None) -> None:
    folder = tmp_path / "gen"
    generate_dataset(folder, orgs, seed, fault_rates=rates)
    faults = [json.loads(line) for line in truth_path(folder).read_text(encoding="utf-8").splitlines()[1:]]
    broken = {(f["source"], f["target"]): f["category"] for f in faults
              if f["fault"] in ("missing_link", "weak_link", "cut_off")}
    into: dict[str, set] = defaultdict(set)
    for source, target in broken:
        into[target].add(source)
    data = read_dataset(folder)
    network = build_network(data)
    traces = trace_cases(network, cascade(network), data.cases)
    assert traces.cases == len(data.cases) > 20
    links = traces.links
    assert len(links) > 0 and (traces.holders["step"] > 0).any()
    # every link listed is planted, with its category
    assert all(broken.get((s, t)) == c for s, t, c in zip(links["source"], links["target"], links["category"]))
    # each holder is reached by exactly the planted broken links into its responsibility
    reached = links[links["relation"] == "reached_by"].groupby(["case", "step", "role", "responsibility"])["source"]
    listed = {key: set(v) for key, v in reached}
    h = traces.holders
    for case, step, role, resp, n in zip(h["case"], h["step"], h["role"], h["responsibility"], h["reached_by"]):
        if resp:
            assert listed.get((case, step, role, resp), set()) == into.get(resp, set())
            assert n == len(into.get(resp, set()))
    # the trace climbs from an organization exactly when a party-line link into it is planted broken
    parent = dict(zip(data.organizations["id"], data.organizations["parent_id"]))
    kind = dict(zip(data.organizations["id"], data.organizations["kind"]))
    steps = h.groupby("case")["step"].max().to_dict()
    orgs_by_step = {(c, s): o for c, s, o in zip(h["case"], h["step"], h["org"])}
    for case, last in steps.items():
        for step in range(last + 1):
            org = orgs_by_step[case, step]
            if kind[org] == "discipline":
                continue
            weak_above = any(broken.get((f"{k}:{parent[org]}", f"{k}:{org}")) for k in ("principal", "first_person"))
            assert weak_above == (step < last) or parent[org] == "", (case, step, org)
    # the holders at the case's organization: its members in charge and supervisors, from the CSVs
    duty = defaultdict(set)
    for cadre, org in zip(data.duties["cadre_id"], data.duties["org_id"]):
        duty[org].add(cadre)
    sup = defaultdict(set)
    for d, org in zip(data.supervision["discipline_id"], data.supervision["org_id"]):
        sup[org].add(d)
    first = h[h["step"] == 0]
    for case, part in first.groupby("case"):
        org = part["org"].iloc[0]
        assert set(part.loc[part["role"] == "dual_duty", "holder"]) == duty[org]
        assert set(part.loc[part["role"] == "supervisory", "holder"]) == (sup[org] if kind[org] != "discipline" else {org})
    assert set(h["role"]) <= set(TRACE_ROLES)
