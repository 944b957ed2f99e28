"""Load a validated dataset and its responsibility network into Neo4j (DESIGN §7).

The load is checked whole before anything is written, then written in stages (one per label
and relationship type) of batched ``UNWIND $rows`` transactions that ``MERGE`` on the keys, so
loading the same dataset twice changes nothing.

A ``(:LoadRun {id})`` node marks each load; ``id`` is a fingerprint of the dataset's content.
Every batch moves the marker's cursor (``stage``, ``offset``) in the same transaction that
writes the batch, and the marker gets ``finished`` only at the end. A load cut off midway
(its process killed, the server gone) therefore leaves a marker without ``finished`` —
``load_runs`` lists it — and running the same load again resumes at the cursor and completes
the graph with exact counts.

What is stored where (beyond DESIGN §7):

- every node and relationship that comes from a row carries ``line``, the row's physical line
  in its CSV file, so that reading back keeps the file order and the line numbers;
- ``Responsibility`` nodes also carry ``holder`` (the cadre or organization that bears it);
- ``TRANSMITS_TO`` carries ``weight``, ``structural``, ``type`` (one of
  ``vocabulary.LINK_TYPES``) and one property per channel holding the summed evidence count,
  present when the count is positive (``coalesce(r.talk, 0)`` in Cypher); evidence dates and
  notes are not stored;
- ``SCORED`` carries ``value``, ``year``, ``direction`` (the row's) and ``Indicator`` the
  first non-empty direction of its rows;
- extra CSV columns become properties of the node (or, for posts, duties, supervision and
  indicators, of the relationship) their row makes; empty values are not stored.

A load adds and updates; it never removes what a former load wrote. Pass ``replace=True`` to
delete graphmodel's nodes first, so that the graph mirrors a changed dataset exactly.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver, ManagedTransaction

from graphmodel.dataset.schema import spec
from graphmodel.errors import DatasetError, NetworkError, Problem
from graphmodel.model.network import (
    DUAL_DUTY,
    FIRST_PERSON,
    SP_LINK,
    STRUCTURAL_LINK,
    Network,
)
from graphmodel.store.connection import open_driver, store_errors
from graphmodel.store.schema import LABELS, ensure_schema
from graphmodel.store.settings import Neo4jSettings
from graphmodel.vocabulary import CHANNELS, LINK_TYPES, RESPONSIBILITY_KINDS

__all__ = [
    "BATCH_SIZE",
    "LoadCounts",
    "LoadProgress",
    "LoadRun",
    "check_loadable",
    "clear_graph",
    "dataset_fingerprint",
    "graph_counts",
    "load_dataset",
    "load_runs",
]

BATCH_SIZE = 10_000
"""Rows per write transaction."""

LoadProgress = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``: ``stage`` a label or relationship type being
written, ``done`` of its ``total`` rows written so far (first with ``done = 0``)."""

RESERVED = {
    "organizations.csv": ("level", "line"),
    "cadres.csv": ("line",),
    "posts.csv": ("line",),
    "duties.csv": ("line",),
    "supervision.csv": ("line",),
    "problems.csv": ("line",),
    "projects.csv": ("line",),
    "cases.csv": ("line",),
    "indicators.csv": ("line",),
}
"""Property names that graphmodel sets itself: an extra CSV column may not take them."""


@dataclass(frozen=True)
class LoadCounts:
    """What one load put in the graph.

    Attributes
    ----------
    nodes : label → number of nodes the dataset makes.
    relationships : relationship type → number of relationships the dataset makes.
    resumed : whether this load completed an earlier load of the same dataset that was cut off.
    seconds : wall time of the load.
    run : the ``LoadRun`` id (the dataset's fingerprint).
    """

    nodes: dict[str, int]
    relationships: dict[str, int]
    resumed: bool = False
    seconds: float = 0.0
    run: str = ""

    @property
    def elements(self) -> int:
        """Nodes plus relationships.

        Examples
        --------
        >>> LoadCounts({"Cadre": 2}, {"HOLDS": 3}).elements
        5
        """
        return sum(self.nodes.values()) + sum(self.relationships.values())


@dataclass(frozen=True)
class LoadRun:
    """The marker of one load: ``finished`` is ``None`` while it runs or after it was cut off."""

    id: str
    dataset: str
    started: str
    finished: str | None
    stage: str | None = None
    offset: int = 0

    @property
    def complete(self) -> bool:
        return self.finished is not None


# ---------------------------------------------------------------------------- rows


def _clean(values: Sequence[Any], *, keep_empty: bool = False) -> list[Any]:
    """Python values for Neo4j: numpy scalars unboxed, NaN (and ``""`` unless kept) as ``None``."""
    out = np.asarray(values, dtype=object).tolist() if not isinstance(values, list) else list(values)
    for i, v in enumerate(out):
        if isinstance(v, np.generic):
            v = v.item()
            out[i] = v
        if v is None:
            continue
        if isinstance(v, float) and math.isnan(v):
            out[i] = None
        elif v == "" and not keep_empty and isinstance(v, str):
            out[i] = None
        elif isinstance(v, (pd.Timestamp,)):
            out[i] = v.isoformat()
    return out


def _column(frame: pd.DataFrame, name: str, *, keep_empty: bool = False) -> list[Any]:
    if name not in frame.columns:
        return [None] * len(frame)
    return _clean(frame[name].tolist(), keep_empty=keep_empty)


def _lines(frame: pd.DataFrame) -> list[int]:
    return [int(v) for v in frame.index.tolist()]


def _extras(frame: pd.DataFrame, file: str) -> list[str]:
    known = set(spec(file).columns)
    return [str(c) for c in frame.columns if c not in known]


@dataclass
class _Stage:
    """One label or relationship type: its rows as columns, and how to write them.

    A row is ``{key: …, "p": {property: …}}``: node rows merge on ``id`` and set the map
    ``p``; relationship rows match their ends on ``a`` and ``b``, set ``p``'s fixed properties
    one by one and only an extra column's map whole (a map ``SET`` on a relationship makes the
    planner add an ``Eager`` step, which halves the write rate).
    """

    name: str
    keys: dict[str, list[Any]]
    props: dict[str, list[Any]] = field(default_factory=dict)
    extras: tuple[str, ...] = ()
    element: str = "node"  # "node" or "relationship"
    type: str = ""
    ends: tuple[str, str] = ("", "")
    special: str = ""  # a query of its own (SUBORDINATE_TO, SCORED)

    def __len__(self) -> int:
        for column in self.keys.values():
            return len(column)
        return 0

    @property
    def query(self) -> str:
        if self.element == "node":
            return _node_query(self.name)
        if self.special:
            return self.special.format(sets=self._sets("r"), ssets=self._sets("s"))
        sets = self._sets("r")
        return _rel_query(self.type, *self.ends) + (f" SET {sets}" if sets else "")

    def _sets(self, var: str) -> str:
        """``var.p = row.p.p, …`` for the fixed properties (names from this module, never data)."""
        fixed = [p for p in self.props if p not in self.extras]
        assert all(p.isidentifier() for p in fixed)
        parts = [f"{var}.{p} = row.p.{p}" for p in fixed]
        if self.extras:
            parts.append(f"{var} += row.x")
        return ", ".join(parts) or f"{var}.line = {var}.line"

    def rows(self, start: int, stop: int) -> list[dict[str, Any]]:
        keys = list(self.keys)
        props = list(self.props)
        key_cols = [self.keys[k][start:stop] for k in keys]
        prop_cols = [self.props[p][start:stop] for p in props]
        extra = set(self.extras) if self.element == "relationship" else set()
        out = []
        for i in range(stop - start):
            row = {k: col[i] for k, col in zip(keys, key_cols)}
            row["p"] = {p: col[i] for p, col in zip(props, prop_cols) if p not in extra}
            if extra:
                row["x"] = {p: col[i] for p, col in zip(props, prop_cols) if p in extra}
            out.append(row)
        return out


def _node_query(label: str) -> str:
    assert label in LABELS
    # ON CREATE / ON MATCH rather than a plain SET: no Eager step in the plan.
    return f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) ON CREATE SET n += row.p ON MATCH SET n += row.p"


def _rel_query(rel: str, a: str, b: str) -> str:
    assert a in LABELS and b in LABELS and rel.isupper()
    return (
        f"UNWIND $rows AS row MATCH (a:{a} {{id: row.a}}) MATCH (b:{b} {{id: row.b}}) "
        f"MERGE (a)-[r:{rel}]->(b)"
    )


_SUBORDINATE_QUERY = (
    "UNWIND $rows AS row MATCH (a:Organization {{id: row.a}}) MATCH (b:Organization {{id: row.b}}) "
    "MERGE (a)-[r:SUBORDINATE_TO]->(b) SET {sets} "
    # One parent: a former load's other parent link goes.
    "WITH a, b OPTIONAL MATCH (a)-[old:SUBORDINATE_TO]->(x) WHERE x <> b DELETE old"
)

_SCORED_QUERY = (
    "UNWIND $rows AS row MATCH (a:Organization {{id: row.a}}) MATCH (b:Indicator {{id: row.b}}) "
    "OPTIONAL MATCH (a)-[old:SCORED]->(b) WHERE coalesce(toString(old.year), '') = row.key "
    "WITH a, b, row, head(collect(old)) AS s "
    "FOREACH (_ IN CASE WHEN s IS NULL THEN [1] ELSE [] END | CREATE (a)-[r:SCORED]->(b) SET {sets}) "
    "FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | SET {ssets})"
)


def _with_extras(props: dict[str, list[Any]], frame: pd.DataFrame, file: str) -> tuple[dict[str, list[Any]], tuple[str, ...]]:
    names = _extras(frame, file)
    for name in names:
        props[name] = _column(frame, name)
    return props, tuple(names)


def _first_rows(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The first row of each distinct combination of ``columns`` (repeated rows make one link)."""
    return frame[~frame.duplicated(subset=columns, keep="first")]


def _node(label: str, ids: list[Any], props: dict[str, list[Any]], extras: tuple[str, ...] = ()) -> _Stage:
    return _Stage(label, {"id": ids}, props, extras)


def _rel(rel: str, ends: tuple[str, str], a: list[Any], b: list[Any], props: dict[str, list[Any]] | None = None,
         extras: tuple[str, ...] = (), *, name: str = "", special: str = "", more: dict[str, list[Any]] | None = None) -> _Stage:
    keys = {"a": a, "b": b, **(more or {})}
    return _Stage(name or rel, keys, props or {}, extras, "relationship", rel, ends, special)


def _stages(dataset: Any, network: Network) -> list[_Stage]:
    """Every stage of the load, in writing order (nodes first)."""
    tree = network.tree
    orgs, cadres, posts = dataset.organizations, dataset.cadres, dataset.posts
    problems, projects, cases, indicators = (
        dataset.problems, dataset.projects, dataset.cases, dataset.indicators
    )
    level = tree.level[tree.index.get_indexer(orgs["id"].to_numpy(dtype=object))]
    stages = [
        _node("Organization", _column(orgs, "id", keep_empty=True), *_with_extras({
            "name": _column(orgs, "name"),
            "kind": _column(orgs, "kind"),
            "region": _column(orgs, "region"),
            "level": _clean(level.tolist()),
            "line": _lines(orgs),
        }, orgs, "organizations.csv")),
        _node("Cadre", _column(cadres, "id", keep_empty=True), *_with_extras({
            "name": _column(cadres, "name"), "line": _lines(cadres),
        }, cadres, "cadres.csv")),
    ]
    node_ids = network.node_ids()
    holders = network.entity_ids(network.node_holder)
    stages.append(_node("Responsibility", node_ids.tolist(), {
        "kind": np.array(RESPONSIBILITY_KINDS, dtype=object)[network.node_kind].tolist(),
        "org": tree.ids[network.node_org].tolist(),
        "holder": holders.tolist(),
        "level": _clean(network.node_level.tolist()),
    }))
    stages.append(_node("Problem", _column(problems, "id", keep_empty=True), *_with_extras({
        "source": _column(problems, "source"),
        "description": _column(problems, "description"),
        "severity": _column(problems, "severity"),
        "line": _lines(problems),
    }, problems, "problems.csv")))
    stages.append(_node("Project", _column(projects, "id", keep_empty=True), *_with_extras({
        "status": _column(projects, "status"),
        "due": _column(projects, "due"),
        "line": _lines(projects),
    }, projects, "projects.csv")))
    stages.append(_node("Case", _column(cases, "id", keep_empty=True), *_with_extras({
        "date": _column(cases, "date"),
        "kind": _column(cases, "kind"),
        "line": _lines(cases),
    }, cases, "cases.csv")))
    names = _column(indicators, "indicator", keep_empty=True)
    directions = _column(indicators, "direction")
    first_direction: dict[Any, Any] = {}
    for n, d in zip(names, directions):
        if first_direction.get(n) is None:
            first_direction[n] = d
    stages.append(_node("Indicator", list(first_direction), {
        "name": list(first_direction), "direction": list(first_direction.values()),
    }))

    # Relationships.
    has_parent = orgs[orgs["parent_id"] != ""]
    stages.append(_rel("SUBORDINATE_TO", ("Organization", "Organization"),
                       _column(has_parent, "id"), _column(has_parent, "parent_id"),
                       special=_SUBORDINATE_QUERY))
    stages.append(_rel("HOLDS", ("Cadre", "Organization"), _column(posts, "cadre_id"), _column(posts, "org_id"),
                       *_with_extras({"role": _column(posts, "role"), "line": _lines(posts)}, posts, "posts.csv")))
    duties = _first_rows(dataset.duties, ["cadre_id", "org_id"])
    stages.append(_rel("IN_CHARGE_OF", ("Cadre", "Organization"), _column(duties, "cadre_id"), _column(duties, "org_id"),
                       *_with_extras({"line": _lines(duties)}, duties, "duties.csv")))
    if "supervision.csv" in dataset.present:
        sup = _first_rows(dataset.supervision, ["discipline_id", "org_id"])
        stages.append(_rel("SUPERVISES", ("Organization", "Organization"),
                           _column(sup, "discipline_id"), _column(sup, "org_id"),
                           *_with_extras({"line": _lines(sup)}, sup, "supervision.csv")))
    else:  # the default: each 同级纪委 supervises its committee (as the network has it)
        sp = network.edge_type == SP_LINK
        stages.append(_rel("SUPERVISES", ("Organization", "Organization"),
                           network.entity_ids(network.edge_from[sp]).tolist(),
                           network.entity_ids(network.edge_to[sp]).tolist()))

    by_cadre = (network.node_kind == FIRST_PERSON) | (network.node_kind == DUAL_DUTY)
    for label, mask in (("Organization", ~by_cadre), ("Cadre", by_cadre)):
        stages.append(_rel("BEARS", (label, "Responsibility"), holders[mask].tolist(), node_ids[mask].tolist(),
                           name=f"BEARS ({label})"))

    link_props: dict[str, list[Any]] = {
        "weight": network.edge_weight.tolist(),
        "structural": (network.edge_type == STRUCTURAL_LINK).tolist(),
        "type": np.array(LINK_TYPES, dtype=object)[network.edge_type].tolist(),
    }
    for c, channel in enumerate(CHANNELS):  # only positive counts are stored
        counts = network.edge_counts[:, c]
        link_props[channel] = [v if v > 0 else None for v in counts.tolist()]
    stages.append(_rel("TRANSMITS_TO", ("Responsibility", "Responsibility"),
                       node_ids[network.edge_src].tolist(), node_ids[network.edge_dst].tolist(), link_props))

    stages.append(_rel("FOUND_IN", ("Problem", "Organization"), _column(problems, "id"), _column(problems, "org_id")))
    stages.append(_rel("ADDRESSES", ("Project", "Problem"), _column(projects, "id"), _column(projects, "problem_id")))
    owned = projects[projects["owner_id"] != ""]
    stages.append(_rel("OWNS", ("Cadre", "Project"), _column(owned, "owner_id"), _column(owned, "id")))
    stages.append(_rel("OCCURRED_IN", ("Case", "Organization"), _column(cases, "id"), _column(cases, "org_id")))
    involved = cases[cases["cadre_id"] != ""]
    stages.append(_rel("INVOLVES", ("Case", "Cadre"), _column(involved, "id"), _column(involved, "cadre_id")))
    years = _column(indicators, "year")
    stages.append(_rel("SCORED", ("Organization", "Indicator"), _column(indicators, "org_id"), names,
                       *_with_extras({
                           "value": _column(indicators, "value"),
                           "year": years,
                           "direction": directions,
                           "line": _lines(indicators),
                       }, indicators, "indicators.csv"),
                       special=_SCORED_QUERY, more={"key": ["" if y is None else str(y) for y in years]}))
    return stages


# ---------------------------------------------------------------------------- checks


def check_loadable(dataset: Any, network: Network) -> None:
    """Check what the graph needs beyond the dataset rules, before anything is written.

    The dataset must already have passed ``read_dataset`` and ``build_network``. This checks
    that the network was built from it, that no extra column takes a property name graphmodel
    sets itself, that every reference between rows resolves (a relationship needs both ends),
    and that no organization scores twice on one indicator in one year.

    Raises
    ------
    DatasetError
        Listing every problem, as ``file:line: column: what is wrong``.
    NetworkError
        The network was not built from this dataset.
    """
    orgs = dataset.organizations
    if len(network.tree) != len(orgs) or not np.array_equal(
        np.asarray(network.tree.ids, dtype=object), orgs["id"].to_numpy(dtype=object)
    ):
        raise NetworkError("the network was not built from this dataset (its organizations differ)")
    if len(network.cadre_ids) != len(dataset.cadres):
        raise NetworkError("the network was not built from this dataset (its cadres differ)")
    problems: list[Problem] = []
    for file, reserved in RESERVED.items():
        frame = getattr(dataset, file.removesuffix(".csv"))
        for name in _extras(frame, file):
            if name in reserved:
                problems.append(Problem(file, 1, name,
                                        f"'{name}' is a property graphmodel sets in Neo4j; rename the column"))
    org_index = pd.Index(orgs["id"].to_numpy(dtype=object))
    cadre_index = pd.Index(dataset.cadres["id"].to_numpy(dtype=object))
    problem_index = pd.Index(dataset.problems["id"].to_numpy(dtype=object))

    def refs(file: str, column: str, index: pd.Index, what: str, optional: bool = False) -> None:
        frame = getattr(dataset, file.removesuffix(".csv"))
        if not len(frame) or column not in frame.columns:
            return
        values = frame[column].to_numpy(dtype=object)
        bad = index.get_indexer(values) < 0
        if optional:
            bad &= values != ""
        for line, value in zip(frame.index[bad], values[bad]):
            problems.append(Problem(file, int(line), column, f"no {what} has id '{value}'"))

    refs("problems.csv", "org_id", org_index, "organization")
    refs("projects.csv", "problem_id", problem_index, "problem")
    refs("projects.csv", "owner_id", cadre_index, "cadre", optional=True)
    refs("cases.csv", "org_id", org_index, "organization")
    refs("cases.csv", "cadre_id", cadre_index, "cadre", optional=True)
    refs("indicators.csv", "org_id", org_index, "organization")
    ind = dataset.indicators
    if len(ind):
        year = ind["year"].astype(str) if "year" in ind.columns else pd.Series("", index=ind.index)
        keys = [ind["org_id"].astype(str), ind["indicator"].astype(str), year]
        lines = pd.Series(ind.index.to_numpy(), index=ind.index)
        first = lines.groupby(keys, sort=False).transform("first")
        dup = (first != lines).to_numpy()
        for line, o, i, y, f in zip(ind.index[dup], keys[0][dup], keys[1][dup], keys[2][dup], first[dup]):
            problems.append(Problem("indicators.csv", int(line), "indicator",
                                    f"'{o}' scores on '{i}' in year '{y}' already on line {int(f)}"))
    if problems:
        raise DatasetError(problems)


# ---------------------------------------------------------------------------- fingerprint


def dataset_fingerprint(dataset: Any, network: Network) -> str:
    """A hash of everything a load writes: the dataset's tables and the link weights.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> ds = read_dataset(sample_path())
    >>> net = build_network(ds)
    >>> dataset_fingerprint(ds, net) == dataset_fingerprint(ds, net.with_weights(net.edge_weight))
    True
    >>> dataset_fingerprint(ds, net) == dataset_fingerprint(ds, net.with_weights(net.edge_weight / 2))
    False
    """
    h = hashlib.sha256()
    for name in ("organizations", "cadres", "posts", "duties", "supervision", "evidence",
                 "problems", "projects", "cases", "indicators"):
        frame = getattr(dataset, name)
        h.update(name.encode())
        h.update(repr(list(frame.columns)).encode())
        if len(frame):
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    h.update(repr(sorted(dataset.present)).encode())
    h.update(np.ascontiguousarray(network.edge_weight, dtype=np.float64).tobytes())
    return h.hexdigest()[:32]


# ---------------------------------------------------------------------------- writing


def _write_batch(tx: ManagedTransaction, query: str, rows: list[dict[str, Any]], run: str,
                 stage: str, offset: int) -> None:
    tx.run(query, rows=rows).consume()
    tx.run("MATCH (r:LoadRun {id: $run}) SET r.stage = $stage, r.offset = $offset",
           run=run, stage=stage, offset=offset).consume()


def _runs(driver: Driver, settings: Neo4jSettings) -> list[LoadRun]:
    records, _, _ = driver.execute_query(
        "MATCH (r:LoadRun) RETURN r.id AS id, r.dataset AS dataset, toString(r.started) AS started, "
        "toString(r.finished) AS finished, r.stage AS stage, coalesce(r.offset, 0) AS offset "
        "ORDER BY r.started",
        database_=settings.database, routing_="r",
    )
    return [LoadRun(r["id"], r["dataset"] or "", r["started"] or "", r["finished"], r["stage"], int(r["offset"]))
            for r in records]


def load_runs(settings: Neo4jSettings) -> list[LoadRun]:
    """Every load marker in the graph, oldest first; those not ``complete`` were cut off.

    Raises
    ------
    StoreError
        Neo4j cannot be reached.
    """
    with store_errors(settings, "read load markers from"):
        driver = open_driver(settings)
        try:
            return _runs(driver, settings)
        finally:
            driver.close()


def _clear(driver: Driver, settings: Neo4jSettings, progress: LoadProgress | None) -> None:
    with driver.session(database=settings.database) as session:
        for i, label in enumerate(LABELS):
            if progress:
                progress("clear", i, len(LABELS))
            assert label in LABELS
            session.run(
                f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
    if progress:
        progress("clear", len(LABELS), len(LABELS))


def clear_graph(settings: Neo4jSettings, progress: LoadProgress | None = None) -> None:
    """Delete every node that carries one of graphmodel's labels (and their relationships).

    Nodes with other labels only are left alone.

    Raises
    ------
    StoreError
        Neo4j cannot be reached or refused.
    """
    driver = open_driver(settings)
    try:
        with store_errors(settings, "clear"):
            _clear(driver, settings, progress)
    finally:
        driver.close()


def graph_counts(settings: Neo4jSettings) -> dict[str, int]:
    """Number of nodes per graphmodel label and of relationships per type, as stored now.

    Raises
    ------
    StoreError
        Neo4j cannot be reached.
    """
    from graphmodel.store.schema import RELATIONSHIP_TYPES

    counts: dict[str, int] = {}
    driver = open_driver(settings)
    try:
        with store_errors(settings, "count in"):
            for label in LABELS:
                records, _, _ = driver.execute_query(
                    f"MATCH (n:{label}) RETURN count(n) AS n", database_=settings.database, routing_="r")
                counts[label] = int(records[0]["n"])
            for rel in RELATIONSHIP_TYPES:
                records, _, _ = driver.execute_query(
                    f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n", database_=settings.database, routing_="r")
                counts[rel] = int(records[0]["n"])
    finally:
        driver.close()
    return counts


def load_dataset(
    settings: Neo4jSettings,
    dataset: Any,
    network: Network,
    progress: LoadProgress | None = None,
    *,
    replace: bool = False,
    batch_size: int = BATCH_SIZE,
    source: str | None = None,
) -> LoadCounts:
    """Write a validated dataset and its responsibility network into Neo4j.

    Parameters
    ----------
    settings : where to write.
    dataset : a ``Dataset`` that passed ``read_dataset``.
    network : ``build_network(dataset)``.
    progress : called as ``progress(stage, done, total)`` while writing (see ``LoadProgress``).
    replace : delete graphmodel's nodes first, so the graph mirrors this dataset exactly
        (otherwise a load adds and updates, and never removes).
    batch_size : rows per transaction.
    source : what to record as the marker's ``dataset`` (default: ``dataset.path``).

    Returns
    -------
    LoadCounts

    Raises
    ------
    DatasetError
        The dataset cannot be stored (see ``check_loadable``); nothing was written.
    StoreError
        Neo4j cannot be reached, refuses the credentials or a write; run the load again to
        complete it.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> ds = read_dataset(sample_path())
    >>> counts = load_dataset(Neo4jSettings.from_env(), ds, build_network(ds))  # doctest: +SKIP
    >>> counts.nodes["Organization"] == len(ds.organizations)  # doctest: +SKIP
    True
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be positive, not {batch_size}")
    check_loadable(dataset, network)
    stages = _stages(dataset, network)
    run = dataset_fingerprint(dataset, network)
    started = time.monotonic()
    driver = open_driver(settings)
    try:
        with store_errors(settings, "load into"):
            ensure_schema(driver, settings)
            if replace:
                _clear(driver, settings, progress)
            previous = {r.id: r for r in _runs(driver, settings)}.get(run)
            resumed = previous is not None and not previous.complete
            skip_to = (previous.stage, previous.offset) if resumed and previous is not None else (None, 0)
            driver.execute_query(
                "MERGE (r:LoadRun {id: $run}) "
                "SET r.dataset = $dataset, r.finished = null, "
                "r.stage = CASE WHEN $resumed THEN r.stage ELSE null END, "
                "r.offset = CASE WHEN $resumed THEN r.offset ELSE 0 END, "
                "r.started = CASE WHEN $resumed THEN r.started ELSE datetime() END",
                run=run, dataset=source if source is not None else str(getattr(dataset, "path", "")),
                resumed=resumed, database_=settings.database,
            )
            names = [s.name for s in stages]
            first = names.index(skip_to[0]) if skip_to[0] in names else 0
            with driver.session(database=settings.database) as session:
                for i, stage in enumerate(stages):
                    total = len(stage)
                    offset = skip_to[1] if (i == first and skip_to[0] == stage.name) else 0
                    if i < first:
                        offset = total
                    if progress:
                        progress(stage.name, offset, total)
                    while offset < total:
                        stop = min(offset + batch_size, total)
                        session.execute_write(_write_batch, stage.query, stage.rows(offset, stop),
                                              run, stage.name, stop)
                        offset = stop
                        if progress:
                            progress(stage.name, offset, total)
            nodes: dict[str, int] = {}
            rels: dict[str, int] = {}
            for stage in stages:
                if stage.element == "node":
                    nodes[stage.name] = nodes.get(stage.name, 0) + len(stage)
                else:
                    rels[stage.type] = rels.get(stage.type, 0) + len(stage)
            driver.execute_query(
                "MATCH (r:LoadRun {id: $run}) SET r.finished = datetime(), r.stage = null, r.offset = 0, "
                "r.nodes = $nodes, r.relationships = $rels",
                run=run, nodes=sum(nodes.values()), rels=sum(rels.values()), database_=settings.database,
            )
    finally:
        driver.close()
    return LoadCounts(nodes, rels, resumed, time.monotonic() - started, run)
