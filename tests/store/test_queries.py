"""The Cypher library (queries/): headers, parameters, the CLI, and answers against the real Neo4j.

The Neo4j tests load the bundled sample once for the module, analyse it in Python and write the
analysis back (``write_analysis``), then check every query file: it writes nothing, returns its
documented columns, and answers its question as the Python analysis does.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from graphmodel.analysis.coordination import coordination
from graphmodel.analysis.drops import drops
from graphmodel.analysis.dual_duty import holder_status
from graphmodel.analysis.parameters import Parameters
from graphmodel.cli import app
from graphmodel.dataset.reader import Dataset, read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.errors import QueryError, StoreError
from graphmodel.model.network import DUTY_LINK, Network, build_network
from graphmodel.results.findings import Findings, analyze
from graphmodel.store.load import load_dataset
from graphmodel.store.queries import (
    QueryParam,
    coerce_params,
    get_query,
    list_queries,
    parse_assignments,
    parse_query,
    run_query,
    table_to_csv,
    table_to_json,
    used_parameters,
)
from graphmodel.store.settings import Neo4jSettings
from graphmodel.store.writeback import write_analysis
from graphmodel.vocabulary import ORG_KINDS, STAGES
from tests.store.same_rows import assert_same_rows

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2025-06-30"
"""The day overdue projects are judged against, in the analysis and in the queries."""

QUESTIONS = {
    "chain_of_command", "level_profile", "broken_links_below", "vacancies",
    "cut_off_dual_duty_holders", "weakest_coordination", "closed_loop_gaps", "case_trace",
    "problems_without_project", "overdue_projects", "cadre_responsibilities", "pressure_drops",
    "ecology_outliers",
}
"""The questions issue 6 asks for, by the name of the query that answers each."""

ALL = 10**6
"""A limit larger than any answer on the sample."""

SPECS = list_queries()


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# ---------------------------------------------------------------------------- headers (no Neo4j)


def test_every_question_has_one_query_with_a_complete_header() -> None:
    names = [s.name for s in SPECS]
    assert QUESTIONS <= set(names)
    assert len(names) == len(set(names))
    for spec in SPECS:
        assert spec.path is not None and spec.path.stem == spec.name
        assert "?" in spec.question
        assert spec.question.split()[0] in ("What", "Which", "How", "Where", "Who", "Whose", "Whom")
        assert _has_chinese(spec.question_zh) and "？" in spec.question_zh
        assert spec.mode == "read"
        assert spec.columns and all(c.isidentifier() for c in spec.columns)
        assert spec.example_text.startswith(":params {")


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_header_parameters_are_those_the_cypher_uses(spec: Any) -> None:
    declared = {p.name for p in spec.params}
    assert declared == used_parameters(spec.body)
    assert declared == set(spec.example)
    for p in spec.params:
        assert p.description
        if spec.example[p.name] is not None:
            assert p.coerce(spec.example[p.name]) == spec.example[p.name]


GOOD = """// question: How many organizations of a kind?
// 问题: 某类组织有多少？
// param kind: string = "committee" — an organization kind
// param day: date = null — a day
// :params {kind: "branch", day: date("2024-01-02")}
// columns: organizations, day
// mode: read
//
// notes: free text, even with a colon and a $dollar.
MATCH (o:Organization {kind: $kind}) RETURN count(o) AS organizations, $day AS day
"""


def test_a_header_is_parsed_into_its_fields() -> None:
    spec = parse_query(GOOD, "count_kind")
    assert [(p.name, p.type, p.required, p.default) for p in spec.params] == [
        ("kind", "string", False, "committee"), ("day", "date", False, None)]
    assert spec.example == {"kind": "branch", "day": dt.date(2024, 1, 2)}
    assert spec.columns == ("organizations", "day") and spec.mode == "read"
    assert spec.notes.startswith("notes: free text") and spec.body.startswith("MATCH")


@pytest.mark.parametrize("old, new, message", [
    ("// question: How many organizations of a kind?\n", "", "lacks '// question"),
    ("// 问题: 某类组织有多少？\n", "", "lacks '// 问题"),
    ("// mode: read", "// mode: readonly", ":7: mode must be read or write"),
    ("// columns: organizations, day", "// columns: organizations, organizations", ":6: columns must be distinct"),
    ("string = \"committee\"", "text = \"committee\"", ":3: type 'text' is not one of"),
    ("string = \"committee\" — an", "string = \"committee\" an", ":3: write a parameter as"),
    ("date = null", "date = 5", ":4: default of day"),
    ("day: date(\"2024-01-02\")}", "day: \"2024-13-02\"}", ":5: :params: parameter day"),
    ("kind: \"branch\", ", "", ":5: :params names day but the header declares day, kind"),
    ("// mode: read", "// mode: read\n// mood: good", ":8: 'mood: good' is not a header field"),
    ("$day AS day", "$days AS day", "the header declares day but the Cypher uses days"),
    ("$day AS day", "1 AS day", "the header declares day that the Cypher does not use"),
    ("{kind: $kind}", "{kind: $kind, x: $x}", "does not declare x, which the Cypher uses"),
])
def test_a_malformed_header_is_refused_with_its_line(old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace("$", r"\$")):
        parse_query(GOOD.replace(old, new), "count_kind")


def test_parameters_are_found_outside_comments_and_strings() -> None:
    cypher = "MATCH (n {id: $id}) // $no\n/* $nor */ RETURN '$not', \"x\\\"$nope\", $`a b`, $id2"
    assert used_parameters(cypher) == {"id", "a b", "id2"}


@pytest.mark.parametrize("ptype, text, value", [
    ("string", "O 1=2", "O 1=2"), ("integer", "-7", -7), ("float", "0.25", 0.25), ("float", "1", 1.0),
    ("boolean", "yes", True), ("boolean", "False", False), ("date", "2024-02-29", dt.date(2024, 2, 29)),
    ("float", "null", None), ("date", "null", None),
])
def test_command_line_strings_become_the_declared_type(ptype: str, text: str, value: Any) -> None:
    got = QueryParam("x", ptype, "x", required=False).coerce(text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("ptype, value", [
    ("integer", "1.5"), ("integer", True), ("float", "nan"), ("float", "abc"), ("boolean", "maybe"),
    ("date", "2024-02-30"), ("date", "30.01.2024"), ("string", 5),
])
def test_a_value_of_the_wrong_type_is_refused(ptype: str, value: Any) -> None:
    with pytest.raises(QueryError, match="parameter x: .* is not an? " + ptype):
        QueryParam("x", ptype, "x").coerce(value)


def test_parameters_get_defaults_and_are_checked_by_name() -> None:
    spec = get_query("case_trace")
    with pytest.raises(QueryError, match="needs parameter case"):
        coerce_params(spec, {})
    with pytest.raises(QueryError, match="a value is required"):
        coerce_params(spec, {"case": None})
    with pytest.raises(QueryError, match="has no parameter 'org'"):
        coerce_params(spec, {"case": "A1", "org": "O1"})
    assert coerce_params(get_query("weakest_coordination"), {"limit": "3"}) == {
        "tau_weak": 0.5, "under": None, "limit": 3}
    assert coerce_params(get_query("overdue_projects"), {"as_of": "2024-12-31"}) == {
        "as_of": dt.date(2024, 12, 31)}
    assert parse_assignments(["a=1", "b="]) == {"a": "1", "b": ""}
    for bad in (["a"], ["=1"], ["a=1", "a=2"]):
        with pytest.raises(QueryError):
            parse_assignments(bad)


def test_unknown_query_or_parameter_fails_before_connecting() -> None:
    nowhere = Neo4jSettings("bolt://127.0.0.1:1")
    with pytest.raises(QueryError, match="no query 'nope'; the queries are: broken_links_below"):
        run_query(nowhere, "nope")
    with pytest.raises(QueryError, match="no query '../x'"):
        run_query(nowhere, "../x")
    with pytest.raises(QueryError, match="has no parameter 'rho'"):
        run_query(nowhere, "pressure_drops", {"rho": "1"})


def test_answers_as_csv_and_json_keep_lists_and_dates() -> None:
    table = pd.DataFrame({"org": ["O1", "甲"], "missing": [["know", "assess"], []],
                          "due": [dt.date(2024, 1, 2), None], "x": [0.5, float("nan")]})
    back = pd.read_csv(pd.io.common.StringIO(table_to_csv(table)), keep_default_na=False)
    assert back["org"].tolist() == ["O1", "甲"]
    assert [json.loads(v) for v in back["missing"]] == [["know", "assess"], []]
    records = json.loads(table_to_json(table))
    assert records[0] == {"org": "O1", "missing": ["know", "assess"], "due": "2024-01-02", "x": 0.5}
    assert records[1]["due"] is None and records[1]["x"] is None


def test_cli_lists_every_query_with_its_question() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["query", "--list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert {r["name"] for r in rows} == {s.name for s in SPECS}
    trace = next(r for r in rows if r["name"] == "case_trace")
    assert trace["params"] == [{"name": "case", "type": "string", "required": True, "default": None,
                                "description": "the case's id (cases.csv)"}]
    as_table = runner.invoke(app, ["query", "--list"], env={"COLUMNS": "200"})
    assert as_table.exit_code == 0 and "weakest_coordination" in as_table.stdout
    assert "四责协同" in as_table.stdout
    for args, code, text in ((["query"], 2, "give a query name or --list"),
                             (["query", "level_profile", "--list"], 2, "give a query name or --list"),
                             (["query", "--list", "-f", "xml"], 2, "--format must be"),
                             (["query", "nope"], 1, "no query 'nope'"),
                             (["query", "level_profile", "-p", "kind"], 1, "write it as key=value")):
        result = runner.invoke(app, args)
        assert result.exit_code == code and text in result.stderr, (args, result.output)


# ---------------------------------------------------------------------------- the sample in Neo4j


@dataclass
class Graph:
    """The sample loaded, analysed and written back, and the Python analysis of it."""

    settings: Neo4jSettings
    driver: Driver
    dataset: Dataset
    network: Network
    findings: Findings
    seconds: dict[str, float]

    def run(self, name: str, **params: Any) -> pd.DataFrame:
        return run_query(self.settings, name, params, driver=self.driver)

    @property
    def pressure(self) -> dict[str, float]:
        table = self.findings.tables["responsibilities"]
        return dict(zip(table["id"].tolist(), table["pressure"].tolist()))


@pytest.fixture(scope="module")
def graph(neo4j_settings: Neo4jSettings, neo4j_driver: Driver) -> Iterator[Graph]:
    """The sample in Neo4j for this module alone (the test database's lock is held throughout)."""
    from tests.conftest import LOCK_WAIT_SECONDS, _lock_path, clear_database

    with open(_lock_path(neo4j_settings), "a+") as fh:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail("the Neo4j test database stayed locked")
                time.sleep(0.2)
        try:
            seconds: dict[str, float] = {}
            start = time.monotonic()
            clear_database(neo4j_driver, neo4j_settings)
            data = read_dataset(sample_path())
            network = build_network(data)
            findings = analyze(network, dataset=data, as_of=AS_OF)
            seconds["analyze"] = time.monotonic() - start
            start = time.monotonic()
            load_dataset(neo4j_settings, data, network)
            seconds["load"] = time.monotonic() - start
            start = time.monotonic()
            counts = write_analysis(neo4j_settings, findings)
            seconds["write"] = time.monotonic() - start
            assert counts.missing_links == counts.missing_responsibilities == 0
            yield Graph(neo4j_settings, neo4j_driver, data, network, findings, seconds)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _below(g: Graph, top: str) -> set[str]:
    """``top`` and every organization below it."""
    tree = g.network.tree
    at = tree.positions([top])[0]
    current = np.arange(len(tree))
    inside = current == at
    while (current >= 0).any():
        current = np.where(current >= 0, tree.parent[np.maximum(current, 0)], -1)
        inside |= current == at
    return set(tree.ids[inside].tolist())


def _fingerprint(driver: Driver, settings: Neo4jSettings) -> tuple[int, ...]:
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH count(n) AS nodes, sum(size(keys(n))) AS node_properties "
        "OPTIONAL MATCH ()-[r]->() "
        "RETURN nodes, node_properties, count(r) AS links, sum(size(keys(r))) AS link_properties",
        database_=settings.database, routing_="r")
    return tuple(int(v) for v in records[0].values())


@pytest.mark.neo4j
@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_each_query_is_read_only_and_returns_its_columns(graph: Graph, spec: Any) -> None:
    _, summary, keys = graph.driver.execute_query(
        "EXPLAIN " + spec.text, coerce_params(spec, spec.example), database_=graph.settings.database, routing_="r")
    assert summary.query_type == "r" and tuple(keys) == spec.columns
    before = _fingerprint(graph.driver, graph.settings)
    answer = graph.run(spec.name, **spec.example)
    assert _fingerprint(graph.driver, graph.settings) == before
    assert tuple(answer.columns) == spec.columns
    assert len(answer) > 0, "the :params example should show something on the sample"


@pytest.mark.neo4j
def test_a_read_query_that_writes_is_refused(graph: Graph, tmp_path: Path) -> None:
    (tmp_path / "sneaky.cypher").write_text(
        "// question: Does it write?\n// 问题: 它会写吗？\n// :params {}\n// columns: n\n// mode: read\n"
        "MATCH (o:Organization) SET o.touched = true RETURN count(o) AS n\n", encoding="utf-8")
    before = _fingerprint(graph.driver, graph.settings)
    with pytest.raises(StoreError, match="AccessMode"):
        run_query(graph.settings, "sneaky", folder=tmp_path, driver=graph.driver)
    assert _fingerprint(graph.driver, graph.settings) == before


def _chain_orgs(g: Graph) -> list[str]:
    """The deepest organization, a discipline body, one without a secretary, the root, and none."""
    tree, vacancies = g.network.tree, g.findings.tables["vacancies"]
    deepest = str(tree.ids[int(np.argmax(tree.depth))])
    discipline = str(tree.ids[np.flatnonzero(tree.kind == ORG_KINDS.index("discipline"))[-1]])
    no_secretary = str(vacancies.loc[vacancies["category"] == "secretary", "org"].iloc[-1])
    return [deepest, discipline, no_secretary, str(tree.ids[tree.root]), "no such org"]


@pytest.mark.neo4j
def test_chain_of_command(graph: Graph) -> None:
    for org in _chain_orgs(graph):
        _check_chain(graph, org)


def _check_chain(graph: Graph, org: str) -> None:
    ds, tree = graph.dataset, graph.network.tree
    names = dict(zip(ds.organizations["id"], ds.organizations["name"]))
    posts = ds.posts[ds.posts["role"] == "secretary"]
    secretary = dict(zip(posts["org_id"], posts["cadre_id"]))
    cadre_names = dict(zip(ds.cadres["id"], ds.cadres["name"]))
    pressure = graph.pressure
    rows, at, step = [], tree.positions([org])[0], 0
    while at >= 0:
        oid = str(tree.ids[at])
        rows.append({"step": step, "org": oid, "name": names[oid], "kind": ORG_KINDS[tree.kind[at]],
                     "level": int(tree.level[at]), "secretary": secretary.get(oid),
                     "secretary_name": cadre_names.get(secretary.get(oid, "")),
                     "pressure": pressure.get(f"principal:{oid}", pressure.get(f"supervisory:{oid}"))})
        at, step = tree.parent[at], step + 1
    got = graph.run("chain_of_command", org=org)
    assert got["step"].tolist() == list(range(len(rows)))
    expected = pd.DataFrame(rows, columns=list(got.columns))
    assert_same_rows(got, expected, ["step"], ["org", "name", "kind", "level", "secretary", "secretary_name"],
                     ["pressure"])


@pytest.mark.neo4j
@pytest.mark.parametrize("kind", [None, "principal", "dual_duty", "supervisory"])
def test_level_profile(graph: Graph, kind: str | None) -> None:
    levels = graph.findings.tables["levels"]
    if kind is None:
        expected = levels[["level", "count", "mean", "median", "p10", "attenuation"]]
    else:
        part = levels[levels[f"{kind}_count"] > 0]
        expected = pd.DataFrame({"level": part["level"], "count": part[f"{kind}_count"],
                                 "mean": part[f"{kind}_mean"], "median": part[f"{kind}_median"],
                                 "p10": part[f"{kind}_p10"]})
        means = expected["mean"].to_numpy()
        expected["attenuation"] = np.append(means[1:] / means[:-1], np.nan)
    got = graph.run("level_profile", kind=kind)
    assert got["level"].tolist() == expected["level"].tolist()
    assert_same_rows(got, expected, ["level"], ["count"], ["mean", "median", "p10", "attenuation"])


@pytest.mark.neo4j
@pytest.mark.parametrize("where", ["district", "root", "above the top link"])
def test_broken_links_below_ordered_by_impact(graph: Graph, where: str) -> None:
    broken = graph.findings.tables["broken_links"]
    owner = dict(zip(graph.findings.tables["responsibilities"]["id"], graph.findings.tables["responsibilities"]["org"]))
    tree = graph.network.tree
    top_target = owner[broken["target"].iloc[0]]
    org = {"district": "O00002", "root": str(tree.ids[tree.root]),
           "above the top link": str(tree.ids[tree.parent[tree.positions([top_target])[0]]])}[where]
    inside = _below(graph, org)
    expected = broken.assign(org=broken["target"].map(owner).astype(object))
    expected = expected[expected["org"].isin(inside)]
    got = graph.run("broken_links_below", org=org, limit=ALL)
    assert len(got) == len(expected) > 0
    impacts = got["impact"].to_numpy(dtype=float)
    assert (np.diff(impacts) <= 0).all()
    assert_same_rows(got, expected.assign(link_type=expected["link_type"].astype(str),
                                          category=expected["category"].astype(str)),
                     ["source", "target"], ["category", "link_type", "org", "level"], ["weight", "impact"])
    head = graph.run("broken_links_below", org=org)
    top = np.sort(expected["impact"].to_numpy(dtype=float))[::-1][:50]
    assert head["impact"].to_numpy(dtype=float) == pytest.approx(top, rel=1e-9)


@pytest.mark.neo4j
@pytest.mark.parametrize("category, under", [(None, None), ("secretary", None), ("supervision", None),
                                             ("members", None), (None, "O00002")])
def test_vacancies(graph: Graph, category: str | None, under: str | None) -> None:
    expected = graph.findings.tables["vacancies"]
    expected = expected.assign(category=expected["category"].astype(str), vacant=expected["vacant"].astype(str),
                               kind=expected["kind"].astype(str))
    if category is not None:
        expected = expected[expected["category"] == category]
    if under is not None:
        expected = expected[expected["org"].isin(_below(graph, under))]
    got = graph.run("vacancies", category=category, under=under)
    assert len(got) > 0
    assert_same_rows(got, expected, ["org", "category"], ["vacant", "kind", "level"])


def _holders(g: Graph, table: pd.DataFrame, status: str | None) -> pd.DataFrame:
    keep = [any(s != "no_duty" for s in st) if status is None else status in st for st in table["status"]]
    return table[keep]


@pytest.mark.neo4j
@pytest.mark.parametrize("status, tau_weak, under", [(None, 0.5, None), ("isolated", 0.5, None),
                                                     ("no_duty", 0.5, "O00002"), ("cut_off_below", 0.3, None)])
def test_cut_off_dual_duty_holders(graph: Graph, status: str | None, tau_weak: float, under: str | None) -> None:
    if tau_weak == 0.5:
        table = graph.findings.tables["dual_duty"]
    else:
        table = holder_status(graph.network, Parameters(tau_weak=tau_weak), graph.findings.pressure)
    expected = _holders(graph, table, status)
    if under is not None:
        expected = expected[expected["org"].isin(_below(graph, under))]
    got = graph.run("cut_off_dual_duty_holders", status=status, tau_weak=tau_weak, under=under)
    assert len(got) > 0
    assert_same_rows(got, expected, ["cadre", "org"], ["status", "level", "duty_links", "active_duty_links"],
                     ["secretary_link_weight", "pressure"])


@pytest.mark.neo4j
@pytest.mark.parametrize("tau_weak, under", [(0.5, None), (0.3, None), (0.5, "O00012")])
def test_weakest_coordination(graph: Graph, tau_weak: float, under: str | None) -> None:
    if tau_weak == 0.5:
        expected = graph.findings.tables["coordination"]
    else:
        expected = coordination(graph.network, graph.findings.pressure, Parameters(tau_weak=tau_weak))
    if under is not None:
        expected = expected[expected["org"].isin(_below(graph, under))]
    expected = expected.assign(weakest=expected["weakest"].astype(str), kind=expected["kind"].astype(str))
    got = graph.run("weakest_coordination", tau_weak=tau_weak, under=under, limit=ALL)
    scores = ["principal", "first_person", "dual_duty", "supervisory", "index"]
    assert_same_rows(got, expected, ["org"], ["kind", "level"], scores)
    # weakest: the first lowest component, where the lowest is not a float tie
    merged = got.merge(expected, on="org", suffixes=("", "_py"))
    values = merged[scores[:4]].to_numpy(dtype=float)
    ordered = np.sort(values, axis=1)
    clear = (ordered[:, 1] - ordered[:, 0] > 1e-9) | (ordered[:, 0] == 0)
    assert clear.mean() > 0.9
    assert (merged["weakest"][clear] == merged["weakest_py"][clear]).all()
    head = graph.run("weakest_coordination", tau_weak=tau_weak, under=under)
    assert head["index"].to_numpy(dtype=float) == pytest.approx(
        np.sort(expected["index"].to_numpy(dtype=float))[:50], abs=1e-12)


@pytest.mark.neo4j
@pytest.mark.parametrize("stage, under", [(None, None), ("know", None), ("assess", "O00012")])
def test_closed_loop_gaps(graph: Graph, stage: str | None, under: str | None) -> None:
    loop = graph.findings.tables["loop"]
    missing = [tuple(s for s in STAGES if not row[s]) for _, row in loop.iterrows()]
    expected = loop.assign(missing=missing, kind=loop["kind"].astype(str))
    expected = expected[[bool(m) and (stage is None or stage in m) for m in expected["missing"]]]
    if under is not None:
        expected = expected[expected["org"].isin(_below(graph, under))]
    got = graph.run("closed_loop_gaps", stage=stage, under=under)
    assert len(got) > 0
    assert_same_rows(got, expected, ["org"], ["missing", "kind", "level"],
                     [f"{s}_evidence" for s in STAGES])


def _trace_cases(g: Graph) -> list[str]:
    """Cases that exercise the trace: the longest climbs, a vacant secretary, no cadre, and more."""
    holders = g.findings.values["cases"]["holders"]
    by_case = holders.groupby("case").agg(step=("step", "max"), vacant=("vacant", "any"))
    no_cadre = g.dataset.cases.loc[g.dataset.cases["cadre_id"] == "", "id"].tolist()
    chosen = list(by_case.sort_values("step", ascending=False).index[:4])
    chosen += list(by_case[by_case["vacant"]].index[:2]) + no_cadre[:2]
    chosen += list(g.dataset.cases["id"].sample(12, random_state=6))
    return list(dict.fromkeys(chosen))


@pytest.mark.neo4j
def test_case_trace_equals_the_python_trace(graph: Graph) -> None:
    holders = graph.findings.values["cases"]["holders"]
    links = graph.findings.values["cases"]["links"]
    cases = _trace_cases(graph)
    assert holders.loc[holders["case"].isin(cases), "step"].max() >= 2
    assert holders.loc[holders["case"].isin(cases), "vacant"].any()
    for case in cases:
        expected = holders[holders["case"] == case]
        reached = links[(links["case"] == case) & (links["relation"] == "reached_by")]
        sources = reached.groupby(["step", "role", "responsibility"])["source"].agg(lambda s: tuple(sorted(s)))
        expected = expected.assign(reached_from=[
            sources.get((r.step, r.role, r.responsibility), ()) for r in expected.itertuples()])
        got = graph.run("case_trace", case=case)
        got = got.assign(reached_from=[tuple(sorted(v)) for v in got["reached_from"]])
        assert got["step"].is_monotonic_increasing
        assert_same_rows(got, expected, ["step", "role", "holder", "responsibility"],
                         ["org", "reached_by", "reached_from", "failed_to_pass", "implicated", "vacant"],
                         ["pressure"])
    assert graph.run("case_trace", case="no such case").empty


@pytest.mark.neo4j
@pytest.mark.parametrize("under", [None, "O00002"])
def test_problems_without_project(graph: Graph, under: str | None) -> None:
    expected = graph.findings.values["lists"]["problems_without_project"]
    if under is not None:
        expected = expected[expected["org"].isin(_below(graph, under))]
    got = graph.run("problems_without_project", under=under)
    assert len(got) > 0
    got = got.assign(severity=got["severity"].map(lambda v: None if v is None else str(v)))
    assert_same_rows(got, expected, ["problem"], ["org", "source", "severity", "description"])


@pytest.mark.neo4j
def test_overdue_projects(graph: Graph) -> None:
    expected = graph.findings.values["lists"]["overdue"]
    got = graph.run("overdue_projects", as_of=AS_OF)
    assert len(got) > 0 and got["days_overdue"].is_monotonic_decreasing
    assert_same_rows(got, expected, ["project"], ["problem", "org", "owner", "status", "due", "days_overdue"])
    earlier = graph.run("overdue_projects", as_of="2024-06-30")
    assert set(earlier["project"]) < set(got["project"])


def _cadres(g: Graph) -> list[str]:
    """Cadres with posts and duties, the root's secretary, a 纪委书记, a plain member, and nobody."""
    posts, orgs = g.dataset.posts, g.dataset.organizations
    kind = posts["org_id"].map(dict(zip(orgs["id"], orgs["kind"])))
    discipline_secretary = posts.loc[(kind == "discipline") & (posts["role"] == "secretary"), "cadre_id"].iloc[0]
    member = posts.loc[(posts["role"] == "member") & ~posts["cadre_id"].isin(g.dataset.duties["cadre_id"]), "cadre_id"].iloc[0]
    duties = g.dataset.duties["cadre_id"].value_counts()
    posts_per_cadre = posts["cadre_id"].value_counts()
    two_posts = next(c for c in duties.index if posts_per_cadre.get(c, 0) >= 2)
    root_secretary = posts.loc[(posts["org_id"] == g.network.tree.ids[g.network.tree.root])
                               & (posts["role"] == "secretary"), "cadre_id"].iloc[0]
    return [two_posts, duties.index[0], root_secretary, discipline_secretary, member, "no such cadre"]


@pytest.mark.neo4j
def test_cadre_responsibilities(graph: Graph) -> None:
    cadres = _cadres(graph)
    for cadre in cadres:
        _check_cadre(graph, cadre)
    mixed = graph.run("cadre_responsibilities", cadre=cadres[0])
    assert set(mixed["relation"]) == {"post", "duty"} and (mixed["relation"] == "post").sum() >= 2


def _check_cadre(graph: Graph, cadre: str) -> None:
    ds, net = graph.dataset, graph.network
    resp = graph.findings.tables["responsibilities"]
    mine = resp[resp["holder"] == cadre]
    at = {org: (rid, str(kind), p) for rid, kind, org, p in zip(mine["id"], mine["kind"], mine["org"], mine["pressure"])}
    rows = []
    for org, role in zip(*(ds.posts.loc[ds.posts["cadre_id"] == cadre, c] for c in ("org_id", "role"))):
        rid, kind, p = at.get(org, (None, None, None))
        rows.append(("post", org, role, rid, kind, p, None))
    ids = net.node_ids()
    duty = np.flatnonzero(net.edge_type == DUTY_LINK)
    holders = net.entity_ids(net.node_holder[net.edge_src[duty]])
    for org in ds.duties.loc[ds.duties["cadre_id"] == cadre, "org_id"].unique():
        target = f"principal:{org}"
        hits = duty[(holders == cadre) & (ids[net.edge_dst[duty]] == target)]
        rows += [("duty", org, None, target, "principal", graph.pressure[target], float(net.edge_weight[e]))
                 for e in hits] or [("duty", org, None, None, None, None, None)]
    expected = pd.DataFrame(rows, columns=["relation", "org", "role", "responsibility", "kind", "pressure", "weight"])
    got = graph.run("cadre_responsibilities", cadre=cadre)
    assert (got["cadre"] == cadre).all()

    def numbered(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.assign(w=frame["weight"].astype(float)).sort_values(["relation", "org", "w"], kind="stable")
        return frame.assign(n=frame.groupby(["relation", "org"]).cumcount())

    assert_same_rows(numbered(got), numbered(expected), ["relation", "org", "n"],
                     ["role", "responsibility", "kind"], ["pressure", "weight"])


@pytest.mark.neo4j
@pytest.mark.parametrize("rho_drop, under", [(0.5, None), (0.8, None), (0.5, "O00002")])
def test_pressure_drops(graph: Graph, rho_drop: float, under: str | None) -> None:
    if rho_drop == 0.5:
        expected = graph.findings.tables["drops"]
    else:
        expected = drops(graph.network, graph.findings.pressure, Parameters(rho_drop=rho_drop))
    if under is not None:
        expected = expected[expected["org"].isin(_below(graph, under))]
    got = graph.run("pressure_drops", rho_drop=rho_drop, under=under, limit=ALL)
    assert len(got) > 0 and got["ratio"].is_monotonic_increasing
    assert_same_rows(got, expected, ["org"], ["parent", "level"], ["pressure", "parent_pressure", "ratio", "link_weight"])
    head = graph.run("pressure_drops", rho_drop=rho_drop, under=under)
    assert head["ratio"].to_numpy(dtype=float) == pytest.approx(np.sort(expected["ratio"].to_numpy())[:50])


@pytest.mark.neo4j
@pytest.mark.parametrize("region", ["浦东新区", "黄浦区", None])
def test_ecology_outliers(graph: Graph, region: str | None) -> None:
    eco = graph.findings.values["ecology"]
    trees = eco["trees"]
    expected = trees if region is None else trees[trees["region"] == region]
    got = graph.run("ecology_outliers", region=region)
    assert len(got) == len(expected) > 0
    assert (got["year"] == eco["summary"]["year"]).all()
    assert_same_rows(got, expected, ["org"], ["name", "kind", "level", "region", "flagged", "reason"], ["index"])


@pytest.mark.neo4j
def test_cli_runs_a_query_in_process_and_as_a_subprocess(graph: Graph) -> None:
    env = {"NEO4J_URI": graph.settings.uri, "NEO4J_USERNAME": graph.settings.username,
           "NEO4J_PASSWORD": graph.settings.password, "NEO4J_DATABASE": graph.settings.database or ""}
    result = CliRunner().invoke(app, ["query", "closed_loop_gaps", "--param", "stage=know", "-f", "csv"], env=env)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(pd.io.common.StringIO(result.stdout), keep_default_na=False)
    expected = graph.run("closed_loop_gaps", stage="know")
    assert table["org"].tolist() == expected["org"].tolist()
    assert all("know" in json.loads(m) for m in table["missing"])
    org = get_query("chain_of_command").example["org"]
    shown = CliRunner().invoke(app, ["query", "chain_of_command", "-p", f"org={org}"], env={**env, "COLUMNS": "200"})
    rows = len(graph.run("chain_of_command", org=org))
    root = str(graph.network.tree.ids[graph.network.tree.root])
    assert shown.exit_code == 0 and root in shown.stdout and f"({rows} rows)" in shown.stdout
    run = subprocess.run(
        [sys.executable, "-m", "graphmodel", "query", "overdue_projects", "--param", f"as_of={AS_OF}", "--format", "json"],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    records = json.loads(run.stdout)
    assert [r["project"] for r in records] == graph.run("overdue_projects", as_of=AS_OF)["project"].tolist()
    bad = subprocess.run([sys.executable, "-m", "graphmodel", "query", "overdue_projects", "-p", "as_of=soon"],
                         capture_output=True, text=True, env={**os.environ, **env}, timeout=120, check=False)
    assert bad.returncode == 1 and "parameter as_of: 'soon' is not a date" in bad.stderr


@pytest.mark.neo4j
def test_docs_show_what_the_queries_answer_on_the_sample(graph: Graph) -> None:
    spec = importlib.util.spec_from_file_location("make_query_docs", ROOT / "scripts" / "make_query_docs.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.AS_OF == AS_OF
    text = script.render(graph.settings)
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == text, \
        "docs/queries.md is stale: run scripts/make_query_docs.py --load"
    assert all(f"### `{s.name}`" in text for s in SPECS)
