"""Where a report finds the parts of the findings that a dataset may lack: 政治生态, three lists, cases.

The core tables of DESIGN §6 are always in ``findings.tables``. The rest of the mechanism is in
``findings.values`` under ``ecology``, ``lists`` and ``cases`` (``graphmodel.results.mechanism``):
each an object with a ``summary`` and tables, present only when the analysis had a dataset,
and meaningful only when the dataset has the files behind it (indicators.csv; problems.csv and
projects.csv; cases.csv). A report shows their sections when they hold rows and leaves them
out otherwise. ``part`` reads one of them; ``csv_name`` names the CSV ``write_findings`` gives
a table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from graphmodel.results.write import csv_name

__all__ = ["Part", "part", "csv_name"]


class Part:
    """One optional part of the findings: its ``summary`` (a dict) and its tables by member name."""

    def __init__(self, key: str, summary: dict[str, Any], tables: dict[str, pd.DataFrame]) -> None:
        self.key = key
        self.summary = summary
        self.tables = tables

    def table(self, member: str, *columns: str) -> pd.DataFrame | None:
        """The member table when it exists, has rows and holds ``columns``; else ``None``."""
        table = self.tables.get(member)
        if table is None or table.empty or not set(columns) <= set(table.columns):
            return None
        return table


def part(findings: Any, key: str) -> Part | None:
    """The part ``key`` (``ecology``, ``lists``, ``cases``) of the findings, or ``None`` when absent.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> part(SimpleNamespace(values={}), "ecology") is None
    True
    >>> index = pd.DataFrame({"org": ["a"], "level": [1], "index": [55.0]})
    >>> eco = part(SimpleNamespace(values={"ecology": {"summary": {"trees": 0}, "index": index}}), "ecology")
    >>> eco.summary, eco.table("index", "org", "index") is index, eco.table("trees") is None
    ({'trees': 0}, True, True)
    """
    value = (getattr(findings, "values", None) or {}).get(key)
    if not isinstance(value, dict):
        return None
    summary = value.get("summary")
    tables = {m: t for m, t in value.items() if isinstance(t, pd.DataFrame)}
    return Part(key, summary if isinstance(summary, dict) else {}, tables)

