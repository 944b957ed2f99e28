"""The 政治生态 portrait (画像): an index per organization, the forest and the trees.

“对年度绩效考核、选人用人、违纪违法案件、巡视巡察、审计等跟政治生态密切相关的数据指标进行系统
整合 … 既把握整片‘森林’的状况，又精准找出个别‘树木’存在的问题”. From indicators.csv (one value
per organization, indicator and year, each indicator ``+`` when higher is better and ``-`` when
lower is better):

1. *Normalisation by direction.* Per indicator, over the organizations that have a value:
   ``x' = (x − min) / (max − min)`` for ``+``, ``(max − x) / (max − min)`` for ``-``, so 1 is always
   the best; a constant indicator gives every organization 0.5.
2. *Weights.* The entropy weight method [1]_: ``p_ij = x'_ij / Σ_i x'_ij``,
   ``e_j = −Σ_i p_ij ln p_ij / ln n_j``, ``w_j = (1 − e_j) / Σ_k (1 − e_k)`` — an indicator that
   tells organizations apart more weighs more; equal weights when none does. Or weights the user
   gives (``read_weights``: a CSV ``indicator,weight``), rescaled to sum 1.
3. *Index.* ``100 × Σ_j w_j x'_ij / Σ_j w_j`` over the indicators the organization has: 0–100,
   higher is healthier.
4. *The forest.* The index's distribution by level, kind and region.
5. *The trees.* An organization is flagged when its index or any indicator is an outlier on the
   unfavourable side among its peers: the organizations of the same level and kind; where that
   group has fewer than ``min_peers`` (5) organizations, the small groups of one level are pooled;
   where the pool too is smaller, the organization has no peers and is not compared. Robust z =
   ``(x − median) / s`` with ``s = max(1.4826 × MAD, resolution)`` (the modified z-score of
   Iglewicz and Hoaglin [2]_; ``resolution`` is the unit the item's values are recorded in — 1
   for counts, 0.1 for scores with one decimal; for the index, the least step one unit of an
   indicator moves it — so that peers with mostly equal counts do not make every deviating unit
   an outlier), flagged beyond ``threshold`` (3.5).

For researchers, ``relation`` gives the Spearman rank correlation of the index (and of each
indicator) with the principal pressure the organization receives in the cascade.

References
----------
.. [1] Z. Zou, Y. Yun, J. Sun, "Entropy method for determination of weight of evaluating
   indicators in fuzzy synthetic evaluation for water quality assessment", Journal of
   Environmental Sciences 18(5), 1020–1023, 2006.
.. [2] B. Iglewicz, D. C. Hoaglin, *How to Detect and Handle Outliers*, ASQC Quality Press, 1993.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import special

from graphmodel.analysis.ids import positions_in, taken_text, text_codes
from graphmodel.analysis.timeline import row_years
from graphmodel.dataset.csvfile import STRING
from graphmodel.dataset.reader import org_tree_of
from graphmodel.dataset.validate import arrow_strings
from graphmodel.errors import DatasetError, GraphModelError, Problem
from graphmodel.model.network import PRINCIPAL, Network
from graphmodel.model.tree import OrgTree
from graphmodel.vocabulary import ORG_KINDS

__all__ = [
    "OUTLIER_Z",
    "MAD_SCALE",
    "FOREST_BY",
    "Portrait",
    "normalize",
    "entropy_weights",
    "robust_z",
    "average_ranks",
    "read_weights",
    "principal_pressure",
    "portrait",
]

OUTLIER_Z = 3.5
"""Default threshold of the robust z-score beyond which an item is an outlier (Iglewicz–Hoaglin)."""
MAD_SCALE = 1.4826
"""1 / Φ⁻¹(3/4): makes the MAD a consistent estimate of the standard deviation of normal data."""
FOREST_BY = ("level", "kind", "region")
MIN_PEERS = 5


@dataclass
class Portrait:
    """The 政治生态 portrait of one year.

    Attributes
    ----------
    year : the indicators' year (``None`` when they carry none).
    method : ``entropy`` or ``given`` (user weights).
    indicators : ``indicator, direction, weight, entropy, organizations, min, median, max,
        resolution``.
    index : ``org, name, level, kind, region, index, peers`` (the peer group, ``""`` when the
        organization has none) and, when given, ``pressure`` (the principal pressure received); one
        row per organization with indicators, in dataset order.
    forest : ``by`` (level, kind or region), ``group``, ``count``, ``mean``, ``median``, ``p10``,
        ``q1``, ``q3``, ``p90``, ``min``, ``max``, ``trees`` (flagged organizations in the group).
    trees : the flagged organizations, lowest index first: ``org, name, level, kind, region,
        index, reason, flagged`` (the items: ``index`` and/or indicator names, a list).
    outliers : one row per flagged item: ``org, item, value, direction, peer_median, robust_z,
        peers, peer_count``.
    relation : Spearman rank correlations with the cascade (see ``portrait``).
    """

    year: int | None
    method: str
    indicators: pd.DataFrame
    index: pd.DataFrame
    forest: pd.DataFrame
    trees: pd.DataFrame
    outliers: pd.DataFrame
    relation: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-ready: year, method, weights, how many organizations and trees, the relation."""
        return {
            "year": self.year,
            "method": self.method,
            "organizations": int(len(self.index)),
            "trees": int(len(self.trees)),
            "mean_index": float(self.index["index"].mean()) if len(self.index) else None,
            "weights": {r.indicator: float(r.weight) for r in self.indicators.itertuples()},
            "relation": self.relation,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name: indicators, index, forest, trees, outliers."""
        return {"indicators": self.indicators, "index": self.index, "forest": self.forest,
                "trees": self.trees, "outliers": self.outliers}


def normalize(values: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """Min–max normalisation by direction: 1 is the best value of each column, 0 the worst.

    Parameters
    ----------
    values : (organizations × indicators), NaN where an organization has no value.
    directions : +1 (higher is better) or -1 (lower is better) per indicator.

    Returns
    -------
    numpy.ndarray
        The same shape, in [0, 1]; NaN stays NaN; a constant column is 0.5.

    Examples
    --------
    >>> normalize(np.array([[1.0, 10.0], [3.0, 10.0], [2.0, np.nan]]), np.array([1, -1])).tolist()
    [[0.0, 0.5], [1.0, 0.5], [0.5, nan]]
    """
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return x.copy()
    guarded = _guard(x)
    with np.errstate(all="ignore"):
        lo, hi = np.nanmin(guarded, axis=0), np.nanmax(guarded, axis=0)
        span = hi - lo
        out = x - lo
        out /= np.where(span > 0, span, 1.0)
    flip = np.asarray(directions) < 0
    if flip.any():
        out[:, flip] = 1.0 - out[:, flip]
    out[:, ~(span > 0)] = 0.5
    np.clip(out, 0.0, 1.0, out=out)
    out[np.isnan(x)] = np.nan
    return out


def _guard(x: np.ndarray) -> np.ndarray:
    """All-NaN columns get a 0 so that nanmin/nanmax do not warn."""
    empty = np.isnan(x).all(axis=0)
    if not empty.any():
        return x
    x = x.copy()
    x[0, empty] = 0.0
    return x


def entropy_weights(normalized: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weights by the entropy weight method, and each indicator's entropy.

    Parameters
    ----------
    normalized : (organizations × indicators) in [0, 1], NaN where missing.

    Returns
    -------
    (weights, entropy)
        ``weights`` sum to 1 (equal when no indicator tells organizations apart); ``entropy`` in
        [0, 1], 1 for an indicator with fewer than two values or all of them equal.

    Examples
    --------
    >>> w, e = entropy_weights(np.array([[0.0, 0.5], [1.0, 0.5], [0.5, 0.5]]))
    >>> w.round(3).tolist(), e.round(3).tolist()
    ([1.0, 0.0], [0.579, 1.0])
    """
    x = np.asarray(normalized, dtype=np.float64)
    m = x.shape[1] if x.ndim == 2 else 0
    if m == 0:
        return np.zeros(0), np.zeros(0)
    missing = np.isnan(x)
    n = len(x) - missing.sum(axis=0)
    v = x.copy()
    v[missing] = 0.0
    total = v.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = v
        p /= np.where(total > 0, total, 1.0)
        positive = p > 0
        plogp = np.zeros_like(p)
        np.log(p, out=plogp, where=positive)
        plogp *= p
        plogp[~positive] = 0.0
        entropy = -plogp.sum(axis=0) / np.log(np.where(n > 1, n, 2))
    entropy = np.where((n > 1) & (total > 0), np.clip(entropy, 0.0, 1.0), 1.0)
    diversity = 1.0 - entropy
    if diversity.sum() <= 0:
        return np.full(m, 1.0 / m), entropy
    return diversity / diversity.sum(), entropy


def robust_z(values: np.ndarray, groups: np.ndarray, resolution: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Robust z-scores within groups: ``(x − median) / max(1.4826 × MAD, resolution)``.

    Parameters
    ----------
    values : one value per item (NaN: none; its z is NaN).
    groups : the group code of each item.
    resolution : the least scale (see the module docstring).

    Returns
    -------
    (z, median)
        Per item, its robust z and its group's median. Where the scale is 0 (every peer equal
        and no resolution), z is 0 at the median and ±inf elsewhere.

    Examples
    --------
    >>> z, med = robust_z(np.array([1.0, 2, 3, 2, 20]), np.zeros(5, dtype=int))
    >>> med.tolist(), z.round(2).tolist()
    ([2.0, 2.0, 2.0, 2.0, 2.0], [-0.67, 0.0, 0.67, 0.0, 12.14])
    >>> robust_z(np.array([0.0, 0, 0, 0, 1, 5]), np.zeros(6, dtype=int), resolution=1.0)[0].tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0, 5.0]
    """
    return _robust_z(np.asarray(values, dtype=np.float64), _Groups(groups), resolution)


class _Groups:
    """Group codes (-1: no group, which pandas drops) and, for few groups, the items sorted by group."""

    def __init__(self, groups: np.ndarray) -> None:
        self.codes, labels = pd.factorize(np.asarray(groups))
        self.few = len(labels) <= _FEW_GROUPS
        if self.few:
            self.order = np.argsort(self.codes, kind="stable")
            self.sizes = np.bincount(self.codes + 1, minlength=len(labels) + 1)


def _robust_z(x: np.ndarray, groups: _Groups, resolution: float) -> tuple[np.ndarray, np.ndarray]:
    codes = groups.codes
    if groups.few:
        median = _group_medians(x, codes, groups.order, groups.sizes)
        mad = _group_medians(np.abs(x - median), codes, groups.order, groups.sizes)
    else:
        series = pd.Series(x)
        median = np.where(codes < 0, np.nan, series.groupby(codes).transform("median").to_numpy())
        mad = np.where(codes < 0, np.nan, (series - median).abs().groupby(codes).transform("median").to_numpy())
    scale = np.maximum(MAD_SCALE * mad, resolution)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x - median) / scale
    z = np.where(np.isnan(x), np.nan, np.where(x == median, 0.0, z))
    return z, median


_FEW_GROUPS = 256
"""Up to this many groups, ``robust_z`` takes each group's median with numpy, group by group."""


def _group_medians(values: np.ndarray, codes: np.ndarray, order: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Per item, the median of its group's non-NaN values (NaN for none, or for code -1): the
    numbers of pandas' grouped median (the middle value, or the mean of the two middle ones).

    ``order`` sorts the items by group code (stably); ``sizes`` counts the codes from -1.
    """
    ordered = values[order]
    ends = np.cumsum(sizes)
    medians = np.full(len(sizes), np.nan)
    for k in range(1, len(sizes)):
        part = ordered[ends[k] - sizes[k] : ends[k]]
        part = part[~np.isnan(part)]
        if len(part):
            medians[k] = np.median(part)
    return medians[codes + 1]


def _resolution(values: np.ndarray) -> float:
    """The unit the values are recorded in: 1 when all are whole numbers, 0.1 when they have one
    decimal, … down to 10⁻⁶; 0 for finer (or no) values.

    Examples
    --------
    >>> _resolution(np.array([0.0, 3, 12])), _resolution(np.array([85.5, 90.0])), _resolution(np.array([0.123456789]))
    (1.0, 0.1, 0.0)
    """
    v = values[np.isfinite(values)]
    if len(v) == 0:
        return 0.0
    for digits in range(7):
        scaled = v * 10.0**digits
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.maximum(1.0, np.abs(scaled))):
            return 10.0**-digits
    return 0.0


def read_weights(path: str | Path) -> dict[str, float]:
    """Indicator weights from a CSV file with the header ``indicator,weight``.

    Raises
    ------
    DatasetError
        The file is missing, a column is missing, a weight is not a non-negative number, an
        indicator is named twice, or every weight is 0; every problem with its line.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "weights.csv"
    >>> _ = path.write_text("indicator,weight\\nassessment_score,2\\naudit_findings,1\\n", encoding="utf-8")
    >>> read_weights(path)
    {'assessment_score': 2.0, 'audit_findings': 1.0}
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise DatasetError([Problem(name, 1, "-", "no such weights file")])
    problems: list[Problem] = []
    weights: dict[str, float] = {}
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("indicator", "weight") if c not in (reader.fieldnames or [])]
        if missing:
            raise DatasetError([Problem(name, 1, c, "missing required column") for c in missing])
        for row in reader:
            line = reader.line_num
            indicator, text = (row.get("indicator") or "").strip(), (row.get("weight") or "").strip()
            if not indicator:
                problems.append(Problem(name, line, "indicator", "empty indicator"))
                continue
            if indicator in seen:
                problems.append(Problem(name, line, "indicator", f"{indicator!r} is given twice (line {seen[indicator]})"))
                continue
            seen[indicator] = line
            try:
                value = float(text)
            except ValueError:
                problems.append(Problem(name, line, "weight", f"weight {text!r} is not a number"))
                continue
            if not math.isfinite(value) or value < 0:
                problems.append(Problem(name, line, "weight", f"weight {text!r} must be a non-negative number"))
                continue
            weights[indicator] = value
    if not problems and not any(w > 0 for w in weights.values()):
        problems.append(Problem(name, 1, "weight", "every weight is 0"))
    if problems:
        raise DatasetError(problems)
    return weights


def principal_pressure(network: Network, pressure: np.ndarray) -> np.ndarray:
    """The pressure each organization's ``principal`` responsibility receives (NaN for discipline bodies).

    Examples
    --------
    >>> from graphmodel.analysis.accountability import _example_parts
    >>> net, p, _ = _example_parts()
    >>> principal_pressure(net, p).round(3).tolist()
    [1.0, nan, 0.551, 0.145]
    """
    out = np.full(len(network.tree), np.nan)
    nodes = np.flatnonzero(network.node_kind == PRINCIPAL)
    out[network.node_org[nodes]] = pressure[nodes]
    return out


def _choose_year(indicators: pd.DataFrame, year: int | None) -> tuple[np.ndarray, int | None]:
    """The rows of the chosen year (a mask) and that year."""
    years = row_years(indicators, "year")
    if year is not None:
        return years == int(year), int(year)
    dated = years >= 0
    if not dated.any():
        return np.ones(len(indicators), dtype=bool), None
    latest = int(years[dated].max())
    return years == latest, latest


def _org_positions(values: pd.Series, mask: np.ndarray, tree: OrgTree) -> np.ndarray:
    """The tree position of the organization of each masked row (-1 where unknown)."""
    arr = arrow_strings(values)
    return positions_in(arr if mask.all() else arr.filter(pa.array(mask)), tree.ids)


def _masked_codes(values: pd.Series, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the masked rows' values and the distinct values among them (Python strings)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # coded when read: no text per row
        codes = values.cat.codes.to_numpy()
        codes = (codes if mask.all() else codes[mask]).astype(np.int32)
        distinct = pa.array(values.cat.categories.to_numpy(dtype=object), type=pa.string())
    else:
        arr = arrow_strings(values)
        codes, distinct = text_codes(arr if mask.all() else arr.filter(pa.array(mask)))
    used = np.flatnonzero(np.bincount(codes + 1, minlength=len(distinct) + 1)[1:])
    renumber = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last entry maps -1 (null) to -1
    renumber[used] = np.arange(len(used))
    return renumber[codes], np.asarray(distinct.take(pa.array(used, type=pa.int64())).to_pylist(), dtype=object)


def _directions(indicators: pd.DataFrame, mask: np.ndarray, names: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """+1 or -1 per indicator: the direction its rows give (``+`` when none does)."""
    if "direction" in indicators.columns:
        dir_codes, dir_values = _masked_codes(indicators["direction"], mask)
    else:
        dir_codes, dir_values = np.zeros(len(codes), dtype=np.int64), np.array([""], dtype=object)
    width = len(dir_values) + 1
    pairs = np.zeros(0, dtype=np.int64)
    if len(codes):  # the distinct (indicator, direction) pairs, ascending; a null direction gives none
        seen = np.bincount(codes * width + dir_codes + 1, minlength=len(names) * width)
        pairs = np.flatnonzero(seen) - 1
    given: dict[int, set[str]] = {}
    for pair in pairs.tolist():
        if pair % width == width - 1:
            continue
        value = str(dir_values[pair % width]).replace("\u2212", "-")
        if value:
            given.setdefault(pair // width, set()).add(value)
    conflicts = [str(names[j]) for j, found in sorted(given.items()) if len(found) > 1]
    if conflicts:
        raise GraphModelError(f"indicator(s) given both directions (+ and -): {', '.join(conflicts)}")
    return np.array([-1 if given.get(j) == {"-"} else 1 for j in range(len(names))], dtype=np.int8)


def portrait(
    dataset: Any,
    *,
    year: int | None = None,
    weights: dict[str, float] | None = None,
    pressure: np.ndarray | None = None,
    coordination: np.ndarray | None = None,
    tree: OrgTree | None = None,
    threshold: float = OUTLIER_Z,
    min_peers: int = MIN_PEERS,
) -> Portrait:
    """The 政治生态 portrait of a dataset's indicators for one year.

    Parameters
    ----------
    dataset : a ``Dataset`` (its ``indicators`` and ``organizations``).
    year : the indicators' year; default the latest year they carry (all rows when none carries one).
    weights : indicator → weight given by the user (``read_weights``); default the entropy weights.
    pressure : per organization (aligned with the tree), the principal pressure it receives
        (``principal_pressure``); adds ``pressure`` to the index table and the Spearman
        correlations to ``relation``.
    coordination : per organization, the 四责协同 index, for one more correlation.
    tree : the dataset's ``OrgTree`` when already built.
    threshold : robust z beyond which an item is an outlier.
    min_peers : the least size of a peer group (see the module docstring).

    Returns
    -------
    Portrait

    Raises
    ------
    GraphModelError
        An indicator is given both directions, or ``weights`` lacks an indicator of that year.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> orgs = pd.DataFrame({"id": ["r", "a", "b", "c"], "name": list("RABC"),
    ...     "kind": ["committee"] * 4, "parent_id": ["", "r", "r", "r"], "region": ["", "x", "x", "y"]})
    >>> ind = pd.DataFrame({"org_id": ["a", "b", "c"] * 2, "indicator": ["score"] * 3 + ["cases"] * 3,
    ...     "value": [90.0, 70.0, 80.0, 1.0, 5.0, 3.0], "year": [""] * 6, "direction": ["+"] * 3 + ["-"] * 3})
    >>> result = portrait(SimpleNamespace(organizations=orgs, indicators=ind), min_peers=3)
    >>> result.index[["org", "index", "peers"]].values.tolist()
    [['a', 100.0, 'level 1 committee'], ['b', 0.0, 'level 1 committee'], ['c', 50.0, 'level 1 committee']]
    """
    tree = tree or org_tree_of(dataset)
    indicators = dataset.indicators
    mask, chosen = _choose_year(indicators, year)
    if hasattr(dataset, "entity_positions") and tree is org_tree_of(dataset):  # validation's look-ups
        org_pos = dataset.entity_positions("indicators.csv", "org_id")[mask]
        org_pos[org_pos >= len(tree)] = -1
    else:
        org_pos = _org_positions(indicators["org_id"], mask, tree)
    ind_codes, names = _masked_codes(indicators["indicator"], mask)
    order = np.argsort(names.astype(str), kind="stable")  # indicators in name order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    ind_codes, names = rank[ind_codes], names[order]
    directions = _directions(indicators, mask, names, ind_codes)
    orgs, org_codes = _distinct_positions(org_pos, len(tree))
    values = np.full((len(orgs), len(names)), np.nan)
    values[org_codes, ind_codes] = np.asarray(indicators["value"], dtype=np.float64)[mask]
    x = normalize(values, directions)

    entropy_w, entropy = entropy_weights(x) if len(names) else (np.zeros(0), np.zeros(0))
    if weights is None:
        w, method = entropy_w, "entropy"
    else:
        missing = [str(n) for n in names if n not in weights]
        if missing:
            raise GraphModelError(f"the weights file gives no weight for: {', '.join(missing)}")
        w = np.array([float(weights[n]) for n in names])
        if len(w) and w.sum() <= 0:
            raise GraphModelError("the weights of this year's indicators are all 0")
        w, method = (w / w.sum() if len(w) else w), "given"
    present = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        weight_present = (present * w).sum(axis=1)
        index = 100.0 * np.where(present, x * w, 0.0).sum(axis=1) / weight_present
    index = np.where(weight_present > 0, np.clip(index, 0.0, 100.0), np.nan)

    kind_names = np.asarray(ORG_KINDS, dtype=object)
    peers, peer_label = _peer_groups(tree, orgs, min_peers)
    table = pd.DataFrame({
        "org": _obj(tree.ids[orgs]),
        "name": _column(dataset.organizations, "name", orgs),
        "level": tree.level[orgs],
        "kind": _obj(kind_names[tree.kind[orgs]]),
        "region": _column(dataset.organizations, "region", orgs),
        "index": index,
        "peers": _labels(peers, peer_label),
    })
    if pressure is not None:
        table["pressure"] = np.asarray(pressure, dtype=np.float64)[orgs]

    resolutions = [_resolution(values[:, j]) for j in range(len(names))]
    outliers, outlier_rows = _outliers(table, values, names, directions, index,
                                       _index_resolution(values, w, resolutions), resolutions, peers,
                                       peer_label, threshold)
    trees, tree_rows = _trees(table, outliers, outlier_rows)
    indicators = pd.DataFrame({
        "indicator": names,
        "direction": np.where(directions > 0, "+", "-").astype(object),
        "weight": w,
        "entropy": entropy,
        "organizations": present.sum(axis=0).astype(np.int64),
        "min": _nan_stat(np.nanmin, values),
        "median": _nan_stat(np.nanmedian, values),
        "max": _nan_stat(np.nanmax, values),
        "resolution": resolutions,
    })
    forest = _forest(table, tree_rows)
    relation = _relation(table, values, names, directions, pressure, coordination, orgs)
    return Portrait(chosen, method, indicators, table, forest, trees, outliers, relation)


def _distinct_positions(positions: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(positions, return_inverse=True)`` for positions in [-1, n), by counting.

    Examples
    --------
    >>> [a.tolist() for a in _distinct_positions(np.array([3, 1, 3, -1]), 5)]
    [[-1, 1, 3], [2, 1, 2, 0]]
    """
    seen = np.bincount(positions + 1, minlength=n + 1) > 0
    distinct = np.flatnonzero(seen) - 1
    code = np.cumsum(seen) - 1
    return distinct, code[positions + 1]


def _column(frame: pd.DataFrame, name: str, rows: np.ndarray) -> pd.Series:
    """A text column of ``frame`` at ``rows`` ("" when the file lacks it), without Python strings."""
    if name not in frame.columns:
        return _obj(np.full(len(rows), "", dtype=object))
    taken = arrow_strings(frame[name]).take(pa.array(rows, type=pa.int64()))
    return pd.Series(pd.arrays.ArrowStringArray(taken.cast(pa.large_string())) if len(rows) else [], dtype=STRING)


def _labels(codes: np.ndarray, labels: np.ndarray) -> pd.Series | np.ndarray:
    """Each code's label ("" for -1) as a ``str`` column, taken by Arrow (no Python string per row)."""
    if not len(codes):
        return np.zeros(0, dtype=object)
    text = pa.array([*labels.tolist(), ""], type=pa.large_string())
    return taken_text(text, np.where(codes >= 0, codes, len(labels)))


def _obj(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of many strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


def _nan_stat(fn: Any, values: np.ndarray) -> np.ndarray:
    return np.array([fn(values[:, j]) if np.isfinite(values[:, j]).any() else np.nan for j in range(values.shape[1])])


def _peer_groups(tree: OrgTree, orgs: np.ndarray, min_peers: int) -> tuple[np.ndarray, np.ndarray]:
    """Per organization its peer group code (-1: no peers), and each group's label."""
    level, kind = tree.level[orgs], tree.kind[orgs].astype(np.int64)
    labels: list[str] = []
    group = np.full(len(orgs), -1, dtype=np.int64)
    key = level * len(ORG_KINDS) + kind
    keys, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    big = counts[inverse] >= min_peers
    for code, k in enumerate(keys):
        if counts[code] >= min_peers:
            labels.append(f"level {k // len(ORG_KINDS)} {ORG_KINDS[k % len(ORG_KINDS)]}")
            group[inverse == code] = len(labels) - 1
    rest = ~big
    levels, inv, cnt = np.unique(level[rest], return_inverse=True, return_counts=True)
    rest_rows = np.flatnonzero(rest)
    for code, lv in enumerate(levels):
        if cnt[code] >= min_peers:
            labels.append(f"level {lv}")
            group[rest_rows[inv == code]] = len(labels) - 1
    return group, np.asarray(labels, dtype=object)


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _index_resolution(values: np.ndarray, weights: np.ndarray, resolutions: list[float]) -> float:
    """The least step of the index: how far one unit (``_resolution``, given per indicator) of an
    indicator moves it, the smallest over the indicators that weigh."""
    steps = []
    for j in range(values.shape[1]):
        column = values[:, j]
        if weights[j] <= 0 or not np.isfinite(column).any():
            continue
        span = float(np.nanmax(column) - np.nanmin(column))
        if span > 0:
            steps.append(100.0 * weights[j] * resolutions[j] / span)
    return min(steps) if steps else 0.0


def _outliers(table: pd.DataFrame, values: np.ndarray, names: np.ndarray, directions: np.ndarray,
              index: np.ndarray, index_resolution: float, resolutions: list[float], peers: np.ndarray,
              peer_label: np.ndarray, threshold: float) -> tuple[pd.DataFrame, np.ndarray]:
    """The outliers table, and the ``table`` row of each of its rows."""
    compared = peers >= 0
    group = np.maximum(peers, 0)
    peer_count = np.bincount(group[compared], minlength=max(len(peer_label), 1))[group]
    parts = []
    rows = []
    items = [("index", index, 1, index_resolution)]
    items += [(str(n), values[:, j], int(directions[j]), resolutions[j]) for j, n in enumerate(names)]
    grouped = _Groups(group)
    for item, column, sign, resolution in items:
        z, median = _robust_z(np.where(compared, column, np.nan), grouped, resolution)
        bad = compared & np.isfinite(column) & (sign * z < -threshold)
        if not bad.any():
            continue
        parts.append(pd.DataFrame({
            "org": table["org"].to_numpy()[bad],
            "item": item,
            "value": column[bad],
            "direction": "+" if sign > 0 else "-",
            "peer_median": median[bad],
            "robust_z": z[bad],
            "peers": peer_label[group[bad]],
            "peer_count": peer_count[bad],
        }))
        rows.append(np.flatnonzero(bad))
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in (
            ("org", object), ("item", object), ("value", float), ("direction", object), ("peer_median", float),
            ("robust_z", float), ("peers", object), ("peer_count", np.int64))}), np.zeros(0, dtype=np.int64)
    out = pd.concat(parts, ignore_index=True)
    order = out.sort_values(["org", "item"], kind="stable").index.to_numpy()
    return out.iloc[order].reset_index(drop=True), np.concatenate(rows)[order]


def _trees(table: pd.DataFrame, outliers: pd.DataFrame, rows: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The trees table, and the ``table`` rows of the flagged organizations (``rows``: the
    ``table`` row of each outlier)."""
    columns = ["org", "name", "level", "kind", "region", "index", "reason", "flagged"]
    if not len(outliers):
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}), np.zeros(0, dtype=np.int64)
    reason: dict[int, list[str]] = {}
    flagged: dict[int, list[str]] = {}
    for row, item, v, m, z in zip(rows.tolist(), outliers["item"], outliers["value"], outliers["peer_median"],
                                  outliers["robust_z"]):
        reason.setdefault(row, []).append(f"{item} {_fmt(v)} vs peers' median {_fmt(m)} (robust z {z:+.1f})")
        flagged.setdefault(row, []).append(item)
    flagged_rows = np.fromiter(reason, dtype=np.int64, count=len(reason))
    at = np.argsort(flagged_rows, kind="stable")  # in table order
    out = table.iloc[flagged_rows[at]][columns[:-2]].reset_index(drop=True)
    out["reason"] = _obj(np.array(["; ".join(r) for r in reason.values()], dtype=object)[at])
    out["flagged"] = _obj(np.array(list(flagged.values()) + [None], dtype=object)[:-1][at])
    out = out.sort_values(["index", "org"], kind="stable", na_position="first").reset_index(drop=True)
    return out, flagged_rows


def _forest(table: pd.DataFrame, trees: np.ndarray) -> pd.DataFrame:
    """The forest table (``trees``: the ``table`` rows of the flagged organizations)."""
    is_tree = np.zeros(len(table), dtype=bool)
    is_tree[trees] = True
    frame = table.assign(tree=is_tree).dropna(subset=["index"])
    parts = []
    for by in FOREST_BY if len(frame) else ():
        if by == "region" and not (frame["region"] != "").any():
            continue
        grouped = frame.groupby(by, sort=True)
        q = grouped["index"].quantile([0.1, 0.25, 0.75, 0.9]).unstack()
        stats_ = grouped["index"].agg(["count", "mean", "median", "min", "max"])
        part = pd.DataFrame({
            "by": by,
            "group": [str(g) for g in stats_.index],
            "count": stats_["count"].to_numpy(dtype=np.int64),
            "mean": stats_["mean"].to_numpy(),
            "median": stats_["median"].to_numpy(),
            "p10": q[0.1].to_numpy(),
            "q1": q[0.25].to_numpy(),
            "q3": q[0.75].to_numpy(),
            "p90": q[0.9].to_numpy(),
            "min": stats_["min"].to_numpy(),
            "max": stats_["max"].to_numpy(),
            "trees": grouped["tree"].sum().to_numpy(dtype=np.int64),
        })
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["by", "group", "count", "mean", "median", "p10", "q1", "q3", "p90", "min", "max", "trees"])
    return pd.concat(parts, ignore_index=True)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties getting their average rank: ``scipy.stats.rankdata(values)`` for finite
    values, the same numbers (half-integers are exact), found by sorting the distinct values only.

    Examples
    --------
    >>> average_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist()
    [3.5, 1.0, 3.5, 2.0]
    """
    a = np.asarray(values, dtype=np.float64) + 0.0  # -0.0 ties with 0.0
    codes, distinct = pd.factorize(a)  # hashing: cheap, and values often repeat (counts, scores)
    order = np.argsort(distinct)
    counts = np.bincount(codes, minlength=len(distinct))[order]
    ends = np.cumsum(counts)
    starts = ends - counts
    rank = np.empty(len(distinct), dtype=np.float64)
    rank[order] = 0.5 * (starts + ends + 1)
    return rank[codes]


class _Spearman:
    """Spearman rank correlations against one vector, its ranks computed once per set of pairs.

    The statistic is Pearson's r of the average ranks (``scipy.stats.rankdata``) and the p-value
    that of ``scipy.stats.spearmanr``: Student's t with n − 2 degrees of freedom.
    """

    def __init__(self, against: np.ndarray) -> None:
        self.against = np.asarray(against, dtype=np.float64)
        self.ok: np.ndarray | None = None
        self.ranks = np.zeros(0)

    def __call__(self, values: np.ndarray) -> dict[str, Any]:
        a = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(a) & np.isfinite(self.against)
        n = int(ok.sum())
        if n < 3 or np.ptp(a[ok]) == 0 or np.ptp(self.against[ok]) == 0:
            return {"spearman": None, "p_value": None, "n": n}
        if self.ok is None or not np.array_equal(ok, self.ok):
            self.ok, self.ranks = ok, average_ranks(self.against[ok])
        r = float(np.clip(np.corrcoef(average_ranks(a[ok]), self.ranks)[0, 1], -1.0, 1.0))
        if abs(r) == 1.0:
            p_value = 0.0
        else:
            t = r * np.sqrt((n - 2) / ((1.0 - r) * (1.0 + r)))
            p_value = float(2 * special.stdtr(n - 2, -abs(t)))  # Student's t survival function (as scipy.stats.t.sf)
        return {"spearman": r, "p_value": p_value, "n": n}


def _relation(table: pd.DataFrame, values: np.ndarray, names: np.ndarray, directions: np.ndarray,
              pressure: np.ndarray | None, coordination: np.ndarray | None, orgs: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {}
    index = table["index"].to_numpy(dtype=np.float64)
    if pressure is not None:
        spearman = _Spearman(np.asarray(pressure, dtype=np.float64)[orgs])
        out["pressure"] = spearman(index)
        out["indicators"] = {
            str(n): {**spearman(values[:, j]), "expected_sign": int(directions[j])} for j, n in enumerate(names)
        }
    if coordination is not None:
        out["coordination"] = _Spearman(np.asarray(coordination, dtype=np.float64)[orgs])(index)
    return out
