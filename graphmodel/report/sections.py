"""Where a report finds the optional parts of the findings: the 政治生态 portrait and the three lists.

The core tables of DESIGN §6 always exist. The portrait (from indicators.csv) and the three
lists (from problems.csv and projects.csv) exist only when the dataset has those files; a
report shows their sections when their tables are present and leaves them out otherwise.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["ECOLOGY_INDEX_KEYS", "ECOLOGY_TREES_KEYS", "ecology_tables", "lists_summary"]

ECOLOGY_INDEX_KEYS = ("ecology_index", "ecology")
"""Table keys under which the findings may carry the 政治生态 index (``org, level, kind, region, index``)."""

ECOLOGY_TREES_KEYS = ("ecology_trees", "ecology_outliers")
"""Table keys of the flagged organizations (``org, index, reason``)."""


def _first(tables: dict[str, pd.DataFrame], keys: tuple[str, ...], column: str) -> pd.DataFrame | None:
    for key in keys:
        table = tables.get(key)
        if isinstance(table, pd.DataFrame) and column in table.columns:
            return table
    return None


def ecology_tables(findings: Any) -> tuple[pd.DataFrame | None, pd.DataFrame | None, dict[str, Any] | None]:
    """The portrait's index table, its trees (flagged organizations) and its summary, or ``None`` each.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> empty = SimpleNamespace(tables={}, values={})
    >>> ecology_tables(empty)
    (None, None, None)
    >>> index = pd.DataFrame({"org": ["a"], "level": [1], "index": [55.0]})
    >>> found = SimpleNamespace(tables={"ecology_index": index}, values={"ecology": {"trees": 0}})
    >>> [x is not None for x in ecology_tables(found)]
    [True, False, True]
    """
    tables = getattr(findings, "tables", {}) or {}
    values = getattr(findings, "values", {}) or {}
    index = _first(tables, ECOLOGY_INDEX_KEYS, "index")
    trees = _first(tables, ECOLOGY_TREES_KEYS, "reason")
    summary = values.get("ecology")
    return index, trees, summary if isinstance(summary, dict) else None


def lists_summary(findings: Any) -> dict[str, Any] | None:
    """The three lists' counts (``problems``, ``problems_without_project`` …), or ``None``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> lists_summary(SimpleNamespace(values={"lists": {"problems": 4, "overdue": 1}}))["overdue"]
    1
    >>> lists_summary(SimpleNamespace(values={})) is None
    True
    """
    values = getattr(findings, "values", {}) or {}
    for key in ("lists", "three_lists"):
        summary = values.get(key)
        if isinstance(summary, dict):
            return summary
    return None
