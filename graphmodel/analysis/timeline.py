"""Change over time: the part of a dataset that belongs to one year.

Evidence rows carry a ``date`` (``YYYY-MM-DD``), cases a ``date``, indicator rows a ``year``
(DESIGN §3). ``for_year`` keeps the rows of one year — evidence and cases by the year of their
date, indicators by their year — and leaves the rest of the dataset as it is: the organizations,
cadres, posts, duties and supervision (the structure, hence the expected links, is the same in
every year), problems and projects (the three lists are a current state, judged against an
``as_of`` date). Rows without a date or year belong to no year: a year's analysis leaves them out
and ``undated_rows`` counts them.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.analysis.ids import text_codes
from graphmodel.dataset.validate import arrow_strings
from graphmodel.errors import GraphModelError
from graphmodel.model.network import STRUCTURAL_LINK, Network
from graphmodel.vocabulary import CHANNEL_LAMBDA

__all__ = ["row_years", "dataset_years", "for_year", "check_year", "undated_rows", "year_weights", "DATED_TABLES"]

DATED_TABLES = {"evidence": "date", "cases": "date", "indicators": "year"}
"""The tables a year filters, and the column that places each row in a year."""


def row_years(table: pd.DataFrame, column: str) -> np.ndarray:
    """The year of each row (int64; -1 where the value is empty).

    ``date`` columns give the year of ``YYYY-MM-DD``; ``year`` columns are whole numbers.

    Examples
    --------
    >>> row_years(pd.DataFrame({"date": ["2023-05-01", "", "2024-01-31"]}), "date").tolist()
    [2023, -1, 2024]
    >>> row_years(pd.DataFrame({"year": ["2024", ""]}), "year").tolist()
    [2024, -1]
    """
    if column not in table.columns or not len(table):
        return np.full(len(table), -1, dtype=np.int64)
    values = table[column]
    texts: list[Any]
    if isinstance(values.dtype, pd.CategoricalDtype):  # coded when read: the codes, no text per row
        codes, texts = values.cat.codes.to_numpy(), list(values.cat.categories)
    elif isinstance(values.dtype, pd.StringDtype):  # Arrow-backed text: hashed by Arrow, nulls -1
        codes, distinct = text_codes(values)
        texts = distinct.to_pylist()
    else:
        codes, texts = pd.factorize(values, use_na_sentinel=False)  # few distinct dates: hashed once
    heads = [str(v) if column == "year" else str(v)[:4] for v in texts]
    years = np.array([int(v) if v.isdigit() else -1 for v in heads] + [-1], dtype=np.int64)
    return years[codes]  # code -1 (a null) picks the final -1


def dataset_years(dataset: Any) -> list[int]:
    """The years that any dated row of the dataset belongs to, ascending.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> data = SimpleNamespace(evidence=pd.DataFrame({"date": ["2024-03-01", "2023-01-02"]}),
    ...     cases=pd.DataFrame({"date": [""]}), indicators=pd.DataFrame({"year": ["2022"]}))
    >>> dataset_years(data)
    [2022, 2023, 2024]
    """
    found: set[int] = set()
    for name, column in DATED_TABLES.items():
        table = getattr(dataset, name, None)
        if table is None:
            continue
        years = row_years(table, column)
        found |= set(np.unique(years[years >= 0]).tolist())
    return sorted(found)


def undated_rows(dataset: Any) -> dict[str, int]:
    """How many rows of each dated table have no date (or year), and so belong to no year.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> undated_rows(SimpleNamespace(evidence=pd.DataFrame({"date": ["", "2024-01-01"]})))
    {'evidence': 1}
    """
    out = {}
    for name, column in DATED_TABLES.items():
        table = getattr(dataset, name, None)
        if table is not None:
            out[name] = int((row_years(table, column) < 0).sum())
    return out


def check_year(dataset: Any, year: int, known: list[int] | None = None) -> None:
    """Refuse a year that no dated row of the dataset belongs to (``known``: its years, when found already).

    Raises
    ------
    GraphModelError
        Naming the years that are there.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> check_year(SimpleNamespace(evidence=pd.DataFrame({"date": ["2024-03-01"]})), 2022)
    Traceback (most recent call last):
    ...
    graphmodel.errors.GraphModelError: nothing in the dataset is dated 2022 (years present: 2024)
    """
    years = dataset_years(dataset) if known is None else known
    if int(year) not in years:
        present = ", ".join(map(str, years)) or "none"
        raise GraphModelError(f"nothing in the dataset is dated {year} (years present: {present})")


def for_year(dataset: Any, year: int) -> Any:
    """The dataset with only the evidence, cases and indicators of ``year``.

    Parameters
    ----------
    dataset : a ``Dataset`` (or any object with the same frames as attributes).
    year : the calendar year.

    Returns
    -------
    The same kind of object; its other frames are shared with ``dataset``, not copied.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> data = read_dataset(sample_path())
    >>> one = for_year(data, 2024)
    >>> bool(0 < len(one.evidence) < len(data.evidence)), set(one.evidence["date"].str.slice(0, 4))
    (True, {'2024'})
    """
    year = int(year)
    frames = {}
    for name, column in DATED_TABLES.items():
        table = getattr(dataset, name, None)
        if table is None:
            continue
        frames[name] = table[row_years(table, column) == year]
    if dataclasses.is_dataclass(dataset) and not isinstance(dataset, type):
        return dataclasses.replace(dataset, **frames)
    out = copy.copy(dataset)
    for name, frame in frames.items():
        setattr(out, name, frame)
    return out


def year_weights(
    network: Network,
    dataset: Any,
    years: Iterable[int],
    channel_lambda: Mapping[str, float] | None = None,
    *,
    row_year: np.ndarray | None = None,
) -> dict[int, np.ndarray]:
    """The link weights each year's evidence alone gives the links of ``network``.

    The same as building the network of ``for_year(dataset, year)`` (its structure does not
    depend on the evidence), but the evidence rows are matched to links once for all years.
    Rows that match no link (a lenient network) are left out.

    Parameters
    ----------
    network : the network of ``dataset`` (any evidence).
    dataset : the dataset: its organizations, cadres and evidence.
    years : the years wanted.
    channel_lambda : strengths λ overriding the defaults.
    row_year : the year of each evidence row (``row_years(dataset.evidence, "date")``), when known.

    Returns
    -------
    dict
        Year → link weights aligned with ``network``'s links.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> data = read_dataset(sample_path())
    >>> weights = year_weights(build_network(data), data, [2024])
    >>> bool(np.allclose(weights[2024], build_network(for_year(data, 2024)).edge_weight, atol=1e-6))
    True
    """
    wanted = [int(y) for y in years]
    evidence = dataset.evidence
    structural = network.edge_type == STRUCTURAL_LINK
    if network.evidence_pair is not None and network.link_pair is not None and len(network.evidence_pair) == len(evidence):
        # the network was built from these very rows: reuse its matching
        at = np.maximum(network.evidence_pair, 0).astype(np.int64)
        hit = network.evidence_pair >= 0
        matchable = np.flatnonzero(~structural)
        pair_of_link = network.link_pair[matchable].astype(np.int64)
        n_pairs = int(pair_of_link.max()) + 1 if len(pair_of_link) else 0
    else:
        at, hit, matchable, pair_of_link, n_pairs = _match_rows(network, dataset, structural)
    out: dict[int, np.ndarray] = {}
    if not (len(evidence) and n_pairs):
        for year in wanted:
            out[year] = np.where(structural, 1.0, 0.0)
        return out
    lam = dict(CHANNEL_LAMBDA)
    lam.update(channel_lambda or {})
    channel_codes, names = pd.factorize(evidence["channel"])  # validated: every channel is known
    strength = np.array([lam[str(n)] for n in names], dtype=np.float64)[channel_codes]
    strength *= evidence["count"].to_numpy(dtype=np.float64)
    year_of_row = row_years(evidence, "date") if row_year is None else row_year
    for year in wanted:
        rows = hit & (year_of_row == year)
        per_pair = np.bincount(at[rows], weights=strength[rows], minlength=n_pairs)
        weight = np.ones(network.n_links)  # structural links weigh 1
        weight[matchable] = -np.expm1(-per_pair)[pair_of_link]
        out[year] = weight
    return out


def _match_rows(network: Network, dataset: Any, structural: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Match evidence rows to the network's evidence pairs (for rows the network was not built from)."""
    evidence = dataset.evidence
    matchable = np.flatnonzero(~structural)
    n_entities = len(network.tree) + len(network.cadre_ids)
    pairs, pair_of_link = np.unique(network.edge_from[matchable] * n_entities + network.edge_to[matchable],
                                    return_inverse=True)
    if not (len(evidence) and len(pairs)):
        return np.zeros(len(evidence), np.int64), np.zeros(len(evidence), bool), matchable, pair_of_link, len(pairs)
    # every row's pair of links, found once: both id columns in one hash look-up
    entities = pa.concat_arrays([
        arrow_strings(dataset.organizations["id"]).combine_chunks().cast(pa.large_string()),
        arrow_strings(dataset.cadres["id"]).combine_chunks().cast(pa.large_string()),
    ])
    ids = pa.chunked_array(arrow_strings(evidence["from_id"]).cast(pa.large_string()).chunks
                           + arrow_strings(evidence["to_id"]).cast(pa.large_string()).chunks)
    code = pc.fill_null(pc.index_in(ids, value_set=entities), -1).to_numpy(zero_copy_only=False).astype(np.int64)
    ev_from, ev_to = code[: len(evidence)], code[len(evidence):]
    key = np.where((ev_from >= 0) & (ev_to >= 0), ev_from * n_entities + ev_to, -1)
    at = np.minimum(np.searchsorted(pairs, key), len(pairs) - 1)
    hit = pairs[at] == key
    return at, hit, matchable, pair_of_link, len(pairs)
