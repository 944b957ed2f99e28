"""One CSV file read as text: every value a string, every row tagged with its physical line.

The fast path hands the bytes to ``pyarrow.csv`` (multithreaded, every column read as a string,
empty values kept as ``""``) and works the line numbers out from newline counts. Whatever it
cannot vouch for — bytes that are not UTF-8, a row with the wrong number of fields, blank lines
in the middle, lone carriage returns, a header spread over lines — sends the file down the slow
path: Python's ``csv`` module, one record at a time, which finds each fault's exact line and
column.
"""

from __future__ import annotations

import contextlib
import csv
import io
import mmap
import os
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from graphmodel.errors import Problem

__all__ = ["read_csv_text", "WHOLE_ROW", "LINE", "STRING"]

WHOLE_ROW = "-"
"""The ``column`` of a problem that concerns a whole row or file rather than one column."""

LINE = "line"
"""Name of the frames' index: the physical line where each row starts (the header is line 1)."""



def _string_dtype() -> pd.api.extensions.ExtensionDtype:
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)  # pandas ≥ 2.3: the ``str`` dtype
    except TypeError:  # pragma: no cover - pandas 2.2
        return pd.StringDtype("pyarrow_numpy")


STRING = _string_dtype()
"""The dtype of every text column: pandas' Arrow-backed ``str`` (the default string dtype of
pandas 3). Values are Python ``str`` when taken out, ``==`` and ``isin`` give numpy booleans."""

_BOM = b"\xef\xbb\xbf"
_UNDECODABLE = re.compile("[\udc80-\udcff]+")
"""Bytes that are not UTF-8, as ``surrogateescape`` decoding leaves them."""
_FIELD_LIMIT = 2**31 - 1


class _SlowPath(Exception):
    """The fast reader cannot vouch for the file."""


def read_csv_text(path: Path, name: str | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a CSV file with a header row as strings, indexed by physical line number.

    Parameters
    ----------
    path : the file.
    name : the file name used in problems (default: ``path.name``).

    Returns
    -------
    frame : one string column per header name (surrounding spaces removed from the names; a
        repeated name keeps its first column), empty values as ``""``, index ``line``; ``None``
        when the file has no header row.
    problems : what is wrong with the file as CSV: empty, a repeated column name, a row with
        the wrong number of fields (left out of the frame), bytes that are not UTF-8 (kept as
        U+FFFD), a quote left open.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "cadres.csv"
    >>> _ = path.write_bytes('\\ufeffid,name\\nc1,"Li, ""Lao"" Si"\\n\\nc2,"两\\n行"\\n'.encode())
    >>> frame, problems = read_csv_text(path)
    >>> frame.index.tolist(), frame["name"].tolist(), problems
    ([2, 4], ['Li, "Lao" Si', '两\\n行'], [])
    """
    name = name or path.name
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return None, [Problem(name, 1, WHOLE_ROW, "the file is empty: it has no header row")]
        raw = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return _read(raw, name)
    finally:
        with contextlib.suppress(BufferError):  # pyarrow may still hold the buffer; then GC closes it
            raw.close()


def _read(raw: mmap.mmap, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    start = len(_BOM) if raw[: len(_BOM)] == _BOM else 0
    end = len(raw)
    while end > start and raw[end - 1] in b"\r\n":
        end -= 1
    if end == start:
        return None, [Problem(name, 1, WHOLE_ROW, "the file is empty: it has no header row")]
    try:
        table, lines = _read_fast(raw, start, end)
        problems: list[Problem] = []
    except _SlowPath:
        header, columns, lines, problems = _read_slow(raw[start:], name)
        if header is None:
            return None, problems
        table = pa.table([pa.array(c, type=pa.large_string()) for c in columns], names=header)
    frame, duplicates = _to_frame(table, lines)
    problems += [Problem(name, 1, column, "the column appears twice in the header") for column in duplicates]
    return frame, problems


def _read_fast(raw: mmap.mmap, start: int, end: int) -> tuple[pa.Table, np.ndarray]:
    """Parse with pyarrow; raise ``_SlowPath`` unless every row's line is certain.

    Lines are universal-newline lines (``\\n``, ``\\r\\n`` or a lone ``\\r`` ends one). With
    empty lines not ignored, a blank line is a row of empty values, which sends the file down
    the slow path; so, without quotes in the file, row i is on line i + 2, and with quotes the
    line breaks inside the values shift the rows below them.
    """
    breaks = [i for i in (raw.find(b"\n", start, end), raw.find(b"\r", start, end)) if i >= 0]
    header_bytes = raw[start : min(breaks) if breaks else end]
    quoted = raw.find(b'"', start, end) >= 0
    if header_bytes.count(b'"'):
        raise _SlowPath  # a quoted column name may hold a line break: let the csv module judge
    try:
        names = next(csv.reader([header_bytes.decode("utf-8")]))
    except (UnicodeDecodeError, csv.Error, StopIteration) as error:
        raise _SlowPath from error
    invalid: list[object] = []

    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw).slice(start, end - start)),
            read_options=pcsv.ReadOptions(use_threads=True, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(
                newlines_in_values=quoted, ignore_empty_lines=False, invalid_row_handler=on_invalid
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise _SlowPath from error
    if invalid or table.column_names != names:
        raise _SlowPath
    n = table.num_rows
    if n and table.num_columns:
        blank = pc.equal(table.column(0), "")
        for column in table.columns[1:]:
            if not pc.any(blank).as_py():
                break
            blank = pc.and_(blank, pc.equal(column, ""))
        if pc.any(blank).as_py():
            raise _SlowPath  # a blank line, or a row of empty values: the csv module tells which
    lines = np.arange(2, n + 2, dtype=np.int64)
    if not quoted or n == 0:
        return table, lines
    lone_cr = raw.find(b"\r", start, end) >= 0
    inner = sum((_line_breaks(column, lone_cr) for column in table.columns), np.zeros(n, dtype=np.int64))
    lines[1:] += np.cumsum(inner)[:-1]
    last = str(table.column(table.num_columns - 1)[-1].as_py()).replace('"', '""').encode("utf-8")
    tail = raw[max(start, end - len(last) - 2) : end]
    if tail.endswith(b'"' + last) and not tail.endswith(b'"' + last + b'"'):
        raise _SlowPath  # the last value's quote is never closed: let the csv module report it
    return table, lines


def _line_breaks(column: pa.ChunkedArray, lone_cr: bool) -> np.ndarray:
    """Line breaks inside each value: ``\\n`` and, if ``lone_cr``, ``\\r`` not followed by ``\\n``.

    Scans each chunk's data buffer at once and maps the breaks to rows through the offsets.
    """
    counts = []
    for chunk in column.chunks:
        found = np.zeros(len(chunk), dtype=np.int64)
        counts.append(found)
        data_buffer = chunk.buffers()[2]
        if data_buffer is None or len(chunk) == 0:
            continue
        wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)
        offsets = offsets[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
        data = np.frombuffer(data_buffer, dtype=np.uint8)[offsets[0] : offsets[-1]]
        offsets -= offsets[0]
        newline = data == 10
        carriage = (data == 13) if lone_cr else None
        if not newline.any() and (carriage is None or not carriage.any()):
            continue
        breaks = np.flatnonzero(newline)
        if carriage is not None:
            cr = np.flatnonzero(carriage)
            ends = offsets[np.searchsorted(offsets, cr, side="right")]
            follows = np.zeros(len(cr), dtype=bool)
            inside = cr + 1 < ends
            follows[inside] = newline[cr[inside] + 1]
            breaks = np.concatenate([breaks, cr[~follows]])
        found += np.bincount(np.searchsorted(offsets, breaks, side="right") - 1, minlength=len(chunk))
    return np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)


def _ends_in_quotes(record: str) -> bool:
    """Whether the text of a last record ends inside a quoted value (a quote never closed)."""
    try:
        for _ in csv.reader(io.StringIO(record, newline=""), strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _fields(n: int) -> str:
    return f"{n} field" if n == 1 else f"{n} fields"


def _read_slow(raw: bytes, name: str) -> tuple[list[str] | None, list[list[str]], np.ndarray, list[Problem]]:
    """Parse record by record with the csv module, locating every fault."""
    text = raw.decode("utf-8", errors="surrogateescape")
    consumed = [0]  # characters of text handed to the csv reader so far

    def physical_lines() -> Iterator[str]:
        for physical in io.StringIO(text, newline=""):
            consumed[0] += len(physical)
            yield physical

    reader = csv.reader(physical_lines())
    problems: list[Problem] = []
    header: list[str] | None = None
    columns: list[list[str]] = []
    lines: list[int] = []
    previous = 0  # physical lines read so far
    last_line, last_offset = 1, 0  # where the last non-blank record starts
    old_limit = csv.field_size_limit(_FIELD_LIMIT)
    try:
        while True:
            offset = consumed[0]
            try:
                fields = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                problems.append(Problem(name, previous + 1, WHOLE_ROW, f"cannot be read as CSV: {error}"))
                if reader.line_num == previous:
                    break
                previous = reader.line_num
                continue
            line, previous = previous + 1, reader.line_num
            if not fields:
                continue  # a blank line
            last_line, last_offset = line, offset
            fields = _repair(fields, header, line, name, problems)
            if header is None:
                header = fields
                columns = [[] for _ in header]
                continue
            if len(fields) != len(header):
                problems.append(Problem(
                    name, line, WHOLE_ROW,
                    f"the row has {_fields(len(fields))} but the header has {len(header)}",
                ))
                continue
            for column, value in zip(columns, fields):
                column.append(value)
            lines.append(line)
    finally:
        csv.field_size_limit(old_limit)
    if header is None:
        problems.append(Problem(name, 1, WHOLE_ROW, "the file is empty: it has no header row"))
    elif _ends_in_quotes(text[last_offset:]):
        problems.append(Problem(name, last_line, WHOLE_ROW, "a quoted value is never closed: it runs to the end of the file"))
    return header, columns, np.asarray(lines, dtype=np.int64), problems


def _repair(fields: list[str], header: list[str] | None, line: int, name: str, problems: list[Problem]) -> list[str]:
    """Report the fields that held bytes that are not UTF-8, and replace those bytes by U+FFFD."""
    if not any(_UNDECODABLE.search(f) for f in fields):
        return fields
    repaired = []
    offset = 0  # line breaks in the record before the current field
    for i, value in enumerate(fields):
        bad = _UNDECODABLE.search(value)
        if bad:
            column = header[i].strip() if header is not None and i < len(header) else WHOLE_ROW
            shown = " ".join(f"0x{ord(c) - 0xDC00:02x}" for c in bad.group()[:4])
            problems.append(Problem(
                name, line + offset + value.count("\n", 0, bad.start()), column,
                f"bytes that are not UTF-8 ({shown})",
            ))
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        offset += value.count("\n")
        repaired.append(value)
    return repaired


def _to_frame(table: pa.Table, lines: np.ndarray) -> tuple[pd.DataFrame, list[str]]:
    """A pandas frame of string columns (header names stripped, repeats dropped) indexed by line."""
    keep, names, duplicates = [], [], []
    for i, raw_name in enumerate(table.column_names):
        clean = raw_name.strip()
        if clean in names:
            duplicates.append(clean)
            continue
        keep.append(i)
        names.append(clean)
    table = table.select(keep).rename_columns(names)
    frame = table.to_pandas(types_mapper={pa.string(): STRING, pa.large_string(): STRING}.get)
    frame.index = pd.Index(lines, name=LINE, copy=False)
    return frame, duplicates
