"""The findings of one analysis: what ``graphmodel analyze`` computes and writes.

``analyze`` runs the analyses of DESIGN §5 on a network in data-flow order and collects their
tables; ``graphmodel.results.write`` turns them into findings.json and CSVs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from graphmodel.analysis.cascade import cascade, resolve_sources, schedule
from graphmodel.analysis.coordination import coordination, weakest_by_level
from graphmodel.analysis.drops import drops
from graphmodel.analysis.dual_duty import holder_flags, holder_shares, holder_status
from graphmodel.analysis.ids import IdText, text_column
from graphmodel.analysis.impact import impact_plan
from graphmodel.analysis.levels import level_profile, patterns
from graphmodel.analysis.links import broken_links
from graphmodel.analysis.loop import closed_loop, loop_by_level
from graphmodel.analysis.parameters import Parameters
from graphmodel.analysis.vacancies import vacancies
from graphmodel.memory import release_after
from graphmodel.model.network import Network
from graphmodel.results.mechanism import add_cases, add_ecology, add_lists
from graphmodel.vocabulary import RESPONSIBILITY_KINDS

__all__ = ["Findings", "analyze", "dataset_counts"]

Progress = Callable[[str], None]


@dataclass
class Findings:
    """Everything one analysis found, as plain values and pandas tables.

    ``tables`` maps a findings.json key (``levels``, ``responsibilities`` …) to its table;
    ``values`` maps the other keys (``dataset``, ``parameters``, ``patterns`` …) to JSON-ready
    values. ``pressure`` is the cascade's result per node of ``network``.
    """

    network: Network
    parameters: Parameters
    pressure: np.ndarray
    values: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def responsibilities(self) -> pd.DataFrame:
        """One row per responsibility: id, kind, holder, org, level, pressure."""
        return self.tables["responsibilities"]


def dataset_counts(network: Network, dataset: Any | None = None) -> dict[str, int]:
    """Counts of what the dataset and its network hold (the ``dataset`` key)."""
    counts: dict[str, int] = {}
    if dataset is not None:
        for name in ("organizations", "cadres", "posts", "duties", "supervision", "evidence",
                     "problems", "projects", "cases", "indicators"):
            counts[name] = int(dataset.rows(f"{name}.csv") if hasattr(dataset, "rows") else len(getattr(dataset, name)))
    counts["responsibilities"] = network.n_nodes
    for code, kind in enumerate(RESPONSIBILITY_KINDS):
        counts[f"{kind}_responsibilities"] = int((network.node_kind == code).sum())
    counts["links"] = network.n_links
    counts["levels"] = int(network.node_level.max()) + 1 if network.n_nodes else 0
    counts["skipped_evidence"] = len(network.skipped_evidence)
    return counts


def responsibility_table(network: Network, pressure: np.ndarray, ids: IdText | None = None) -> pd.DataFrame:
    """The ``responsibilities`` table (DESIGN §6), its text columns built by ``ids`` (Arrow-backed
    ``str`` columns, no Python string per node).

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> table = responsibility_table(chain_network([0.5]), np.array([1.0, 0.5]))
    >>> table[["id", "holder", "org", "pressure"]].values.tolist()
    [['principal:o0', 'o0', 'o0', 1.0], ['principal:o1', 'o1', 'o1', 0.5]]
    """
    text = IdText(network) if ids is None else ids
    kinds = pd.Categorical.from_codes(network.node_kind, categories=list(RESPONSIBILITY_KINDS))
    return pd.DataFrame({
        "id": text_column(text.nodes),
        "kind": kinds,
        "holder": text_column(text.node_holders),
        "org": text_column(text.node_orgs),
        "level": network.node_level,
        "pressure": pressure,
    })


KEY_ORDER = ("dataset", "parameters", "sources", "year", "patterns",
             "levels", "responsibilities", "broken_links", "repair", "drops", "vacancies", "dual_duty",
             "dual_duty_by_org", "dual_duty_by_level", "coordination", "coordination_by_level", "loop", "loop_by_level",
             "ecology", "lists", "cases")
"""The order of findings.json's keys (and of ``Findings.values`` and ``Findings.tables``), whatever
order they are computed in: the summaries, the network's tables (the repair list's summary after
its table), then the rest of the mechanism. It is also the order ``analyze`` finishes them in, so
that each can be written while the next is computed."""

_T = TypeVar("_T")


def _ordered(items: dict[str, _T], order: tuple[str, ...]) -> dict[str, _T]:
    """``items`` with the keys of ``order`` first, in that order, then the others as they came."""
    return {**{k: items[k] for k in order if k in items}, **{k: v for k, v in items.items() if k not in order}}


def _without(dataset: Any, *files: str) -> Any:
    """``dataset`` without the rows of ``files`` (``Dataset.release``), so that their memory can go
    once the caller holds no other reference; a dataset-like object without ``release`` as it is."""
    return dataset.release(*files) if hasattr(dataset, "release") else dataset


def json_keys(findings: Findings) -> list[str]:
    """findings.json's keys in order: those of ``KEY_ORDER``, then the other values', then the
    other tables' (a key of both is written as the value, its table as a CSV only).

    Examples
    --------
    >>> findings = Findings(None, None, np.zeros(0), values={"extra": 1, "dataset": {}})  # type: ignore[arg-type]
    >>> findings.tables = {"levels": pd.DataFrame()}
    >>> json_keys(findings)
    ['dataset', 'levels', 'extra']
    """
    keys = list(findings.values) + [k for k in findings.tables if k not in findings.values]
    return list(_ordered(dict.fromkeys(keys), KEY_ORDER))


def analyze(
    network: Network,
    parameters: Parameters | None = None,
    *,
    dataset: Any | None = None,
    progress: Progress | None = None,
    repair_top: int = 50,
    as_of: dt.date | str | None = None,
    weights: dict[str, float] | None = None,
    year: int | None = None,
    ready: Callable[[Findings, str], None] | None = None,
) -> Findings:
    """Run every analysis on ``network``.

    Parameters
    ----------
    network : the responsibility network.
    parameters : thresholds and sources (default: the contract's).
    dataset : the dataset the network came from, for its counts and the mechanism keys. Each
        file is let go of as soon as the analyses are done with it, the indicators before the
        largest tables are made (hand the dataset over without keeping a reference, as
        ``graphmodel analyze`` does, and their memory is freed).
    progress : called with the name of each step as it starts.
    repair_top : how many broken links at the head of the repair list get an exact what-if
        (the others carry the linearized estimate, an upper bound).
    as_of, weights : the three lists' date for overdue projects (default today) and the 政治生态
        indicator weights (default entropy weights); with ``dataset``, the keys ``lists``,
        ``cases`` and ``ecology`` are added (``graphmodel.results.mechanism``).
    year : the year ``dataset`` was cut to (``graphmodel.analysis.timeline.for_year``), recorded
        under the key ``year``.
    ready : called with the findings and a key of findings.json as soon as that key's value or
        table is final, in findings.json's order (``KEY_ORDER``): a
        ``graphmodel.results.write.FindingsWriter`` writes it while the analyses go on.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> findings = analyze(build_network(read_dataset(sample_path())))
    >>> sorted(findings.values)[:3]
    ['dataset', 'parameters', 'patterns']
    """
    params = parameters or Parameters()
    step = progress or (lambda _name: None)
    step("cascade")
    plan = schedule(network)
    sources = resolve_sources(network, params.sources)
    pressure = cascade(network, sources, plan=plan)
    findings = Findings(network, params, pressure)

    def done(*keys: str) -> None:  # final: may be written now (findings.json's order)
        for key in keys:
            if ready is not None:
                ready(findings, key)

    findings.values["dataset"] = dataset_counts(network, dataset)
    findings.values["parameters"] = params.to_dict()
    findings.values["sources"] = network.node_ids(np.fromiter(sources, dtype=np.int64)).tolist()
    done("dataset", "parameters", "sources")
    if year is not None:
        findings.values["year"] = int(year)
        done("year")
    step("levels")
    profile = level_profile(network.node_level, network.node_kind, pressure)
    findings.tables["levels"] = profile
    findings.values["patterns"] = patterns(profile, params)
    done("patterns", "levels")
    step("coordination")
    coord = coordination(network, pressure, params)
    findings.tables["coordination"] = coord
    findings.tables["coordination_by_level"] = weakest_by_level(coord)
    # The network's tables, each written as soon as it is made, while the ones after it are made.
    step("responsibilities")
    ids = IdText(network)
    findings.tables["responsibilities"] = responsibility_table(network, pressure, ids)
    done("responsibilities")
    step("broken links")
    repair = broken_links(network, pressure, params, sources=sources, top=repair_top,
                          prepared=impact_plan(network, plan), node_ids=ids)
    del plan
    findings.tables["broken_links"] = repair
    release_after(network.n_nodes)  # the impact plan
    findings.values["repair"] = {
        "broken": len(repair),
        "missing": int((repair["category"] == "missing").sum()),
        "weak": int((repair["category"] == "weak").sum()),
        "exact_top": repair_top,
        "exact_evaluations": repair.attrs.get("exact_evaluations", 0),
        "certified": repair.attrs.get("certified", True),
    }
    done("broken_links", "repair")
    if dataset is not None:  # early: then the indicators can go before the large tables are made
        step("政治生态 portrait")
        add_ecology(findings, dataset, weights=weights)
        dataset = _without(dataset, "indicators.csv", "organizations.csv", "cadres.csv")  # (the network has their ids)
        release_after(network.n_nodes)
    step("drops")
    findings.tables["drops"] = drops(network, pressure, params)
    done("drops")
    step("vacancies")
    findings.tables["vacancies"] = vacancies(network)
    done("vacancies")
    step("dual duty")
    flags = holder_flags(network, params)
    findings.tables["dual_duty"] = holder_status(network, params, pressure, flags=flags, ids=ids)
    done("dual_duty")
    findings.tables["dual_duty_by_org"] = holder_shares(network, params, by="org", flags=flags, ids=ids)
    findings.tables["dual_duty_by_level"] = holder_shares(network, params, by="level", flags=flags)
    del flags
    done("dual_duty_by_org", "dual_duty_by_level", "coordination", "coordination_by_level")
    step("closed loop")
    loop = closed_loop(network)
    findings.tables["loop"] = loop
    findings.tables["loop_by_level"] = loop_by_level(loop)
    done("loop", "loop_by_level")
    if dataset is not None:  # the rest of the mechanism, while the tables above are written
        done("ecology")
        step("three lists")
        add_lists(findings, dataset, as_of=as_of)
        done("lists")
        dataset = _without(dataset, "posts.csv", "duties.csv", "problems.csv", "projects.csv")
        release_after(network.n_nodes)
        step("一案双查 traces")
        add_cases(findings, dataset, node_ids=ids)
        done("cases")
        del dataset
        release_after(network.n_nodes)
    findings.values = _ordered(findings.values, KEY_ORDER)
    findings.tables = _ordered(findings.tables, KEY_ORDER)
    return findings
