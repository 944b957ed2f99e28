"""One CSV file read as text: every value a string, every row tagged with its physical line.

The fast path hands the bytes (memory-mapped) to ``pyarrow.csv``, multithreaded, every column
read as bytes. It then works out each row's physical line from the line breaks inside quoted
values, drops blank lines, locates rows with the wrong number of fields (a second, single
threaded parse numbers them), and checks that every value is UTF-8, locating the bad bytes of
those that are not. The rare file it cannot vouch for — a quoted or multi-line header, a quote
never closed, blank lines in a file that ends lines with a lone carriage return, a parse error —
goes down the slow path: Python's ``csv`` module, one record at a time.

Physical lines are counted as the ``csv`` module counts them: ``\\n``, ``\\r\\n`` or a lone
``\\r`` ends a line; the header is line 1.
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
_TRUSTED_TEXT = pc.CastOptions(pa.large_string(), allow_invalid_utf8=True)
"""Bytes to text without checking them again (the whole file was checked)."""
_UNDECODABLE = re.compile("[\udc80-\udcff]+")
"""Bytes that are not UTF-8, as ``surrogateescape`` decoding leaves them."""
_FIELD_LIMIT = 2**31 - 1
_BATCH = 1 << 16
"""Rows gathered in Python lists before the slow path moves them into Arrow arrays."""


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
        return _read(raw, path, name)
    finally:
        with contextlib.suppress(BufferError):  # pyarrow may still hold the buffer; then GC closes it
            raw.close()


def _read(raw: mmap.mmap, path: Path, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    start = len(_BOM) if raw[: len(_BOM)] == _BOM else 0
    end = len(raw)
    while end > start and raw[end - 1] in b"\r\n":
        end -= 1
    if end == start:
        return None, [Problem(name, 1, WHOLE_ROW, "the file is empty: it has no header row")]
    try:
        table, lines, problems = _read_fast(raw, start, end, name)
    except _SlowPath:
        slow, lines, problems = _read_slow(path, start, name)
        if slow is None:
            return None, problems
        table = slow
    frame, duplicates = _to_frame(table, lines)
    problems += [Problem(name, 1, column, "the column appears twice in the header") for column in duplicates]
    return frame, problems


def _read_fast(raw: mmap.mmap, start: int, end: int, name: str) -> tuple[pa.Table, np.ndarray, list[Problem]]:
    """Parse with pyarrow; raise ``_SlowPath`` for what only the csv module can sort out.

    Returns the table (``large_string`` columns), the physical line of each row, and the
    problems found: rows with the wrong number of fields (left out), values that are not
    UTF-8 (their bad bytes replaced by U+FFFD).
    """
    breaks = [i for i in (raw.find(b"\n", start, end), raw.find(b"\r", start, end)) if i >= 0]
    header_bytes = raw[start : min(breaks) if breaks else end]
    if header_bytes.count(b'"') % 2:
        raise _SlowPath  # a quoted column name holds a line break: let the csv module judge
    try:
        names = next(csv.reader([header_bytes.decode("utf-8")]))
    except (UnicodeDecodeError, csv.Error, StopIteration) as error:
        raise _SlowPath from error
    quoted = raw.find(b'"', start, end) >= 0
    lone_cr = raw.find(b"\r", start, end) >= 0  # (or \r\n line ends: counted the same way below)
    utf8 = _valid_utf8(raw, start, end)
    # pyarrow decodes a skipped row's text as UTF-8 before it hands the row over: with bytes that
    # are not UTF-8 in the file, rows of the wrong width are left to the slow path.
    table, invalid = _parse(raw, start, end, names, quoted, threads=True, skip_invalid=utf8)
    if invalid:  # number the rows pyarrow skipped: a single-threaded parse knows their place
        table, invalid = _parse(raw, start, end, names, quoted, threads=False, skip_invalid=True)
    if table.column_names != names:
        raise _SlowPath
    n = table.num_rows
    inner = np.zeros(n, dtype=np.int64)
    if quoted:
        for column in table.columns:
            column_breaks = _line_breaks(column, lone_cr)
            if column_breaks is not None:
                inner += column_breaks
    problems: list[Problem] = []
    lines = _lines(inner, invalid, name, problems)
    keep = _not_blank(table, lines, raw, start, end, lone_cr)
    if keep is not None:
        table, lines = table.filter(pa.array(keep)), lines[keep]
    if quoted and table.num_rows:
        last = table.column(table.num_columns - 1)[-1].as_py().replace(b'"', b'""')
        tail = raw[max(start, end - len(last) - 2) : end]
        if tail.endswith(b'"' + last) and not tail.endswith(b'"' + last + b'"'):
            raise _SlowPath  # the last value's quote is never closed: let the csv module report it
    if utf8:
        columns = [pc.cast(column, options=_TRUSTED_TEXT) for column in table.columns]
    else:  # rare: locate each bad value on its own line, past the line breaks of the fields before it
        columns, before = [], np.zeros(table.num_rows, dtype=np.int64)
        for header, column in zip(table.column_names, table.columns):
            columns.append(_utf8(column, header, lines + before, lone_cr, name, problems))
            inside = _line_breaks(column, lone_cr) if quoted else None
            if inside is not None:
                before = before + inside
    return pa.table(columns, names=table.column_names), lines, problems


def _valid_utf8(raw: mmap.mmap, start: int, end: int) -> bool:
    """Whether the bytes between ``start`` and ``end`` are UTF-8 (one pass, no copy)."""
    offsets = pa.py_buffer(np.array([0, end - start], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(raw).slice(start, end - start)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _parse(raw: mmap.mmap, start: int, end: int, names: list[str], quoted: bool, *, threads: bool,
           skip_invalid: bool) -> tuple[pa.Table, list[object]]:
    """The file's rows as bytes columns, and the rows with the wrong number of fields (skipped
    if ``skip_invalid``, else the slow path is taken)."""
    invalid: list[object] = []

    def on_invalid(row: object) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.BufferReader(pa.py_buffer(raw).slice(start, end - start)),
            read_options=pcsv.ReadOptions(use_threads=threads, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(
                newlines_in_values=quoted, ignore_empty_lines=False,
                invalid_row_handler=on_invalid if skip_invalid else None,
            ),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.large_binary() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
            # The system allocator maps fresh memory with far fewer page faults and less zeroing
            # than the default pool does for a one-off read of hundreds of megabytes.
            memory_pool=pa.system_memory_pool(),
        )
    except pa.ArrowInvalid as error:
        raise _SlowPath from error
    return table, invalid


def _lines(inner: np.ndarray, invalid: list[object], name: str, problems: list[Problem]) -> np.ndarray:
    """Physical line of each row from the line breaks inside the rows before it; report the
    skipped rows (``invalid``, numbered by pyarrow: the header is record 1) on their lines."""
    if not invalid:
        lines = np.arange(2, len(inner) + 2, dtype=np.int64)
        lines[1:] += np.cumsum(inner)[:-1]
        return lines
    total = len(inner) + len(invalid)
    skipped = np.zeros(total, dtype=bool)
    records = np.array([row.number for row in invalid], dtype=np.int64) - 2  # type: ignore[attr-defined]
    skipped[records] = True
    breaks = np.zeros(total, dtype=np.int64)
    breaks[~skipped] = inner
    breaks[records] = [_count_breaks(row.text) for row in invalid]  # type: ignore[attr-defined]
    every = np.arange(2, total + 2, dtype=np.int64)
    every[1:] += np.cumsum(breaks)[:-1]
    for row, line in zip(invalid, every[records]):
        got, want = row.actual_columns, row.expected_columns  # type: ignore[attr-defined]
        problems.append(Problem(name, int(line), WHOLE_ROW, f"the row has {_fields(got)} but the header has {want}"))
    return every[~skipped]


def _count_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _not_blank(table: pa.Table, lines: np.ndarray, raw: mmap.mmap, start: int, end: int, lone_cr: bool) -> np.ndarray | None:
    """Which rows are not blank lines (``None``: all of them). A row of empty values is a blank
    line when nothing at all is written on its line."""
    if table.num_rows == 0 or table.num_columns == 0:
        return None
    empty = pc.equal(pc.binary_length(table.column(0)), 0)
    for column in table.columns[1:]:
        if not pc.any(empty).as_py():
            return None
        empty = pc.and_(empty, pc.equal(pc.binary_length(column), 0))
    candidates = np.flatnonzero(empty.to_numpy(zero_copy_only=False))
    if len(candidates) == 0:
        return None
    if lone_cr and _has_lone_cr(raw, start, end):
        raise _SlowPath  # lines ended by a lone \r: let the csv module count them
    line_ends = _positions(raw, start, end, 10)
    keep = np.ones(table.num_rows, dtype=bool)
    for row in candidates.tolist():
        line = int(lines[row])
        begin = line_ends[line - 2] + 1
        stop = line_ends[line - 1] if line - 1 < len(line_ends) else end
        keep[row] = raw[begin:stop] not in (b"", b"\r")
    return keep


def _has_lone_cr(raw: mmap.mmap, start: int, end: int) -> bool:
    """Whether a ``\\r`` not followed by ``\\n`` occurs between ``start`` and ``end``."""
    cr = _positions(raw, start, end, 13)
    data = np.frombuffer(raw, dtype=np.uint8)
    following = data[np.minimum(cr + 1, len(data) - 1)]
    lone = bool(((cr + 1 >= end) | (following != 10)).any())
    del data, following
    return lone


def _positions(raw: mmap.mmap, start: int, end: int, byte: int) -> np.ndarray:
    """Positions of every occurrence of ``byte`` between ``start`` and ``end``."""
    data = np.frombuffer(raw, dtype=np.uint8)
    parts, step = [np.zeros(0, dtype=np.int64)], 1 << 26
    for lo in range(start, end, step):
        hi = min(lo + step, end)
        parts.append(np.flatnonzero(data[lo:hi] == byte) + lo)
    del data
    return np.concatenate(parts)


def _utf8(column: pa.ChunkedArray, header: str, lines: np.ndarray, lone_cr: bool, name: str,
          problems: list[Problem]) -> pa.ChunkedArray:
    """The column as text; report each value that is not UTF-8 and replace its bad bytes."""
    try:
        return column.cast(pa.large_string())
    except pa.ArrowInvalid:
        pass
    chunks, row = [], 0
    for chunk in column.chunks:
        try:
            chunks.append(chunk.cast(pa.large_string()))
        except pa.ArrowInvalid:
            fixed = []
            for i, value in enumerate(chunk.to_pylist()):
                try:
                    fixed.append(value.decode("utf-8"))
                except UnicodeDecodeError as error:
                    shown = " ".join(f"0x{b:02x}" for b in value[error.start : error.end][:4])
                    before = value[: error.start]
                    line = int(lines[row + i]) + before.count(b"\n") + (
                        before.count(b"\r") - before.count(b"\r\n") if lone_cr else 0
                    )
                    problems.append(Problem(name, line, header.strip(), f"bytes that are not UTF-8 ({shown})"))
                    fixed.append(value.decode("utf-8", "replace"))
            chunks.append(pa.array(fixed, type=pa.large_string()))
        row += len(chunk)
    return pa.chunked_array(chunks, type=pa.large_string())


def _line_breaks(column: pa.ChunkedArray, lone_cr: bool) -> np.ndarray | None:
    """Line breaks inside each value: ``\\n`` and, if ``lone_cr``, ``\\r`` not followed by ``\\n``
    (``None`` when there are none).

    Scans each chunk's data buffer at once (into one reused scratch array) and maps the breaks
    to rows through the offsets.
    """
    counts: np.ndarray | None = None
    scratch = np.empty(0, dtype=bool)
    row = 0
    for chunk in column.chunks:
        row, rows = row + len(chunk), slice(row, row + len(chunk))
        data_buffer = chunk.buffers()[2]
        if data_buffer is None or len(chunk) == 0:
            continue
        wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
        raw_offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64 if wide else np.int32)
        first, last = int(raw_offsets[chunk.offset]), int(raw_offsets[chunk.offset + len(chunk)])
        data = np.frombuffer(data_buffer, dtype=np.uint8)[first:last]
        if len(scratch) < len(data):
            scratch = np.empty(len(data), dtype=bool)
        hits = scratch[: len(data)]
        np.equal(data, 10, out=hits)
        any_newline = bool(hits.any())
        any_cr = False
        if lone_cr:
            np.equal(data, 13, out=hits)
            any_cr = bool(hits.any())
        if not any_newline and not any_cr:
            continue
        offsets = raw_offsets[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64) - first
        newline = data == 10
        breaks = np.flatnonzero(newline)
        if any_cr:
            cr = np.flatnonzero(data == 13)
            ends = offsets[np.searchsorted(offsets, cr, side="right")]
            follows = np.zeros(len(cr), dtype=bool)
            inside = cr + 1 < ends
            follows[inside] = newline[cr[inside] + 1]
            breaks = np.concatenate([breaks, cr[~follows]])
        if counts is None:
            counts = np.zeros(len(column), dtype=np.int64)
        counts[rows] += np.bincount(np.searchsorted(offsets, breaks, side="right") - 1, minlength=len(chunk))
    return counts


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


def _read_slow(path: Path, start: int, name: str) -> tuple[pa.Table | None, np.ndarray, list[Problem]]:
    """Parse record by record with the csv module, locating every fault.

    The file is decoded as it is read (bytes that are not UTF-8 kept as surrogates, reported
    and replaced field by field) and the rows are gathered into Arrow arrays a batch at a
    time, so that memory stays close to the size of the table.
    """
    with open(path, "rb") as handle:
        handle.seek(start)
        text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline="")
        record: list[list[str]] = [[]]  # the physical lines of the record being read

        def physical_lines() -> Iterator[str]:
            for physical in text:
                record[0].append(physical)
                yield physical

        reader = csv.reader(physical_lines())
        problems: list[Problem] = []
        header: list[str] | None = None
        batch: list[list[str]] = []
        done: list[list[pa.Array]] = []
        lines: list[int] = []
        previous = 0  # physical lines read so far
        last_line, last_record = 1, [""]  # the last non-blank record: where it starts, its text
        old_limit = csv.field_size_limit(_FIELD_LIMIT)
        try:
            while True:
                record[0] = []
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
                last_line, last_record = line, record[0]
                fields = _repair(fields, header, line, name, problems)
                if header is None:
                    header = fields
                    batch = [[] for _ in header]
                    done = [[] for _ in header]
                    continue
                if len(fields) != len(header):
                    problems.append(Problem(
                        name, line, WHOLE_ROW,
                        f"the row has {_fields(len(fields))} but the header has {len(header)}",
                    ))
                    continue
                for column, value in zip(batch, fields):
                    column.append(value)
                lines.append(line)
                if len(batch[0]) == _BATCH:
                    _flush(batch, done)
        finally:
            csv.field_size_limit(old_limit)
    if header is None:
        problems.append(Problem(name, 1, WHOLE_ROW, "the file is empty: it has no header row"))
        return None, np.zeros(0, dtype=np.int64), problems
    if _ends_in_quotes("".join(last_record)):
        problems.append(Problem(name, last_line, WHOLE_ROW, "a quoted value is never closed: it runs to the end of the file"))
    _flush(batch, done)
    table = pa.table([pa.chunked_array(arrays, type=pa.large_string()) for arrays in done], names=header)
    return table, np.asarray(lines, dtype=np.int64), problems


def _flush(batch: list[list[str]], done: list[list[pa.Array]]) -> None:
    """Move a batch of rows into Arrow arrays."""
    for column, arrays in zip(batch, done):
        arrays.append(pa.array(column, type=pa.large_string()))
        column.clear()


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
                name, line + offset + _count_breaks(value[: bad.start()]), column,
                f"bytes that are not UTF-8 ({shown})",
            ))
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        offset += _count_breaks(value)
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
    frame.index = _line_index(lines)
    return frame, duplicates


def _line_index(lines: np.ndarray) -> pd.Index:
    """The ``line`` index; a ``RangeIndex`` (no memory) when the rows are on consecutive lines."""
    n = len(lines)
    if n and lines[0] == 2 and lines[-1] == n + 1:  # lines only ever increase: these are 2 … n + 1
        return pd.RangeIndex(2, n + 2, name=LINE)
    return pd.Index(lines, name=LINE, copy=False)
