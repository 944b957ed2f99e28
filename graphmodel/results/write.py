"""Writing findings: findings.json with the stable keys of DESIGN §6, and one CSV per table."""

from __future__ import annotations

import os
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, Union

import numpy as np
import orjson
import pandas as pd

from graphmodel.results.findings import Findings
from graphmodel.results.tabular import TableText

__all__ = ["write_findings", "csv_name", "dump_json", "replacing"]

def csv_name(key: str, member: str | None = None) -> str:
    """The CSV a table is written to: ``<key>.csv``, or ``<key>_<member>.csv`` for a table inside a value.

    Examples
    --------
    >>> csv_name("broken_links"), csv_name("ecology", "trees")
    ('broken_links.csv', 'ecology_trees.csv')
    """
    return f"{key}.csv" if member is None else f"{key}_{member}.csv"


def _default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON-serializable: {type(value).__name__}")


def dump_json(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def write_findings(findings: Findings, out_dir: str | Path) -> list[Path]:
    """Write findings.json and the CSVs into ``out_dir``; return the files written.

    Each file is written to a temporary name first and moved into place, so a run that fails
    leaves the earlier results whole.

    A table's JSON records and its CSV rows are built together, a chunk of rows at a time, by two
    worker threads (Arrow's kernels release the GIL) while this thread writes the finished chunks
    in order; only a few chunks are held at once.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_names = [csv_name(key) for key in findings.tables]
    for key, value in findings.values.items():  # tables inside a value: <key>_<member>.csv
        for member, table in (value.items() if isinstance(value, dict) else ()):
            if isinstance(table, pd.DataFrame):
                csv_names.append(csv_name(key, member))
    with replacing(out / "findings.json") as fh, ThreadPoolExecutor(max_workers=2) as pool:
        _Writer(fh, pool, out).run(_plan(findings))
    return [out / "findings.json"] + [out / name for name in csv_names]


_Step = Union[bytes, tuple[pd.DataFrame, bool, Union[str, None]]]


def _plan(findings: Findings) -> list[_Step]:
    """findings.json in order: its literal text, and tables as (table, into the JSON, CSV name)."""
    steps: list[_Step] = [b"{"]
    keys = list(findings.values) + [k for k in findings.tables if k not in findings.values]
    for i, key in enumerate(keys):
        steps.append((b",\n" if i else b"") + dump_json(key) + b": ")
        if key not in findings.values:
            steps.append((findings.tables[key], True, csv_name(key)))
            continue
        value = findings.values[key]
        if not (isinstance(value, dict) and any(isinstance(v, pd.DataFrame) for v in value.values())):
            steps.append(dump_json(value))
            continue
        steps.append(b"{")
        for j, (member, item) in enumerate(value.items()):
            steps.append((b", " if j else b"") + dump_json(member) + b": ")
            if isinstance(item, pd.DataFrame):
                steps.append((item, True, csv_name(key, member)))
            else:
                steps.append(dump_json(item))
        steps.append(b"}")
    steps.append(b"}\n")
    # A table whose key is also a value's is in the CSVs only.
    steps += [(table, False, csv_name(key)) for key, table in findings.tables.items() if key in findings.values]
    return steps


_Rendered = Future[tuple[Union[memoryview, None], Union[memoryview, None]]]


class _Writer:
    """Writes the plan: chunks are rendered by the pool, at most ``window`` ahead of the writing."""

    def __init__(self, json_out: IO[bytes], pool: ThreadPoolExecutor, out: Path, window: int = 4) -> None:
        self.json_out, self.pool, self.out, self.window = json_out, pool, out, window
        self.pending: deque[tuple[_Rendered, Callable[..., None]]] = deque()
        self.csv_files: list[replacing] = []

    def run(self, steps: list[_Step]) -> None:
        try:
            for step in steps:
                if isinstance(step, bytes):
                    self._then(self._json_text(step))
                else:
                    self._table(*step)
            while self.pending:
                self._finish_one()
        except BaseException as exc:
            for future, _ in self.pending:
                future.cancel()
            for csv_file in self.csv_files:
                csv_file.__exit__(type(exc), exc, None)
            raise

    def _json_text(self, text: bytes) -> Callable[[], None]:
        return lambda: self._write(self.json_out, text)

    @staticmethod
    def _write(out: IO[bytes], text: bytes | memoryview) -> None:
        out.write(text)

    def _then(self, action: Callable[[], None]) -> None:
        """Do ``action`` in order, after the chunks submitted so far are written."""
        if not self.pending:
            action()
            return
        done: _Rendered = Future()
        done.set_result((None, None))
        self.pending.append((done, lambda *_: action()))

    def _table(self, frame: pd.DataFrame, json: bool, csv_name: str | None) -> None:
        table = TableText(frame)
        csv_file = replacing(self.out / csv_name) if csv_name is not None else None
        csv_out: list[IO[bytes]] = []

        def open_csv() -> None:
            if csv_file is not None:
                self.csv_files.append(csv_file)
                csv_out.append(csv_file.__enter__())
                csv_out[0].write(table.header())

        def close_csv() -> None:
            if csv_file is not None:
                self.csv_files.remove(csv_file)
                csv_file.__exit__(None, None, None)

        self._then(open_csv)
        if json:
            self._then(self._json_text(b"["))
        ranges = table.ranges()
        for k, (start, stop) in enumerate(ranges):
            last = k == len(ranges) - 1

            def write(json_text: memoryview | None, csv_text: memoryview | None, last: bool = last) -> None:
                if json_text is not None:
                    self.json_out.write(json_text[:-2] if last else json_text)  # the last record takes no ",\n"
                if csv_text is not None:
                    csv_out[0].write(csv_text)

            while len(self.pending) >= self.window:
                self._finish_one()
            future = self.pool.submit(table.render, start, stop, json, csv_file is not None)
            self.pending.append((future, write))
        if json:
            self._then(self._json_text(b"]"))
        self._then(close_csv)

    def _finish_one(self) -> None:
        future, action = self.pending.popleft()
        action(*future.result())


class replacing:
    """Open a temporary file beside ``path``; move it over ``path`` only on success."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> IO[bytes]:
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
