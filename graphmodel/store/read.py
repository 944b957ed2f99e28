"""Read the dataset back out of Neo4j, streamed in batches (for ``analyze --neo4j`` and export).

Each table of DESIGN §3 is rebuilt from the graph of DESIGN §7: organizations with their parent
from ``SUBORDINATE_TO``, posts from ``HOLDS``, duties from ``IN_CHARGE_OF``, supervision from
``SUPERVISES`` (always given, so its rows are the whole truth), problems, projects, cases and
indicators from their nodes and relationships. Evidence comes back from the channel counts on
``TRANSMITS_TO``: one row per distinct (from_id, to_id, channel) with the summed count, where
from and to are the holders of the link's two responsibilities. An evidence row feeds every
link it matches, so the links fed by one entity pair carry the same counts, and these rows give
every link back its weight.

Rows come back in the order of their ``line`` (the physical line in the loaded file); frames are
indexed by those lines when every row has one and they are unique, else by ``2, 3, …`` as in the
file ``graphmodel export`` writes. Results are fetched ``batch_size`` records at a time and kept
as Arrow-backed strings, so the memory held is that of the tables, as when reading a folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from neo4j import Driver

from graphmodel.dataset.csvfile import STRING
from graphmodel.dataset.schema import FILES, REQUIRED_FILES, spec
from graphmodel.errors import DatasetError
from graphmodel.store.connection import open_driver, store_errors
from graphmodel.store.settings import Neo4jSettings
from graphmodel.vocabulary import CHANNELS

__all__ = ["read_tables", "read_dataset_from_neo4j", "ReadProgress", "READ_BATCH", "to_text"]

READ_BATCH = 20_000
"""Records fetched per round trip."""

ReadProgress = Callable[[str, int, int], None]
"""Called as ``progress(file, done, total)`` while a table is read."""

_STRING = STRING


def to_text(value: Any) -> str:
    """A stored value as the CSV text that reads back to it.

    Examples
    --------
    >>> [to_text(v) for v in (None, "a", 3, 2.0, 0.1, True)]
    ['', 'a', '3', '2', '0.1', 'true']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    return str(value)


_CHANNEL_LIST = ", ".join(f"coalesce(r.{c}, 0.0)" for c in CHANNELS)
_HAS_EVIDENCE = " OR ".join(f"r.{c} > 0" for c in CHANNELS)

# file → (count query, read query, columns the read query returns besides `line` and `x`).
# Each read query returns the file's columns in order, then `line`, then `x`: the extra
# properties as [key, value] pairs (those not in $known).
_QUERIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "organizations.csv": (
        "MATCH (n:Organization) RETURN count(n) AS n",
        "MATCH (n:Organization) OPTIONAL MATCH (n)-[:SUBORDINATE_TO]->(p:Organization) "
        "WITH n, head(collect(p.id)) AS parent "
        "RETURN n.id, n.name, n.kind, coalesce(parent, ''), n.region, n.line, "
        "[k IN keys(n) WHERE NOT k IN $known | [k, n[k]]]",
        ("id", "name", "kind", "parent_id", "region"),
    ),
    "cadres.csv": (
        "MATCH (n:Cadre) RETURN count(n) AS n",
        "MATCH (n:Cadre) RETURN n.id, n.name, n.line, [k IN keys(n) WHERE NOT k IN $known | [k, n[k]]]",
        ("id", "name"),
    ),
    "posts.csv": (
        "MATCH (:Cadre)-[r:HOLDS]->(:Organization) RETURN count(r) AS n",
        "MATCH (c:Cadre)-[r:HOLDS]->(o:Organization) RETURN c.id, o.id, r.role, r.line, "
        "[k IN keys(r) WHERE NOT k IN $known | [k, r[k]]]",
        ("cadre_id", "org_id", "role"),
    ),
    "duties.csv": (
        "MATCH (:Cadre)-[r:IN_CHARGE_OF]->(:Organization) RETURN count(r) AS n",
        "MATCH (c:Cadre)-[r:IN_CHARGE_OF]->(o:Organization) RETURN c.id, o.id, r.line, "
        "[k IN keys(r) WHERE NOT k IN $known | [k, r[k]]]",
        ("cadre_id", "org_id"),
    ),
    "supervision.csv": (
        "MATCH (:Organization)-[r:SUPERVISES]->(:Organization) RETURN count(r) AS n",
        "MATCH (d:Organization)-[r:SUPERVISES]->(o:Organization) RETURN d.id, o.id, r.line, "
        "[k IN keys(r) WHERE NOT k IN $known | [k, r[k]]]",
        ("discipline_id", "org_id"),
    ),
    "evidence.csv": (
        f"MATCH (:Responsibility)-[r:TRANSMITS_TO]->(:Responsibility) "
        f"WHERE NOT coalesce(r.structural, false) AND ({_HAS_EVIDENCE}) RETURN count(r) AS n",
        f"MATCH (a:Responsibility)-[r:TRANSMITS_TO]->(b:Responsibility) "
        f"WHERE NOT coalesce(r.structural, false) AND ({_HAS_EVIDENCE}) "
        f"RETURN a.holder, b.holder, [{_CHANNEL_LIST}]",
        ("from_id", "to_id", "counts"),
    ),
    "problems.csv": (
        "MATCH (n:Problem) RETURN count(n) AS n",
        "MATCH (n:Problem) OPTIONAL MATCH (n)-[:FOUND_IN]->(o:Organization) "
        "WITH n, head(collect(o.id)) AS org "
        "RETURN n.id, coalesce(org, ''), n.source, n.description, n.severity, n.line, "
        "[k IN keys(n) WHERE NOT k IN $known | [k, n[k]]]",
        ("id", "org_id", "source", "description", "severity"),
    ),
    "projects.csv": (
        "MATCH (n:Project) RETURN count(n) AS n",
        "MATCH (n:Project) OPTIONAL MATCH (n)-[:ADDRESSES]->(p:Problem) "
        "WITH n, head(collect(p.id)) AS problem "
        "OPTIONAL MATCH (c:Cadre)-[:OWNS]->(n) WITH n, problem, head(collect(c.id)) AS owner "
        "RETURN n.id, coalesce(problem, ''), coalesce(owner, ''), n.status, n.due, n.line, "
        "[k IN keys(n) WHERE NOT k IN $known | [k, n[k]]]",
        ("id", "problem_id", "owner_id", "status", "due"),
    ),
    "cases.csv": (
        "MATCH (n:Case) RETURN count(n) AS n",
        "MATCH (n:Case) OPTIONAL MATCH (n)-[:OCCURRED_IN]->(o:Organization) "
        "WITH n, head(collect(o.id)) AS org "
        "OPTIONAL MATCH (n)-[:INVOLVES]->(c:Cadre) WITH n, org, head(collect(c.id)) AS cadre "
        "RETURN n.id, coalesce(org, ''), coalesce(cadre, ''), n.date, n.kind, n.line, "
        "[k IN keys(n) WHERE NOT k IN $known | [k, n[k]]]",
        ("id", "org_id", "cadre_id", "date", "kind"),
    ),
    "indicators.csv": (
        "MATCH (:Organization)-[r:SCORED]->(:Indicator) RETURN count(r) AS n",
        "MATCH (o:Organization)-[r:SCORED]->(i:Indicator) "
        "RETURN o.id, i.id, r.value, r.year, r.direction, r.line, "
        "[k IN keys(r) WHERE NOT k IN $known | [k, r[k]]]",
        ("org_id", "indicator", "value", "year", "direction"),
    ),
}

# Properties graphmodel itself sets (the rest are a row's extra columns).
_KNOWN = {
    "organizations.csv": ["id", "name", "kind", "region", "level", "line"],
    "cadres.csv": ["id", "name", "line"],
    "posts.csv": ["role", "line"],
    "duties.csv": ["line"],
    "supervision.csv": ["line"],
    "problems.csv": ["id", "source", "description", "severity", "line"],
    "projects.csv": ["id", "status", "due", "line"],
    "cases.csv": ["id", "date", "kind", "line"],
    "indicators.csv": ["value", "year", "direction", "line"],
}


def _strings(values: list[Any]) -> pa.Array:
    return pa.array([to_text(v) for v in values], type=pa.string())


def _text_column(chunks: list[pa.Array]) -> pd.Series:
    """Arrow string chunks as one pandas ``str`` column."""
    array = pa.chunked_array(chunks, type=pa.string())
    return pd.Series(array.to_pandas(types_mapper={pa.string(): STRING}.get).array)


def _read_one(driver: Driver, settings: Neo4jSettings, file: str, batch_size: int,
              progress: ReadProgress | None) -> pd.DataFrame:
    count_query, query, columns = _QUERIES[file]
    records, _, _ = driver.execute_query(count_query, database_=settings.database, routing_="r")
    total = int(records[0]["n"])
    if progress:
        progress(file, 0, total)
    if file == "evidence.csv":
        return _read_evidence(driver, settings, query, total, batch_size, progress)
    chunks: list[list[pa.Array]] = [[] for _ in columns]
    lines: list[np.ndarray] = []
    extras: dict[str, list[tuple[int, str]]] = {}
    done = 0
    with driver.session(database=settings.database, fetch_size=batch_size,
                        default_access_mode="READ") as session:
        result = session.run(query, known=_KNOWN[file])
        while True:
            batch = result.fetch(batch_size)
            if not batch:
                break
            values = list(zip(*(r.values() for r in batch)))
            for c in range(len(columns)):
                chunks[c].append(_strings(list(values[c])))
            lines.append(np.array([-1 if v is None else int(v) for v in values[len(columns)]],
                                  dtype=np.int64))
            for i, pairs in enumerate(values[len(columns) + 1]):
                for key, value in pairs:
                    extras.setdefault(str(key), []).append((done + i, to_text(value)))
            done += len(batch)
            if progress:
                progress(file, done, total)
    frame = pd.DataFrame({name: _text_column(chunk) for name, chunk in zip(columns, chunks)})
    for key, cells in sorted(extras.items()):
        column = np.full(len(frame), "", dtype=object)
        for row, text in cells:
            column[row] = text
        frame[key] = pd.array(column, dtype=_STRING)
    line = np.concatenate(lines) if lines else np.zeros(0, dtype=np.int64)
    return _ordered(frame, line, columns[:2] if file != "organizations.csv" else columns[:1])


def _read_evidence(driver: Driver, settings: Neo4jSettings, query: str, total: int,
                   batch_size: int, progress: ReadProgress | None) -> pd.DataFrame:
    """One row per distinct (from_id, to_id, channel) with a positive count.

    Each batch keeps only its positive (link, channel) cells, so what is held is about the
    size of the evidence rows themselves.
    """
    froms: list[pa.Array] = []
    tos: list[pa.Array] = []
    channels: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    done = 0
    with driver.session(database=settings.database, fetch_size=batch_size,
                        default_access_mode="READ") as session:
        result = session.run(query)
        while True:
            batch = result.fetch(batch_size)
            if not batch:
                break
            f, t, c = zip(*(r.values() for r in batch))
            matrix = np.asarray(c, dtype=np.float64).reshape(len(batch), len(CHANNELS))
            row, channel = np.nonzero(matrix > 0)
            froms.append(_strings([f[i] for i in row.tolist()]))
            tos.append(_strings([t[i] for i in row.tolist()]))
            channels.append(channel.astype(np.int8))
            counts.append(matrix[row, channel])
            done += len(batch)
            if progress:
                progress("evidence.csv", done, total)
    columns = ("from_id", "to_id", "channel", "count")
    if not froms:
        empty = pd.DataFrame({c: pd.array([], dtype=_STRING) for c in columns})
        empty.index = _default_lines(0)
        return empty
    cells = pd.DataFrame({
        "from_id": _text_column(froms),
        "to_id": _text_column(tos),
        "code": np.concatenate(channels),
        "value": np.concatenate(counts),
    })
    # Links fed by one (from, to) pair carry the same counts: keep one cell per channel.
    cells = cells.drop_duplicates(["from_id", "to_id", "code"], keep="first")
    cells = cells.sort_values(["from_id", "to_id", "code"], kind="stable")
    frame = pd.DataFrame({
        "from_id": cells["from_id"].to_numpy(),
        "to_id": cells["to_id"].to_numpy(),
        "channel": np.array(CHANNELS, dtype=object)[cells["code"].to_numpy()],
        "count": [to_text(v) for v in cells["value"].tolist()],
    }).astype(_STRING)
    frame.index = _default_lines(len(frame))
    return frame


def _default_lines(n: int) -> pd.Index:
    return pd.Index(np.arange(2, 2 + n, dtype=np.int64), name="line")


def _ordered(frame: pd.DataFrame, line: np.ndarray, key: tuple[str, ...]) -> pd.DataFrame:
    """Rows in file order (rows without a line last, by key), indexed by line."""
    missing = line < 0
    sort_keys = [frame[k].to_numpy(dtype=object).astype(str) for k in reversed(key)]
    order = np.lexsort((*sort_keys, np.where(missing, 0, line), missing))
    frame = frame.iloc[order].reset_index(drop=True)
    line = line[order]
    if len(line) and not (line < 0).any() and len(np.unique(line)) == len(line) and line.min() >= 2:
        frame.index = pd.Index(line, name="line")
    else:
        frame.index = _default_lines(len(frame))
    return frame


def read_tables(
    settings: Neo4jSettings,
    progress: ReadProgress | None = None,
    *,
    batch_size: int = READ_BATCH,
) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """Every dataset table as text, read from Neo4j.

    Returns
    -------
    tables : file name (``"organizations.csv"`` …) → frame of strings (empty values ``""``),
        the file's columns of DESIGN §3 first, extra columns after, indexed by ``line``.
    present : the files that hold rows (the required ones and ``supervision.csv`` always).

    Raises
    ------
    StoreError
        Neo4j cannot be reached or refused a query.
    """
    driver = open_driver(settings)
    tables: dict[str, pd.DataFrame] = {}
    try:
        with store_errors(settings, "read from"):
            for f in FILES:
                tables[f.name] = _read_one(driver, settings, f.name, batch_size, progress)
    finally:
        driver.close()
    present = set(REQUIRED_FILES) | {"supervision.csv"}
    present |= {name for name, frame in tables.items() if len(frame)}
    return tables, present


def read_dataset_from_neo4j(
    settings: Neo4jSettings,
    progress: ReadProgress | None = None,
    *,
    batch_size: int = READ_BATCH,
) -> Any:
    """The dataset stored in Neo4j, validated as a folder would be.

    Parameters
    ----------
    settings : where to read.
    progress : called as ``progress(file, done, total)`` while reading.
    batch_size : records fetched per round trip.

    Returns
    -------
    Dataset
        With ``path`` ``None`` (it came from no folder) and ``present`` as ``read_tables``
        gives.

    Raises
    ------
    StoreError
        Neo4j cannot be reached or refused a query.
    DatasetError
        What the graph holds breaks the dataset rules (for example after hand edits).
    """
    tables, present = read_tables(settings, progress, batch_size=batch_size)
    return dataset_from_tables(tables, present, None)


def dataset_from_tables(tables: dict[str, pd.DataFrame], present: set[str], path: Path | None) -> Any:
    """Check text tables by the rules of DESIGN §3 and type them, as ``read_dataset`` does.

    Raises
    ------
    DatasetError
        The tables break the rules.
    """
    # The reader's own steps for a folder, applied to tables that came from elsewhere.
    from graphmodel.dataset import reader
    from graphmodel.dataset.validate import check_tables

    frames = {name: reader._conform(tables[name], spec(name)) for name in present}
    problems, resolved = check_tables(frames)
    if problems:
        raise DatasetError(problems)
    return reader._typed(path, frames, frozenset(present), resolved)
