"""Write an analysis back onto the graph, for Neo4j Browser and Bloom users.

``pressure`` goes onto each ``Responsibility`` node; onto each ``TRANSMITS_TO`` relationship go
``weight`` (the weight the analysis used), ``broken`` (true or false), and for broken links
``category`` (``missing`` or ``weak``) and ``impact`` (the repair gain); a link that is not
broken has neither, so a second write-back leaves no stale flags. Nodes and links are matched
by responsibility id; those the graph lacks are counted, not created.

Given the 政治生态 portrait, each ``Organization`` it scores gets ``ecology_index`` (0–100),
``ecology_year``, ``ecology_flagged`` (the outlying items: ``index`` and/or indicator names;
empty when it is no "tree") and ``ecology_reason`` (null when not flagged); these properties
are first removed from every organization, so none is left from an earlier portrait. The
queries in ``queries/`` read all of this (``ecology_outliers`` reads the portrait).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from neo4j import ManagedTransaction

from graphmodel.analysis.ecology import Portrait
from graphmodel.analysis.links import broken_mask
from graphmodel.model.network import Network
from graphmodel.store.connection import open_driver, store_errors
from graphmodel.store.load import BATCH_SIZE
from graphmodel.store.settings import Neo4jSettings

__all__ = ["WriteCounts", "write_analysis", "write_results"]

WriteProgress = Callable[[str, int, int], None]

_PRESSURE_QUERY = (
    "UNWIND $rows AS row MATCH (n:Responsibility {id: row.id}) SET n.pressure = row.pressure "
    "RETURN count(n) AS n"
)
_LINK_QUERY = (
    "UNWIND $rows AS row "
    "MATCH (a:Responsibility {id: row.a})-[r:TRANSMITS_TO]->(b:Responsibility {id: row.b}) "
    "SET r += row.p RETURN count(r) AS n"
)
_ECOLOGY_CLEAR = (
    "MATCH (o:Organization) WHERE o.ecology_index IS NOT NULL OR o.ecology_flagged IS NOT NULL "
    "CALL (o) { REMOVE o.ecology_index, o.ecology_year, o.ecology_flagged, o.ecology_reason } "
    "IN TRANSACTIONS OF 10000 ROWS"
)
_ECOLOGY_QUERY = (
    "UNWIND $rows AS row MATCH (o:Organization {id: row.id}) "
    "SET o.ecology_index = row.index, o.ecology_year = row.year, o.ecology_flagged = row.flagged, "
    "o.ecology_reason = row.reason RETURN count(o) AS n"
)


@dataclass(frozen=True)
class WriteCounts:
    """How much of the analysis reached the graph.

    Attributes
    ----------
    responsibilities, links : nodes and relationships updated.
    missing_responsibilities, missing_links : those of the network the graph lacks.
    broken : links flagged broken.
    organizations : organizations given a 政治生态 index (0 without a portrait).
    """

    responsibilities: int
    links: int
    missing_responsibilities: int
    missing_links: int
    broken: int
    organizations: int = 0


def _run(tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> int:
    record = tx.run(query, rows=rows).single()
    return int(record["n"]) if record else 0


def write_results(
    settings: Neo4jSettings,
    network: Network,
    pressure: np.ndarray,
    broken: pd.DataFrame | None = None,
    *,
    tau_weak: float = 0.5,
    ecology: Portrait | None = None,
    progress: WriteProgress | None = None,
    batch_size: int = BATCH_SIZE,
) -> WriteCounts:
    """Write pressures onto ``Responsibility`` nodes and broken-link flags onto ``TRANSMITS_TO``.

    Parameters
    ----------
    settings : where to write.
    network : the analysed network (its node ids match the graph's after a load).
    pressure : the cascade's pressure per node of ``network``.
    broken : the ``broken_links`` table (source, target, category, impact …); ``None`` flags
        the links below ``tau_weak`` without an impact.
    tau_weak : the threshold, used only when ``broken`` is ``None``.
    ecology : the 政治生态 portrait (``graphmodel.analysis.ecology.portrait``) to store on the
        organizations; ``None`` leaves their ``ecology_*`` properties as they are.
    progress : called as ``progress(stage, done, total)``; stages ``pressure``, ``links`` and
        (with a portrait) ``ecology``.
    batch_size : rows per transaction.

    Returns
    -------
    WriteCounts

    Raises
    ------
    StoreError
        Neo4j cannot be reached or refused a write.

    Examples
    --------
    The pressures must be the network's, one per responsibility:

    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> net = build_network(read_dataset(sample_path()))
    >>> write_results(Neo4jSettings.from_env(), net, np.zeros(3))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: pressure has shape (3,), the network ... nodes
    """
    pressure = np.asarray(pressure, dtype=np.float64)
    if pressure.shape != (network.n_nodes,):
        raise ValueError(f"pressure has shape {pressure.shape}, the network {network.n_nodes} nodes")
    ids = network.node_ids()
    src, dst = ids[network.edge_src], ids[network.edge_dst]
    n_links = network.n_links
    category: np.ndarray = np.full(n_links, None, dtype=object)
    impact: np.ndarray = np.full(n_links, None, dtype=object)
    if broken is None:
        flags = broken_mask(network, tau_weak)
        category[flags] = np.where(network.edge_weight[flags] > 0, "weak", "missing")
    else:
        key = pd.MultiIndex.from_arrays([src, dst])
        at = key.get_indexer(pd.MultiIndex.from_arrays([
            broken["source"].to_numpy(dtype=object), broken["target"].to_numpy(dtype=object)
        ]))
        if (at < 0).any():
            raise ValueError("the broken links table names links the network lacks")
        category[at] = broken["category"].astype(str).to_numpy(dtype=object)
        impact[at] = broken["impact"].to_numpy(dtype=np.float64).tolist()
        flags = np.zeros(n_links, dtype=bool)
        flags[at] = True
    weight = network.edge_weight.tolist()
    pressures = pressure.tolist()
    flag_list = flags.tolist()
    eco_rows = _ecology_rows(ecology) if ecology is not None else []
    done_nodes = done_links = done_orgs = 0
    driver = open_driver(settings)
    try:
        with store_errors(settings, "write results to"), driver.session(database=settings.database) as session:
            for start in range(0, network.n_nodes, batch_size):
                stop = min(start + batch_size, network.n_nodes)
                rows = [{"id": ids[i], "pressure": pressures[i]} for i in range(start, stop)]
                done_nodes += session.execute_write(_run, _PRESSURE_QUERY, rows)
                if progress:
                    progress("pressure", stop, network.n_nodes)
            for start in range(0, n_links, batch_size):
                stop = min(start + batch_size, n_links)
                rows = [{"a": src[i], "b": dst[i], "p": {
                    "weight": weight[i], "broken": flag_list[i],
                    "category": category[i], "impact": impact[i],
                }} for i in range(start, stop)]
                done_links += session.execute_write(_run, _LINK_QUERY, rows)
                if progress:
                    progress("links", stop, n_links)
            if ecology is not None:
                session.run(_ECOLOGY_CLEAR).consume()
                for start in range(0, len(eco_rows), batch_size):
                    stop = min(start + batch_size, len(eco_rows))
                    done_orgs += session.execute_write(_run, _ECOLOGY_QUERY, eco_rows[start:stop])
                    if progress:
                        progress("ecology", stop, len(eco_rows))
    finally:
        driver.close()
    return WriteCounts(done_nodes, done_links, network.n_nodes - done_nodes, n_links - done_links,
                       int(flags.sum()), done_orgs)


def _ecology_rows(ecology: Portrait) -> list[dict[str, Any]]:
    """One row per organization of the portrait's index: its index, year, flagged items and reason.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> index = pd.DataFrame({"org": ["a", "b"], "index": [80.0, float("nan")]})
    >>> trees = pd.DataFrame({"org": ["b"], "flagged": [["index"]], "reason": ["index low"]})
    >>> _ecology_rows(SimpleNamespace(year=2024, index=index, trees=trees))  # doctest: +NORMALIZE_WHITESPACE
    [{'id': 'a', 'index': 80.0, 'year': 2024, 'flagged': [], 'reason': None},
     {'id': 'b', 'index': None, 'year': 2024, 'flagged': ['index'], 'reason': 'index low'}]
    """
    trees = ecology.trees
    flagged = dict(zip(trees["org"].tolist(), trees["flagged"].tolist())) if len(trees) else {}
    reasons = dict(zip(trees["org"].tolist(), trees["reason"].tolist())) if len(trees) else {}
    year = None if ecology.year is None else int(ecology.year)
    rows = []
    for org, value in zip(ecology.index["org"].tolist(), ecology.index["index"].tolist()):
        rows.append({
            "id": org,
            "index": None if value is None or value != value else float(value),
            "year": year,
            "flagged": [str(item) for item in flagged.get(org, [])],
            "reason": reasons.get(org),
        })
    return rows


def write_analysis(
    settings: Neo4jSettings,
    findings: Any,
    *,
    progress: WriteProgress | None = None,
    batch_size: int = BATCH_SIZE,
) -> WriteCounts:
    """Write what ``analyze`` found back onto the graph: ``write_results`` with the findings'
    pressures, repair list, τ_weak and (when the dataset was given) 政治生态 portrait.

    Parameters
    ----------
    settings : where to write.
    findings : a ``graphmodel.results.findings.Findings``.
    progress, batch_size : as for ``write_results``.

    Returns
    -------
    WriteCounts

    Raises
    ------
    StoreError
        Neo4j cannot be reached or refused a write.
    """
    eco = findings.values.get("ecology")
    portrait = None
    if eco is not None:
        summary = eco["summary"]
        portrait = Portrait(summary.get("year"), summary.get("method", ""), eco["indicators"], eco["index"],
                            eco["forest"], eco["trees"], eco["outliers"], summary.get("relation", {}))
    return write_results(settings, findings.network, findings.pressure, findings.tables["broken_links"],
                         tau_weak=findings.parameters.tau_weak, ecology=portrait, progress=progress,
                         batch_size=batch_size)
