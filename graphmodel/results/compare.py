"""Two years side by side: which levels cooled or warmed, which links broke or were repaired,
whose 四责协同 index moved most (and, with indicators, whose 政治生态 index).

Each year is analysed on its own evidence (``graphmodel.analysis.timeline.year_weights``): the
same organizations, posts, duties and supervision, hence the same responsibilities and expected
links, weighted by that year's evidence only. ``graphmodel compare YEAR_A YEAR_B`` writes the result as
compare.json and CSVs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.analysis.cascade import cascade, resolve_sources, schedule
from graphmodel.analysis.coordination import coordination
from graphmodel.analysis.ecology import portrait, principal_pressure
from graphmodel.analysis.levels import level_profile, patterns
from graphmodel.analysis.links import broken_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.analysis.timeline import check_year, row_years, year_weights
from graphmodel.model.network import Network, build_network
from graphmodel.results.tabular import json_records, write_csv
from graphmodel.results.write import dump_json, replacing
from graphmodel.vocabulary import LINK_TYPES

__all__ = ["Comparison", "compare_years", "write_comparison", "COMPARE_FILES", "LEVEL_CHANGES", "LINK_CHANGES"]

LEVEL_CHANGES = ("cooled", "warmed", "steady")
LINK_CHANGES = ("broken", "repaired")
COMPARE_FILES = {
    "levels": "compare_levels.csv",
    "links": "compare_links.csv",
    "coordination": "compare_coordination.csv",
    "ecology": "compare_ecology.csv",
}
"""CSV file name of each table of a comparison."""

Progress = Callable[[str], None]


@dataclass
class Comparison:
    """What changed between two years.

    Attributes
    ----------
    year_a, year_b : the earlier and the later year (as given).
    values : JSON-ready: ``years``, ``parameters``, ``evidence`` (rows per year, undated rows),
        ``patterns`` (per year), ``summary`` (``levels``: the levels that cooled, warmed or stayed
        steady; ``links``: how many broken per year, newly broken, repaired; ``coordination`` and
        ``ecology``: mean index per year and the largest moves).
    tables : ``levels`` (level, mean_a, mean_b, delta, change, and each year's median and p10),
        ``links`` (the links whose state changed: source, target, link_type, level, change —
        ``broken`` or ``repaired`` —, weight_a, weight_b, category_a, category_b), ``coordination``
        (org, kind, level, index_a, index_b, delta, weakest_a, weakest_b; largest move first) and,
        when both years have indicators, ``ecology`` (org, level, kind, region, index_a, index_b,
        delta; largest move first).
    """

    year_a: int
    year_b: int
    values: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def compare_years(
    dataset: Any,
    year_a: int,
    year_b: int,
    parameters: Parameters | None = None,
    *,
    network: Network | None = None,
    lenient: bool = False,
    tolerance: float = 0.01,
    ecology: bool = False,
    weights: dict[str, float] | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Compare two years of a dataset.

    Parameters
    ----------
    dataset : a ``Dataset`` whose evidence carries dates (and indicators years).
    year_a, year_b : the years, usually earlier then later.
    parameters : thresholds, sources and channel strengths (default: the contract's).
    network : the dataset's network when already built (with any evidence: only its structure is
        used; each year's weights come from ``timeline.year_weights``).
    lenient : skip evidence rows that match no expected link (as ``build_network``).
    tolerance : a level *cooled* when its mean pressure fell by more than this, *warmed* when it
        rose by more; otherwise it is *steady*.
    ecology : also compare the 政治生态 index of the two years (when both have indicators).
    weights : indicator weights for the 政治生态 index (default: entropy weights, per year).
    progress : called with the name of each step.

    Returns
    -------
    Comparison

    Raises
    ------
    GraphModelError
        A year has neither evidence nor indicators, or a source is unknown.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> result = compare_years(read_dataset(sample_path()), 2023, 2024, ecology=True)
    >>> sorted(result.tables), result.values["years"]
    (['coordination', 'ecology', 'levels', 'links'], [2023, 2024])
    """
    params = parameters or Parameters()
    step = progress or (lambda _name: None)
    ev_years = row_years(dataset.evidence, "date")
    known = set(np.unique(ev_years[ev_years >= 0]).tolist()) | set(row_years(dataset.cases, "date").tolist())
    ind_years = set(row_years(dataset.indicators, "year").tolist()) if ecology else set()
    for year in (year_a, year_b):
        check_year(dataset, year, sorted((known | ind_years) - {-1}))
    if network is None:
        step("building the network")
        network = build_network(dataset, lenient=lenient, channel_lambda=params.channel_lambda)
    step("each year's link weights")
    by_year = year_weights(network, dataset, [year_a, year_b], params.channel_lambda, row_year=ev_years)
    sources = resolve_sources(network, params.sources)
    plan = schedule(network)
    net_a, net_b = network.with_weights(by_year[int(year_a)]), network.with_weights(by_year[int(year_b)])
    step("cascades")
    p_a, p_b = cascade(net_a, sources, plan=plan), cascade(net_b, sources, plan=plan)

    result = Comparison(int(year_a), int(year_b))
    result.values["years"] = [int(year_a), int(year_b)]
    result.values["parameters"] = params.to_dict()
    result.values["evidence"] = {
        str(year_a): int((ev_years == int(year_a)).sum()),
        str(year_b): int((ev_years == int(year_b)).sum()),
        "undated": int((ev_years < 0).sum()),
    }
    step("levels")
    prof_a = level_profile(net_a.node_level, net_a.node_kind, p_a)
    prof_b = level_profile(net_b.node_level, net_b.node_kind, p_b)
    result.values["patterns"] = {str(year_a): patterns(prof_a, params), str(year_b): patterns(prof_b, params)}
    levels = _levels(prof_a, prof_b, tolerance)
    result.tables["levels"] = levels
    summary: dict[str, Any] = {}
    result.values["summary"] = summary
    summary["levels"] = {c: levels.loc[levels["change"] == c, "level"].astype(int).tolist() for c in LEVEL_CHANGES}
    summary["levels"]["tolerance"] = tolerance

    step("links")
    links = _links(net_a, net_b, params)
    result.tables["links"] = links
    broken_a, broken_b = broken_mask(net_a, params.tau_weak), broken_mask(net_b, params.tau_weak)
    summary["links"] = {
        "broken_a": int(broken_a.sum()), "broken_b": int(broken_b.sum()),
        "newly_broken": int((links["change"] == "broken").sum()),
        "repaired": int((links["change"] == "repaired").sum()),
    }

    step("coordination")
    coord = _coordination(coordination(net_a, p_a, params), coordination(net_b, p_b, params))
    result.tables["coordination"] = coord
    summary["coordination"] = {
        "mean_a": float(coord["index_a"].mean()) if len(coord) else None,
        "mean_b": float(coord["index_b"].mean()) if len(coord) else None,
        "rose": int((coord["delta"] > tolerance).sum()),
        "fell": int((coord["delta"] < -tolerance).sum()),
        "top": coord.head(10)[["org", "index_a", "index_b", "delta"]].to_dict("records"),
    }

    if int(year_a) in ind_years and int(year_b) in ind_years:
        step("ecology")
        tree = network.tree
        eco_a = portrait(dataset, year=year_a, weights=weights, pressure=principal_pressure(net_a, p_a), tree=tree)
        eco_b = portrait(dataset, year=year_b, weights=weights, pressure=principal_pressure(net_b, p_b), tree=tree)
        eco = _ecology(eco_a.index, eco_b.index)
        result.tables["ecology"] = eco
        summary["ecology"] = {
            "mean_a": float(eco_a.index["index"].mean()), "mean_b": float(eco_b.index["index"].mean()),
            "trees_a": int(len(eco_a.trees)), "trees_b": int(len(eco_b.trees)),
            "pressure_spearman_a": eco_a.relation.get("pressure", {}).get("spearman"),
            "pressure_spearman_b": eco_b.relation.get("pressure", {}).get("spearman"),
            "top": eco.head(10)[["org", "index_a", "index_b", "delta"]].to_dict("records"),
        }
    return result


def _levels(prof_a: pd.DataFrame, prof_b: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    cols = ["level", "count", "mean", "median", "p10"]
    merged = prof_a[cols].merge(prof_b[cols], on="level", how="outer", suffixes=("_a", "_b"))
    merged = merged.sort_values("level", kind="stable").reset_index(drop=True)
    delta = merged["mean_b"] - merged["mean_a"]
    change = np.where(delta > tolerance, "warmed", np.where(delta < -tolerance, "cooled", "steady"))
    return pd.DataFrame({
        "level": merged["level"].astype(np.int64),
        "mean_a": merged["mean_a"], "mean_b": merged["mean_b"], "delta": delta,
        "change": change.astype(object),
        "median_a": merged["median_a"], "median_b": merged["median_b"],
        "p10_a": merged["p10_a"], "p10_b": merged["p10_b"],
        "count": merged["count_b"].fillna(merged["count_a"]).astype(np.int64),
    })


def _links(net_a: Network, net_b: Network, params: Parameters) -> pd.DataFrame:
    broken_a, broken_b = broken_mask(net_a, params.tau_weak), broken_mask(net_b, params.tau_weak)
    changed = np.flatnonzero(broken_a != broken_b)
    wa, wb = net_a.edge_weight[changed], net_b.edge_weight[changed]
    repaired = broken_a[changed]
    frame = pd.DataFrame({
        "source": net_a.node_ids(net_a.edge_src[changed]),
        "target": net_a.node_ids(net_a.edge_dst[changed]),
        "link_type": np.asarray(LINK_TYPES, dtype=object)[net_a.edge_type[changed]],
        "level": net_a.node_level[net_a.edge_dst[changed]],
        "change": np.where(repaired, "repaired", "broken").astype(object),
        "weight_a": wa,
        "weight_b": wb,
        "category_a": _category(wa, broken_a[changed]),
        "category_b": _category(wb, broken_b[changed]),
    })
    return frame.sort_values(["change", "level", "source", "target"], kind="stable").reset_index(drop=True)


def _category(weight: np.ndarray, broken: np.ndarray) -> np.ndarray:
    return np.where(~broken, "active", np.where(weight > 0, "weak", "missing")).astype(object)


def _coordination(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    merged = a[["org", "kind", "level", "index", "weakest"]].merge(
        b[["org", "index", "weakest"]], on="org", suffixes=("_a", "_b"))
    merged["delta"] = merged["index_b"] - merged["index_a"]
    out = merged[["org", "kind", "level", "index_a", "index_b", "delta", "weakest_a", "weakest_b"]]
    order = np.lexsort((out["org"].to_numpy(dtype=object).astype(str), -np.abs(out["delta"].to_numpy())))
    return out.iloc[order].reset_index(drop=True)


def _ecology(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    merged = a[["org", "level", "kind", "region", "index"]].merge(b[["org", "index"]], on="org", how="outer",
                                                                   suffixes=("_a", "_b"))
    merged["delta"] = merged["index_b"] - merged["index_a"]
    key = np.nan_to_num(np.abs(merged["delta"].to_numpy(dtype=np.float64)), nan=-1.0)
    order = np.lexsort((merged["org"].to_numpy(dtype=object).astype(str), -key))
    return merged.iloc[order].reset_index(drop=True)


def write_comparison(comparison: Comparison, out_dir: str | Path) -> list[Path]:
    """Write compare.json (the summary and every table as records) and one CSV per table.

    Each file goes to a temporary name first and is moved into place, as ``write_findings`` does.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with replacing(out / "compare.json") as fh:
        fh.write(b"{")
        keys = list(comparison.values)
        for i, key in enumerate(keys):
            fh.write((b"" if i == 0 else b",\n") + dump_json(key) + b": " + dump_json(comparison.values[key]))
        for key, table in comparison.tables.items():
            fh.write(b",\n" + dump_json(key) + b": ")
            json_records(table, fh)
        fh.write(b"}\n")
    written.append(out / "compare.json")
    for key, table in comparison.tables.items():
        name = COMPARE_FILES.get(key, f"compare_{key}.csv")
        with replacing(out / name) as fh:
            write_csv(table, fh)
        written.append(out / name)
    return written
