"""Write small dataset folders for tests, from rows given as tuples."""

from __future__ import annotations

import csv
from pathlib import Path

from graphmodel.dataset.reader import Dataset, read_dataset

HEADERS = {
    "organizations": ("id", "name", "kind", "parent_id"),
    "cadres": ("id", "name"),
    "posts": ("cadre_id", "org_id", "role"),
    "duties": ("cadre_id", "org_id"),
    "supervision": ("discipline_id", "org_id"),
    "evidence": ("from_id", "to_id", "channel", "count", "date", "note"),
    "problems": ("id", "org_id", "source", "description", "severity"),
    "projects": ("id", "problem_id", "owner_id", "status", "due"),
    "cases": ("id", "org_id", "cadre_id", "date", "kind"),
    "indicators": ("org_id", "indicator", "value", "year", "direction"),
}
"""Each file's columns; a table's rows give the first ``len(row)`` of them (evidence rows may add
a date, problems a description and a severity …)."""


def write_dataset(folder: Path, **tables: list[tuple]) -> Path:
    """Write ``organizations=[(id, name, kind, parent_id), …]`` etc. as CSV files in ``folder``.

    ``cadres`` defaults to every cadre named in posts; a table given as ``None`` is not written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if "cadres" not in tables:
        names = sorted({row[0] for row in tables.get("posts", [])})
        tables["cadres"] = [(c, f"干部{c}") for c in names]
    for name, rows in tables.items():
        if rows is None:
            continue
        header = HEADERS[name]
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header[: len(rows[0])] if rows else header)
            writer.writerows(rows)
    return folder


def load(folder: Path, **tables: list[tuple]) -> Dataset:
    """``write_dataset`` then ``read_dataset``."""
    return read_dataset(write_dataset(folder, **tables))
