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
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.errors import GraphModelError

__all__ = ["row_years", "dataset_years", "for_year", "check_year", "undated_rows", "DATED_TABLES"]

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
    text = table[column].astype(str)
    if column != "year":
        text = text.str.slice(0, 4)
    codes, values = pd.factorize(text, use_na_sentinel=False)
    years = np.array([int(v) if isinstance(v, str) and v.isdigit() else -1 for v in values], dtype=np.int64)
    return years[codes]


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


def check_year(dataset: Any, year: int) -> None:
    """Refuse a year that no dated row of the dataset belongs to.

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
    years = dataset_years(dataset)
    if int(year) not in years:
        known = ", ".join(map(str, years)) or "none"
        raise GraphModelError(f"nothing in the dataset is dated {year} (years present: {known})")


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
