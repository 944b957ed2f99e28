"""The rest of the mechanism in findings.json: ``lists``, ``cases`` and ``ecology``.

``add_lists``, ``add_cases`` and ``add_ecology`` run the three lists, the 一案双查 traces of every
case and the 政治生态 portrait on a dataset (``analyze`` calls each when it is done with what came
before, so that the dataset's files can go one by one) and store each as one findings.json key
whose value is an object: JSON-ready members (a ``summary``) and tables (pandas frames), which
``write_findings`` writes as arrays of records in findings.json and as CSV files named
``<key>_<member>.csv``.

Examples
--------
>>> from graphmodel.dataset.reader import read_dataset
>>> from graphmodel.dataset.sample import sample_path
>>> from graphmodel.model.network import build_network
>>> from graphmodel.results.findings import analyze
>>> data = read_dataset(sample_path())
>>> findings = analyze(build_network(data), dataset=data, as_of="2024-12-31")
>>> [sorted(findings.values[k])[:2] for k in MECHANISM_KEYS]
[['by_org', 'overdue'], ['holders', 'implicated'], ['forest', 'index']]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from graphmodel.analysis.accountability import implicated_kinds, trace_cases
from graphmodel.analysis.ecology import portrait, principal_pressure
from graphmodel.analysis.ids import IdText
from graphmodel.analysis.lists import three_lists
from graphmodel.model.network import PRINCIPAL

__all__ = ["add_lists", "add_cases", "add_ecology", "MECHANISM_KEYS"]

MECHANISM_KEYS = ("lists", "cases", "ecology")


def add_lists(findings: Any, dataset: Any, *, as_of: dt.date | str | None = None) -> None:
    """Add ``lists``: the three lists 问题、责任、项目 (``graphmodel.analysis.lists``); it needs the
    dataset's problems, projects, posts and duties."""
    lists = three_lists(dataset, as_of=as_of, tree=findings.network.tree)
    findings.values["lists"] = {"summary": lists.summary(), **lists.tables()}


def add_cases(findings: Any, dataset: Any, *, node_ids: np.ndarray | IdText | None = None) -> None:
    """Add ``cases``: the 一案双查 trace of every case (``graphmodel.analysis.accountability``); of
    the dataset it needs the cases only."""
    traces = trace_cases(findings.network, findings.pressure, dataset.cases, findings.parameters, node_ids=node_ids)
    kinds = implicated_kinds(traces)
    findings.values["cases"] = {
        "summary": {
            "cases": traces.cases,
            "with_cadre": int((dataset.cases["cadre_id"] != "").sum()) if len(dataset.cases) else 0,
            "most_implicated": kinds.attrs["most_often"],
            "implicated_any": int(traces.holders.loc[traces.holders["implicated"].to_numpy(dtype=bool), "case"].nunique()),
        },
        "implicated": kinds,
        "holders": traces.holders,
        "links": traces.links,
    }


def add_ecology(findings: Any, dataset: Any, *, weights: dict[str, float] | None = None) -> None:
    """Add ``ecology``: the 政治生态 portrait (``graphmodel.analysis.ecology``), with the principal
    pressure and, once ``coordination`` is among the tables, the 四责协同 index beside it; of the
    dataset it needs the indicators and the organizations."""
    network, pressure = findings.network, findings.pressure
    coord = findings.tables.get("coordination")
    coordination = None
    if coord is not None:
        coordination = np.full(len(network.tree), np.nan)
        coordination[_org_positions(network, coord["org"].to_numpy(dtype=object))] = coord["index"].to_numpy()
    eco = portrait(dataset, weights=weights, pressure=principal_pressure(network, pressure),
                   coordination=coordination, tree=network.tree)
    findings.values["ecology"] = {"summary": eco.summary(), **eco.tables()}


def _org_positions(network: Any, org_ids: np.ndarray) -> np.ndarray:
    """Tree positions of the ``coordination`` table's organizations: those of the organizations
    bearing ``principal`` in node order, the table's rows, when the ids say so (one pass of
    comparisons, mostly of the very same string objects); else looked up by id."""
    principal = network.node_org[network.node_kind == PRINCIPAL]
    if len(principal) == len(org_ids) and np.array_equal(network.tree.ids[principal], org_ids):
        return principal
    return network.tree.positions(org_ids)
