"""Writing findings: findings.json with the stable keys of DESIGN §6, and one CSV per table."""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, Union

import numpy as np
import orjson
import pandas as pd

from graphmodel.results.diskfile import open_for_writing
from graphmodel.results.findings import Findings, json_keys
from graphmodel.results.tabular import TableText

__all__ = ["write_findings", "FindingsWriter", "csv_name", "dump_json", "replacing"]

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
    """Write findings.json and the CSVs of a finished analysis into ``out_dir``; return the
    files written (see :class:`FindingsWriter`).

    Examples
    --------
    >>> import tempfile
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> from graphmodel.results.findings import analyze
    >>> files = write_findings(analyze(build_network(read_dataset(sample_path()))), tempfile.mkdtemp())
    >>> [f.name for f in files][:3]
    ['findings.json', 'levels.csv', 'responsibilities.csv']
    """
    with FindingsWriter(out_dir) as writer:
        for key in json_keys(findings):
            writer(findings, key)
    return writer.written


def _csv_names(findings: Findings) -> list[str]:
    """The CSVs of ``findings``: one per table, then one per table inside a value (``<key>_<member>.csv``)."""
    names = [csv_name(key) for key in findings.tables]
    for key, value in findings.values.items():
        for member, table in (value.items() if isinstance(value, dict) else ()):
            if isinstance(table, pd.DataFrame):
                names.append(csv_name(key, member))
    return names


_Step = Union[bytes, tuple[pd.DataFrame, bool, Union[str, None]]]


def _key_steps(findings: Findings, key: str, first: bool) -> list[_Step]:
    """One key of findings.json: its literal text, and tables as (table, into the JSON, CSV name)."""
    steps: list[_Step] = [(b"" if first else b",\n") + dump_json(key) + b": "]
    if key not in findings.values:
        steps.append((findings.tables[key], True, csv_name(key)))
        return steps
    value = findings.values[key]
    if not (isinstance(value, dict) and any(isinstance(v, pd.DataFrame) for v in value.values())):
        steps.append(dump_json(value))
        return steps
    steps.append(b"{")
    for j, (member, item) in enumerate(value.items()):
        steps.append((b", " if j else b"") + dump_json(member) + b": ")
        if isinstance(item, pd.DataFrame):
            steps.append((item, True, csv_name(key, member)))
        else:
            steps.append(dump_json(item))
    steps.append(b"}")
    return steps


class _Cancelled(Exception):
    """The writing was given up (the analysis feeding it failed)."""


class FindingsWriter:
    """Writes findings.json and its CSVs while an analysis runs, each key as soon as it is final.

    Call the writer with the findings and a key, in findings.json's order, as each key's value or
    table is done: ``analyze(network, ready=writer)`` does. A background thread writes the keys in
    turn; worker threads build a table's JSON records and CSV rows a chunk of rows at a time
    (Arrow's kernels release the GIL), at most ``window`` chunks ahead of the writing: one chunk
    at a time while the ``with`` block runs (the analysis is then faster), two after. So the
    writing overlaps the analyses still running.

    Every file is written under a temporary name and all are moved into place together when the
    ``with`` block ends without an error; otherwise they are removed, and the earlier results in
    ``out_dir`` stay whole. An error in the writing is raised at the next key or at the end.
    ``written`` lists the files: findings.json, then the CSVs.

    Examples
    --------
    >>> import tempfile
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> from graphmodel.results.findings import analyze
    >>> with FindingsWriter(tempfile.mkdtemp()) as writer:
    ...     findings = analyze(build_network(read_dataset(sample_path())), ready=writer)
    >>> writer.written[0].name, len(writer.written) == 1 + len(findings.tables)
    ('findings.json', True)
    """

    def __init__(self, out_dir: str | Path, *, window: int = 3) -> None:
        self.out = Path(out_dir)
        self.window = window
        self.written: list[Path] = []
        self._queue: queue.SimpleQueue[tuple[Findings, str] | None] = queue.SimpleQueue()
        self._findings: Findings | None = None
        self._keys: set[str] = set()
        self._cancelled = False
        self._ended = False  # the thread took the end of the keys
        self._error: BaseException | None = None
        self._staged: list[_Staged] = []
        self._turns = threading.Semaphore(1)  # chunks built at once: one while the analysis runs (it is faster), then two
        self._thread = threading.Thread(target=self._work, name="graphmodel-write", daemon=True)

    def __enter__(self) -> FindingsWriter:
        self.out.mkdir(parents=True, exist_ok=True)
        self._json = self._stage(self.out / "findings.json")
        self._thread.start()
        return self

    def __call__(self, findings: Findings, key: str) -> None:
        """Write ``key`` of ``findings`` next (its value or table must not change any more)."""
        if self._error is not None:
            raise self._error
        if key in self._keys:
            raise ValueError(f"findings.json key {key!r} given twice")
        self._keys.add(key)
        self._findings = findings
        self._queue.put((findings, key))

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._cancelled = exc_type is not None
        self._turns.release()  # the analysis is over: both workers build chunks
        self._queue.put(None)
        self._thread.join()
        if exc_type is None and self._error is None:
            for staged in self._staged:
                staged.commit()
            names = _csv_names(self._findings) if self._findings is not None else []
            self.written = [self.out / "findings.json"] + [self.out / name for name in names]
            return
        for staged in self._staged:
            staged.discard()
        if exc_type is None:
            assert self._error is not None
            raise self._error

    def _stage(self, path: Path) -> _Staged:
        staged = _Staged(path)
        self._staged.append(staged)
        return staged

    def _work(self) -> None:
        try:
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphmodel-render") as pool:
                _Writer(self._json.fh, pool, lambda name: self._stage(self.out / name).fh, self.window,
                        self._turns).run(self._steps())
            self._json.fh.close()
        except BaseException as exc:  # handed to the analysis' thread
            self._error = exc
            while not self._ended and self._queue.get() is not None:  # let the analysis go on, unwritten
                pass

    def _steps(self) -> Iterator[_Step]:
        yield b"{"
        first = True
        while (item := self._queue.get()) is not None:
            if self._cancelled:
                break
            yield from _key_steps(*item, first)
            first = False
        self._ended = item is None
        if self._cancelled:
            raise _Cancelled
        yield b"}\n"
        if self._findings is not None:  # a table whose key is also a value's is in the CSVs only
            tables, values = self._findings.tables, self._findings.values
            yield from [(table, False, csv_name(key)) for key, table in tables.items() if key in values]


class _Staged:
    """A file written under a temporary name beside ``path``, moved over it by ``commit``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        self.tmp = Path(name)
        self.fh = open_for_writing(name, fd)  # past the page cache where the file system allows

    def commit(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


_Rendered = Future[tuple[Union[memoryview, None], Union[memoryview, None]]]


class _Writer:
    """Writes the steps in turn: chunks are rendered by the pool, at most ``window`` ahead of the writing."""

    def __init__(self, json_out: IO[bytes], pool: ThreadPoolExecutor, open_csv: Callable[[str], IO[bytes]],
                 window: int, turns: threading.Semaphore) -> None:
        self.json_out, self.pool, self.open_csv, self.window, self.turns = json_out, pool, open_csv, window, turns
        self.pending: deque[tuple[_Rendered, Callable[..., None]]] = deque()

    def run(self, steps: Iterable[_Step]) -> None:
        try:
            for step in steps:
                if isinstance(step, bytes):
                    self._then(self._json_text(step))
                else:
                    self._table(*step)
            while self.pending:
                self._finish_one()
        except BaseException:
            for future, _ in self.pending:
                future.cancel()
            raise

    def _json_text(self, text: bytes) -> Callable[[], None]:
        return lambda: self._write_json(text)

    def _write_json(self, text: bytes) -> None:
        self.json_out.write(text)

    def _then(self, action: Callable[[], None]) -> None:
        """Do ``action`` in order, after the chunks submitted so far are written."""
        if not self.pending:
            action()
            return
        done: _Rendered = Future()
        done.set_result((None, None))
        self.pending.append((done, lambda *_: action()))

    def _table(self, frame: pd.DataFrame, json: bool, csv_file: str | None) -> None:
        table = TableText(frame)
        csv_out: list[IO[bytes]] = []

        def open_csv() -> None:
            if csv_file is not None:
                csv_out.append(self.open_csv(csv_file))
                csv_out[0].write(table.header())

        def close_csv() -> None:
            if csv_out:
                csv_out[0].close()

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
            future = self.pool.submit(self._render, table, start, stop, json, csv_file is not None)
            self.pending.append((future, write))
        if json:
            self._then(self._json_text(b"]"))
        self._then(close_csv)

    def _render(self, table: TableText, start: int, stop: int, json: bool, csv: bool) -> tuple[memoryview | None, memoryview | None]:
        with self.turns:  # as many chunks at once as the writer allows
            return table.render(start, stop, json, csv)

    def _finish_one(self) -> None:
        future, action = self.pending.popleft()
        action(*future.result())


class replacing:
    """Open a temporary file beside ``path`` (see ``_Staged``); move it over ``path`` only on success."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> IO[bytes]:
        self.staged = _Staged(self.path)
        return self.staged.fh

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.staged.commit()
        else:
            self.staged.discard()
