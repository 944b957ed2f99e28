"""Loading into Neo4j: schema, idempotence, verbatim strings, resumption, read-back, export."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import ConstraintError

from graphmodel.analysis.cascade import cascade
from graphmodel.analysis.links import broken_links
from graphmodel.dataset.generate import generate_dataset
from graphmodel.dataset.reader import Dataset, read_dataset
from graphmodel.errors import DatasetError, NetworkError, StoreError
from graphmodel.model.network import build_network
from graphmodel.store.connection import open_driver
from graphmodel.store.export import export_dataset
from graphmodel.store.load import graph_counts, load_dataset, load_runs
from graphmodel.store.read import read_dataset_from_neo4j
from graphmodel.store.schema import CONSTRAINTS, INDEXES, LABELS, ensure_schema
from graphmodel.store.settings import Neo4jSettings
from graphmodel.store.writeback import write_results
from graphmodel.vocabulary import CHANNELS
from tests.store.store_data import full_dataset, write_full_dataset

TABLES = ("organizations", "cadres", "posts", "duties", "supervision",
          "problems", "projects", "cases", "indicators")


def _query(settings: Neo4jSettings, cypher: str, **params: Any) -> list[dict[str, Any]]:
    with GraphDatabase.driver(settings.uri, auth=settings.auth) as driver:
        records, _, _ = driver.execute_query(cypher, params, database_=settings.database)
    return [r.data() for r in records]


def _snapshot(settings: Neo4jSettings) -> tuple[list[str], list[str]]:
    """Every node and relationship with its properties (load markers' times left out)."""
    nodes = _query(settings, "MATCH (n) WHERE NOT n:LoadRun RETURN labels(n) AS l, properties(n) AS p")
    rels = _query(settings, "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p")
    return sorted(repr(sorted(n.items())) for n in nodes), sorted(repr(sorted(r.items())) for r in rels)


def _expected_counts(ds: Dataset, n_nodes: int, n_links: int) -> dict[str, int]:
    """What the graph must hold, counted from the dataset's rows (DESIGN §7)."""
    def pairs(frame: pd.DataFrame, a: str, b: str) -> int:
        return len(frame[[a, b]].drop_duplicates())

    return {
        "Organization": len(ds.organizations), "Cadre": len(ds.cadres), "Responsibility": n_nodes,
        "Problem": len(ds.problems), "Project": len(ds.projects), "Case": len(ds.cases),
        "Indicator": ds.indicators["indicator"].nunique(), "LoadRun": 1,
        "SUBORDINATE_TO": int((ds.organizations["parent_id"] != "").sum()),
        "HOLDS": len(ds.posts), "IN_CHARGE_OF": pairs(ds.duties, "cadre_id", "org_id"),
        "SUPERVISES": pairs(ds.supervision, "discipline_id", "org_id"),
        "BEARS": n_nodes, "TRANSMITS_TO": n_links,
        "FOUND_IN": len(ds.problems), "ADDRESSES": len(ds.projects),
        "OWNS": int((ds.projects["owner_id"] != "").sum()), "OCCURRED_IN": len(ds.cases),
        "INVOLVES": int((ds.cases["cadre_id"] != "").sum()), "SCORED": len(ds.indicators),
    }


def _evidence_sums(ds: Dataset) -> pd.Series:
    return ds.evidence.groupby(["from_id", "to_id", "channel"])["count"].sum().sort_index()


def _assert_same_tables(a: Dataset, b: Dataset, *, keep_order: bool) -> None:
    for name in TABLES:
        left, right = getattr(a, name), getattr(b, name)
        if name in ("duties", "supervision"):  # repeated rows make one link (DESIGN §3)
            left = left.drop_duplicates()
        if not keep_order:
            key = list(left.columns)
            left = left.sort_values(key).reset_index(drop=True)
            right = right[list(left.columns)].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, obj=name)
    pd.testing.assert_series_equal(_evidence_sums(a), _evidence_sums(b))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---------------------------------------------------------------------------- without a server


def test_refused_before_anything_is_written(tmp_path: Path) -> None:
    folder = write_full_dataset(tmp_path / "d", extra_column="level")
    ds = read_dataset(folder)
    down = Neo4jSettings(f"bolt://127.0.0.1:{_closed_port()}")
    # The check comes first: a DatasetError, not the StoreError of the closed port.
    with pytest.raises(DatasetError, match="organizations.csv:1: level: 'level' is a property graphmodel sets"):
        load_dataset(down, ds, build_network(ds))
    other = full_dataset(tmp_path / "e")
    with pytest.raises(NetworkError):
        load_dataset(down, other, build_network(read_dataset(_sample_like(tmp_path))))


def _sample_like(tmp_path: Path) -> Path:
    out = tmp_path / "gen"
    generate_dataset(out, 40, seed=3)
    return out


def test_down_server_fails_fast_without_password(tmp_path: Path) -> None:
    ds = full_dataset(tmp_path / "d")
    secret = "never-printed-pw"
    down = Neo4jSettings(f"bolt://127.0.0.1:{_closed_port()}", password=secret)
    start = time.monotonic()
    with pytest.raises(StoreError) as info:
        load_dataset(down, ds, build_network(ds))
    assert time.monotonic() - start < 5
    assert secret not in str(info.value) and "\n" not in str(info.value)
    assert down.uri in str(info.value)


# ---------------------------------------------------------------------------- with Neo4j


@pytest.mark.neo4j
def test_constraints_and_indexes(neo4j_clean: Neo4jSettings) -> None:
    with open_driver(neo4j_clean) as driver:
        ensure_schema(driver, neo4j_clean)
        ensure_schema(driver, neo4j_clean)  # twice is fine
    rows = _query(neo4j_clean, "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
    unique = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in rows
              if r["type"] in ("UNIQUENESS", "NODE_KEY") and r["name"] in CONSTRAINTS}
    assert unique == {(label, ("id",)) for label in LABELS}
    indexes = {r["name"]: r["state"] for r in _query(neo4j_clean, "SHOW INDEXES YIELD name, state")}
    assert all(indexes.get(name) == "ONLINE" for name in INDEXES)
    _query(neo4j_clean, "CREATE (:Organization {id: $id})", id="dup")
    with pytest.raises(ConstraintError):
        _query(neo4j_clean, "CREATE (:Organization {id: $id})", id="dup")


@pytest.mark.neo4j
def test_load_twice_changes_nothing(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    ds = full_dataset(tmp_path / "d")
    net = build_network(ds)
    calls: list[tuple[str, int, int]] = []
    counts = load_dataset(neo4j_clean, ds, net, lambda *a: calls.append(a), batch_size=2)
    expected = _expected_counts(ds, net.n_nodes, net.n_links)
    assert graph_counts(neo4j_clean) == expected
    # Worked by hand from store_data: 4 principal + 4 first_person + 4 dual_duty + 3 supervisory;
    # the repeated duty row (c2 in charge of A) makes one IN_CHARGE_OF.
    assert (expected["Responsibility"], expected["IN_CHARGE_OF"], expected["Indicator"]) == (15, 3, 2)
    assert counts.elements == sum(v for k, v in expected.items() if k != "LoadRun")
    assert ("Cadre", 8, 8) in calls and ("Cadre", 0, 8) in calls  # progress, batch by batch
    first = _snapshot(neo4j_clean)
    again = load_dataset(neo4j_clean, ds, net)
    assert not again.resumed
    assert graph_counts(neo4j_clean) == expected
    assert _snapshot(neo4j_clean) == first
    runs = load_runs(neo4j_clean)
    assert len(runs) == 1 and runs[0].complete and runs[0].dataset == str(ds.path)


@pytest.mark.neo4j
def test_hostile_strings_are_stored_verbatim(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    ds = full_dataset(tmp_path / "d", hostile_ids=True)
    net = build_network(ds)
    load_dataset(neo4j_clean, ds, net)
    assert graph_counts(neo4j_clean) == _expected_counts(ds, net.n_nodes, net.n_links)
    root = ds.organizations.iloc[0]
    found = _query(neo4j_clean, "MATCH (o:Organization {id: $id}) RETURN o.name AS name, o.note AS note",
                   id=root["id"])
    assert found == [{"name": root["name"], "note": root["note"]}]
    assert "DETACH DELETE" in root["id"] + root["name"]
    back = read_dataset_from_neo4j(neo4j_clean)
    _assert_same_tables(ds, back, keep_order=True)  # same rows, order and line numbers
    assert list(back.organizations.index) == list(ds.organizations.index)  # a name spans 2 lines


@pytest.mark.neo4j
def test_read_back_gives_the_same_network(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    folder = tmp_path / "gen"
    generate_dataset(folder, 120, seed=11)
    ds = read_dataset(folder)
    net = build_network(ds)
    load_dataset(neo4j_clean, ds, net)
    back = read_dataset_from_neo4j(neo4j_clean, batch_size=100)
    _assert_same_tables(ds, back, keep_order=True)
    net2 = build_network(back)
    assert list(net2.node_ids()) == list(net.node_ids())
    np.testing.assert_array_equal(net2.edge_src, net.edge_src)
    np.testing.assert_array_equal(net2.edge_dst, net.edge_dst)
    np.testing.assert_array_equal(net2.edge_weight, net.edge_weight)


@pytest.mark.neo4j
def test_export_round_trips(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    ds = full_dataset(tmp_path / "d")
    load_dataset(neo4j_clean, ds, build_network(ds))
    written = export_dataset(neo4j_clean, tmp_path / "out")
    assert set(written) == set(ds.present)
    exported = read_dataset(tmp_path / "out")
    _assert_same_tables(ds, exported, keep_order=False)
    # One evidence row per (from, to, channel): R→A meeting 2 + 1.5 becomes one row of 3.5.
    ev = exported.evidence
    assert ev[(ev["channel"] == "meeting")]["count"].tolist() == [3.5]
    a, b = build_network(ds), build_network(exported)
    pa = pd.Series(cascade(a), index=a.node_ids()).sort_index()
    pb = pd.Series(cascade(b), index=b.node_ids()).sort_index()
    pd.testing.assert_series_equal(pa, pb)
    ba = broken_links(a, cascade(a)).set_index(["source", "target"]).sort_index()
    bb = broken_links(b, cascade(b)).set_index(["source", "target"]).sort_index()
    pd.testing.assert_frame_equal(ba[["category", "weight", "impact"]], bb[["category", "weight", "impact"]])
    with pytest.raises(StoreError, match="already holds"):
        export_dataset(neo4j_clean, tmp_path / "out")


@pytest.mark.neo4j
def test_write_back_pressures_and_broken_links(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    ds = full_dataset(tmp_path / "d")
    net = build_network(ds)
    load_dataset(neo4j_clean, ds, net)
    pressure = cascade(net)
    table = broken_links(net, pressure)
    assert 0 < len(table) < net.n_links
    counts = write_results(neo4j_clean, net, pressure, table)
    assert (counts.responsibilities, counts.links, counts.broken) == (net.n_nodes, net.n_links, len(table))
    stored = {r["id"]: r["p"] for r in _query(neo4j_clean, "MATCH (n:Responsibility) RETURN n.id AS id, n.pressure AS p")}
    assert stored == dict(zip(net.node_ids(), pressure.tolist()))
    flagged = _query(neo4j_clean, "MATCH (a)-[r:TRANSMITS_TO {broken: true}]->(b) "
                                  "RETURN a.id AS s, b.id AS t, r.category AS c, r.impact AS i")
    got = {(r["s"], r["t"]): (r["c"], r["i"]) for r in flagged}
    assert got == {(s, t): (str(c), i) for s, t, c, i in
                   zip(table["source"], table["target"], table["category"], table["impact"])}
    # A stricter threshold flags more; a looser one afterwards leaves no stale flags behind.
    write_results(neo4j_clean, net, pressure, None, tau_weak=0.99)
    strict = _query(neo4j_clean, "MATCH ()-[r:TRANSMITS_TO {broken: true}]->() RETURN count(r) AS n")[0]["n"]
    assert strict > len(table)
    write_results(neo4j_clean, net, pressure, None, tau_weak=0.0)
    rows = _query(neo4j_clean, "MATCH ()-[r:TRANSMITS_TO]->() RETURN r.broken AS b, r.category AS c, r.weight AS w")
    assert all(r["b"] == (r["w"] == 0) and (r["c"] == "missing") == r["b"] for r in rows)


@pytest.mark.neo4j
def test_replace_mirrors_a_changed_dataset(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    big = read_dataset(_sample_like(tmp_path))
    load_dataset(neo4j_clean, big, build_network(big))
    small = full_dataset(tmp_path / "d")
    net = build_network(small)
    load_dataset(neo4j_clean, small, net)  # adds: the first dataset stays
    assert graph_counts(neo4j_clean)["Organization"] == len(big.organizations) + len(small.organizations)
    load_dataset(neo4j_clean, small, net, replace=True)
    assert graph_counts(neo4j_clean) == _expected_counts(small, net.n_nodes, net.n_links)


_KILLABLE_LOAD = textwrap.dedent("""
    import sys
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network
    from graphmodel.store.load import load_dataset
    from graphmodel.store.settings import Neo4jSettings

    ds = read_dataset(sys.argv[1])
    net = build_network(ds)

    def progress(stage, done, total):
        print(stage, done, total, flush=True)

    load_dataset(Neo4jSettings.from_env(), ds, net, progress, batch_size=int(sys.argv[2]))
""")


@pytest.mark.neo4j
def test_killed_load_completes_when_run_again(neo4j_clean: Neo4jSettings, tmp_path: Path) -> None:
    folder = tmp_path / "gen"
    generate_dataset(folder, 400, seed=5)
    ds = read_dataset(folder)
    net = build_network(ds)
    env = {**os.environ, "NEO4J_URI": neo4j_clean.uri, "NEO4J_USERNAME": neo4j_clean.username,
           "NEO4J_PASSWORD": neo4j_clean.password, "NEO4J_DATABASE": neo4j_clean.database or ""}
    killed_in = None
    with subprocess.Popen([sys.executable, "-c", _KILLABLE_LOAD, str(folder), "100"], env=env,
                          stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2]) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            stage, done, total = line.rsplit(maxsplit=2)
            if stage == "HOLDS" and 0 < int(done) < int(total):  # midway through a stage
                os.kill(proc.pid, signal.SIGKILL)
                killed_in = stage
                break
        proc.wait(timeout=60)
    assert killed_in == "HOLDS", "the load ended before it could be cut off"
    runs = load_runs(neo4j_clean)
    assert len(runs) == 1 and not runs[0].complete and runs[0].stage == "HOLDS" and runs[0].offset > 0
    expected = _expected_counts(ds, net.n_nodes, net.n_links)
    cut = graph_counts(neo4j_clean)
    assert cut["HOLDS"] < expected["HOLDS"] and cut["TRANSMITS_TO"] == 0
    seen: list[tuple[str, int, int]] = []
    counts = load_dataset(neo4j_clean, ds, net, lambda *a: seen.append(a), batch_size=100)
    assert counts.resumed
    assert ("Organization", len(ds.organizations), len(ds.organizations)) == seen[0]  # skipped, done
    assert graph_counts(neo4j_clean) == expected
    assert load_runs(neo4j_clean)[0].complete
    _assert_same_tables(ds, read_dataset_from_neo4j(neo4j_clean), keep_order=True)
