"""Fast, exact writing of tables: CSV and JSON records through Apache Arrow.

pandas' own writers format every cell in Python and take tens of seconds for the millions of
rows a large analysis yields. Here a table's text is built a chunk of rows at a time with Arrow's
compute kernels, and each cell is formatted once for both outputs (:class:`TableText`):

- a column of few distinct texts — bools, small integers, categories, floats (factorized per
  chunk), list cells — becomes codes into a small dictionary of its JSON and CSV texts;
  neighbouring coded columns, with the literal text between them (keys, commas, quotes), are
  merged into one dictionary over their combined codes, so that a run of them is a single ``take``;
- a string column is copied as it is, its quotes part of the literal text, unless it holds nulls
  or characters that need escaping;
- a record is then one ``binary_join_element_wise`` over these pieces.

Numbers keep Arrow's shortest round-trip text; in JSON NaN and infinities are ``null``, in CSV
NaN is an empty field (as Arrow's CSV writer has them). Tables with a column of another type
(nullable integers, dates …) are written by the general, slower path (:func:`_legacy_json_records`,
:func:`_legacy_write_csv`).
"""

from __future__ import annotations

import ctypes
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Protocol, Union

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["write_csv", "json_records", "TableText"]

CHUNK_CELLS = 1 << 20
"""Cells (rows × columns) per chunk of rows: about 20 MB of JSON text."""

_SMALL_INT_RANGE = 4096
"""Integer columns whose values span at most this many numbers are coded by value."""

_RECORD_END = "},\n"


@dataclass
class _Coded:
    """One chunk of a column as codes (one per row) into dictionaries of JSON and CSV texts."""

    codes: np.ndarray
    json: pa.Array
    csv: pa.Array


@dataclass
class _Text:
    """One chunk of a column as text; ``quote``: both outputs put it between double quotes."""

    json: pa.Array
    csv: pa.Array
    quote: bool


_Cells = Union[_Coded, _Text]


class _Column(Protocol):
    def cells(self, start: int, stop: int, csv: bool) -> _Cells: ...


_FALSE_TRUE = pa.array(["false", "true"], type=pa.string())


class _BoolColumn:
    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def cells(self, start: int, stop: int, csv: bool) -> _Cells:
        return _Coded(self.values[start:stop].view(np.uint8), _FALSE_TRUE, _FALSE_TRUE)


class _SmallIntColumn:
    """Integers within a short range: the code is the value less the smallest."""

    def __init__(self, values: np.ndarray, low: int, high: int) -> None:
        self.values, self.low = values, low
        self.text = pa.array([str(v) for v in range(low, high + 1)], type=pa.string())

    def cells(self, start: int, stop: int, csv: bool) -> _Cells:
        part = self.values[start:stop]
        codes = (part - part.dtype.type(self.low)).astype(np.int64)
        return _Coded(codes, self.text, self.text)


class _NumberColumn:
    """Floats and wide-ranging integers, factorized by bit pattern per chunk; each distinct value
    is formatted once."""

    _BITS = {np.dtype(np.float64): np.int64, np.dtype(np.float32): np.int32}

    def __init__(self, values: np.ndarray) -> None:
        self.values = values

    def cells(self, start: int, stop: int, csv: bool) -> _Cells:
        part = self.values[start:stop]
        bits = self._BITS.get(part.dtype)
        codes, uniques = pd.factorize(part.view(bits) if bits is not None else part)
        if bits is None:  # integers
            text = pc.cast(pa.array(uniques), pa.string())
            return _Coded(codes, text, text)
        values = uniques.view(part.dtype)
        json = pc.cast(pa.array(values.astype(np.float64)), pa.string())
        csv_text = json if values.dtype == np.float64 else pc.cast(pa.array(values), pa.string())
        finite = np.isfinite(values)
        if not finite.all():
            json = pc.if_else(pa.array(finite), json, pa.scalar("null"))
            nan = np.isnan(values)
            if nan.any():  # Arrow reads a NaN from pandas as null: an empty CSV field
                csv_text = pc.if_else(pa.array(~nan), csv_text, pa.scalar(""))
        return _Coded(codes, json, csv_text)


class _CategoryColumn:
    def __init__(self, series: pd.Series, categories: list[str]) -> None:
        self.codes = series.cat.codes.to_numpy()
        self.json = pa.array(["null"] + [orjson.dumps(c).decode() for c in categories], type=pa.string())
        self.csv = pa.array([""] + [_csv_quoted(c) for c in categories], type=pa.string())

    def cells(self, start: int, stop: int, csv: bool) -> _Cells:
        return _Coded(self.codes[start:stop].astype(np.int64) + 1, self.json, self.csv)


class _StringColumn:
    def __init__(self, series: pd.Series) -> None:
        self.arrow: pa.ChunkedArray | None = None
        self.objects: np.ndarray | None = None
        dtype = series.dtype
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            array = series.array.__arrow_array__()
            self.arrow = array if isinstance(array, pa.ChunkedArray) else pa.chunked_array([array])
        else:
            self.objects = series.to_numpy(dtype=object)

    def cells(self, start: int, stop: int, csv: bool) -> _Cells:
        if self.arrow is not None:
            part = self.arrow.slice(start, stop - start)
            array = part.chunk(0) if part.num_chunks == 1 else pa.concat_arrays(part.chunks)
            if array.type != pa.string():
                array = array.cast(pa.string())
            return _string_cells(array)
        assert self.objects is not None
        objects = self.objects[start:stop]
        addresses = _addresses(objects)
        if len(pd.unique(addresses[:1024])) <= 64:  # a few string objects over and over: format them once
            codes, distinct = _distinct(objects, addresses)
            if len(distinct) <= len(objects) // 2:
                text = _string_cells(pa.array(distinct, type=pa.string(), from_pandas=True))
                if not text.quote:
                    return _Coded(codes, text.json, text.csv)
                quoted = pc.binary_join_element_wise('"', text.json, '"', "")
                return _Coded(codes, quoted, quoted)
        return _string_cells(pa.array(objects, type=pa.string(), from_pandas=True))


class _ListColumn:
    """Cells that are lists of strings: JSON arrays, ``;``-joined in CSV. A column's lists are
    mostly a few shared objects, so each distinct object is formatted once."""

    def __init__(self, series: pd.Series) -> None:
        self.objects = series.to_numpy(dtype=object)

    def cells(self, start: int, stop: int, csv: bool) -> _Cells:
        objects = self.objects[start:stop]
        codes, distinct = _distinct(objects, _addresses(objects))
        json = [_json_list(value) for value in distinct]
        csv_text = [_csv_quoted(";".join(value)) for value in distinct] if csv else json
        return _Coded(codes, pa.array(json, type=pa.string()), pa.array(csv_text, type=pa.string()))


def _addresses(objects: np.ndarray) -> np.ndarray:
    """The identity (``id``) of each element of an object array.

    In CPython that is the object's address, which the array holds: it is read from there
    rather than by calling ``id`` on each element.
    """
    if sys.implementation.name != "cpython" or not objects.flags.c_contiguous or not len(objects):
        return np.fromiter(map(id, objects), dtype=np.intp, count=len(objects))
    pointers = (ctypes.c_ssize_t * len(objects)).from_address(objects.ctypes.data)
    return np.frombuffer(memoryview(pointers).cast("B"), dtype=np.intp).copy()


def _distinct(objects: np.ndarray, addresses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of ``objects`` by identity, and the first of each distinct object."""
    codes, uniques = pd.factorize(addresses)
    first = np.empty(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes, objects[first]


def _json_list(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "null"
    return orjson.dumps(list(value)).decode()  # type: ignore[call-overload]


def _csv_quoted(text: str) -> str:
    """A string field as Arrow's CSV writer quotes it."""
    return '"' + text.replace('"', '""') + '"'


def _string_data(array: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of a string array's values (only those of its rows)."""
    data = array.buffers()[2]
    if data is None or not len(array):
        return np.zeros(0, np.uint8)
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=4 * array.offset)
    return np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]]


def _string_cells(array: pa.Array) -> _Text:
    raw = _string_data(array)
    has_quote = bool((raw == 0x22).any())
    if not array.null_count and not ((raw < 0x20).any() or has_quote or (raw == 0x5C).any()):
        return _Text(array, array, quote=True)
    json = pc.fill_null(_json_strings(array, raw), "null")
    quoted = pc.replace_substring(array, '"', '""') if has_quote else array
    csv = pc.fill_null(pc.binary_join_element_wise('"', quoted, '"', ""), "")
    return _Text(json, csv, quote=False)


def _column(series: pd.Series) -> _Column | None:
    """How to format ``series``; None for a column the fast path does not handle."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        categories = list(dtype.categories)
        if not all(isinstance(c, str) for c in categories):
            return None
        return _CategoryColumn(series, categories)
    if isinstance(dtype, pd.StringDtype):
        return _StringColumn(series)
    if not isinstance(dtype, np.dtype):
        return None
    if dtype == object:
        return _ListColumn(series) if _is_list_column(series) else _StringColumn(series)
    values = series.to_numpy()
    if dtype == np.bool_:
        return _BoolColumn(values)
    if dtype.kind in "iu":
        if len(values):
            low, high = int(values.min()), int(values.max())
            if high - low < _SMALL_INT_RANGE:
                return _SmallIntColumn(values, low, high)
        return _NumberColumn(values)
    if dtype in (np.float64, np.float32):
        return _NumberColumn(values)
    return None


@dataclass
class _Group:
    """Neighbouring coded columns written by one ``take``: per row the code of its combination
    of their codes and, per column, its code in each combination (None for a single column)."""

    columns: list[int]
    codes: np.ndarray
    digits: list[np.ndarray] | None


def _groups(cells: Sequence[_Cells], rows: int) -> list[_Group | int]:
    """The columns in order: a text column's index, or a group of neighbouring coded columns."""
    out: list[_Group | int] = []
    run: list[int] = []
    for i, cell in enumerate(cells):
        if isinstance(cell, _Text):
            out += _run_groups(cells, run, rows)
            out.append(i)
            run = []
        else:
            run.append(i)
    out += _run_groups(cells, run, rows)
    return out


def _run_groups(cells: Sequence[_Cells], run: list[int], rows: int) -> list[_Group]:
    """Groups for a run of coded columns.

    Either groups whose every combination of codes is spelled out (a few entries each), or one
    group over the combinations the rows have (factorized), whichever costs less by a rough
    model: per row a group costs a take and a piece of the join, about 15 ns, factorizing about
    12 ns (shared by the two outputs); a dictionary entry about 25 ns per column.
    """
    if not run:
        return []
    sizes = {i: len(_coded(cells[i]).json) for i in run}
    small = max(256, rows // 16)
    parts: list[list[int]] = [[]]
    product = 1
    for i in run:
        if parts[-1] and product * sizes[i] > small:
            parts.append([])
            product = 1
        parts[-1].append(i)
        product *= sizes[i]
    if len(parts) > 1:
        split = sum(15 * rows + float(np.prod([sizes[i] for i in part], dtype=np.float64)) * (25 * len(part) + 10) for part in parts)
        most = int((split - 21 * rows) / (25 * len(run) + 10))
        if max(sizes.values()) <= most and float(np.prod(list(sizes.values()), dtype=np.float64)) < 2.0**62:
            group = _combined(cells, run, most)
            if group is not None:
                return [group]
    return [_every(cells, part) for part in parts]


def _combined(cells: Sequence[_Cells], run: list[int], most: int | None = None) -> _Group | None:
    """A group for ``run``: over every combination of codes or, given ``most``, over those found
    in its rows; None if these are more than ``most``."""
    if len(run) == 1:
        return _Group(run, _coded(cells[run[0]]).codes, None)
    sizes = [len(_coded(cells[i]).json) for i in run]
    strides = [int(np.prod(sizes[k + 1 :], dtype=np.int64)) for k in range(len(run))]
    codes = np.zeros(len(_coded(cells[run[0]]).codes), dtype=np.int64)
    for i, stride in zip(run, strides):
        codes += _coded(cells[i]).codes.astype(np.int64) * stride
    if most is None:
        entries = np.arange(strides[0] * sizes[0], dtype=np.int64)
    else:
        codes, entries = pd.factorize(codes)
        if len(entries) > most:
            return None
    digits = [(entries // stride) % size for stride, size in zip(strides, sizes)]
    return _Group(run, codes, digits)


def _every(cells: Sequence[_Cells], run: list[int]) -> _Group:
    """A group for ``run`` over every combination of codes."""
    group = _combined(cells, run)
    assert group is not None
    return group


def _coded(cell: _Cells) -> _Coded:
    assert isinstance(cell, _Coded)
    return cell


def _dictionary(texts: list[pa.Array], literals: list[str], digits: list[np.ndarray] | None) -> pa.Array:
    """Entries ``literals[0] + texts[0][d0] + literals[1] + … + texts[-1][dk] + literals[-1]``."""
    if digits is None:
        columns = texts
    else:
        columns = [pc.take(text, d) for text, d in zip(texts, digits)]
    pieces: list[object] = [literals[0]]
    for column, literal in zip(columns, literals[1:]):
        pieces += [column, literal]
    pieces = [p for p in pieces if not (isinstance(p, str) and not p)]
    if len(pieces) == 1:
        return pieces[0]  # type: ignore[return-value]
    return pc.binary_join_element_wise(*pieces, "")


def _render(cells: Sequence[_Cells], groups: list[_Group | int], before: list[str], end: str, fmt: str, rows: int) -> memoryview:
    """The text of ``rows`` rows: per column ``before[i]``, its cell (quoted if a plain string)."""
    # Tokens: literals (merged), text columns, groups; a group takes in the literal before it and,
    # unless the next group takes it, the one after it.
    tokens: list[object] = []

    def literal(text: str) -> None:
        if tokens and isinstance(tokens[-1], str):
            tokens[-1] += text
        else:
            tokens.append(text)

    for item in groups:
        if isinstance(item, int):
            cell = cells[item]
            assert isinstance(cell, _Text)
            quote = '"' if cell.quote else ""
            literal(before[item] + quote)
            tokens.append(cell.json if fmt == "json" else cell.csv)
            literal(quote)
        else:
            literal(before[item.columns[0]])
            tokens.append(item)
    literal(end)
    pieces: list[object] = []
    k = 0
    while k < len(tokens):
        token = tokens[k]
        if isinstance(token, _Group):
            lead = trail = ""
            if pieces and isinstance(pieces[-1], str):
                lead = pieces.pop()  # type: ignore[assignment]
            following = tokens[k + 1] if k + 1 < len(tokens) else None
            if isinstance(following, str) and (k + 2 >= len(tokens) or not isinstance(tokens[k + 2], _Group)):
                trail = following
                k += 1
            coded = [_coded(cells[i]) for i in token.columns]
            texts = [c.json if fmt == "json" else c.csv for c in coded]
            literals = [lead] + [before[i] for i in token.columns[1:]] + [trail]
            pieces.append(pc.take(_dictionary(texts, literals, token.digits), token.codes))
        elif isinstance(token, str):
            if token:
                pieces.append(token)
        else:
            pieces.append(token)
        k += 1
    arrays = [p for p in pieces if not isinstance(p, str)]
    if not arrays:
        return memoryview("".join(pieces).encode("utf-8") * rows)  # type: ignore[arg-type]
    records = arrays[0] if len(pieces) == 1 else pc.binary_join_element_wise(*pieces, "")
    return _text(records)


def _text(array: pa.Array) -> memoryview:
    """The bytes of a string array's values, without copying."""
    data = array.buffers()[2]
    if data is None:
        return memoryview(b"")
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=4 * array.offset)
    return memoryview(data)[offsets[0] : offsets[-1]]


class TableText:
    """The JSON records and the CSV rows of a table, built a chunk of rows at a time.

    :meth:`render` is safe to call from several threads at once; Arrow's kernels, which do most
    of the work, release the GIL.

    Examples
    --------
    >>> table = TableText(pd.DataFrame({"a": ["x,y"], "b": [["no_duty", "isolated"]], "c": [0.5]}))
    >>> json, csv = table.render(0, 1)
    >>> bytes(json), table.header() + bytes(csv)
    (b'{"a":"x,y","b":["no_duty","isolated"],"c":0.5},\\n', b'a,b,c\\n"x,y","no_duty;isolated",0.5\\n')
    """

    def __init__(self, frame: pd.DataFrame, chunk: int | None = None) -> None:
        self.frame = frame
        self.rows = len(frame)
        self.names = [str(name) for name in frame.columns]
        width = max(len(self.names), 1)
        self.chunk = max(1, chunk if chunk is not None else CHUNK_CELLS // width)
        columns = [_column(frame.iloc[:, i]) for i in range(len(self.names))]
        self.columns: list[_Column] | None = None
        if all(c is not None for c in columns):
            self.columns = [c for c in columns if c is not None]
        keys = [orjson.dumps(name).decode() for name in self.names]
        self.json_before = [("{" if i == 0 else ",") + key + ":" for i, key in enumerate(keys)]
        self.csv_before = ["" if i == 0 else "," for i in range(len(keys))]

    def header(self) -> bytes:
        """The CSV header line."""
        return (",".join(_csv_field(name) for name in self.names) + "\n").encode("utf-8")

    def ranges(self) -> list[tuple[int, int]]:
        """The chunks of rows, ``(start, stop)``, to :meth:`render` in turn."""
        if self.columns is None:
            return [(0, self.rows)] if self.rows else []
        return [(start, min(start + self.chunk, self.rows)) for start in range(0, self.rows, self.chunk)]

    def render(self, start: int, stop: int, json: bool = True, csv: bool = True) -> tuple[memoryview | None, memoryview | None]:
        """JSON records (each followed by ``,\\n``) and CSV rows of rows ``start:stop``."""
        if self.columns is None:
            return self._legacy(start, stop, json, csv)
        rows = stop - start
        cells = [column.cells(start, stop, csv) for column in self.columns]
        groups = _groups(cells, rows)
        json_text = csv_text = None
        if json:
            end = _RECORD_END if cells else "{" + _RECORD_END
            json_text = _render(cells, groups, self.json_before, end, "json", rows)
        if csv:
            csv_text = _render(cells, groups, self.csv_before, "\n", "csv", rows) if cells else memoryview(b"")
        return json_text, csv_text

    def _legacy(self, start: int, stop: int, json: bool, csv: bool) -> tuple[memoryview | None, memoryview | None]:
        part = self.frame.iloc[start:stop]
        json_text = csv_text = None
        if json:
            buf = io.BytesIO()
            _legacy_json_records(part, buf)
            json_text = memoryview(buf.getvalue()[1:-1] + b",\n")
        if csv:
            buf = io.BytesIO()
            _legacy_write_csv(part, buf)
            csv_text = memoryview(buf.getvalue()[len(self.header()) :])
        return json_text, csv_text


def write_csv(frame: pd.DataFrame, out: IO[bytes]) -> None:
    """Write ``frame`` as CSV (header row, no index); list cells are joined with ``;``.

    Strings are quoted, numbers are not, and a missing value is an empty field.

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> write_csv(pd.DataFrame({"a": ["x,y"], "b": [["no_duty", "isolated"]], "c": [0.5]}), buf)
    >>> buf.getvalue().decode()
    'a,b,c\\n"x,y","no_duty;isolated",0.5\\n'
    """
    table = TableText(frame)
    out.write(table.header())
    for start, stop in table.ranges():
        out.write(table.render(start, stop, json=False)[1])  # type: ignore[arg-type]


def json_records(frame: pd.DataFrame, out: IO[bytes], chunk: int | None = None) -> None:
    """Write ``frame`` as a JSON array of records (one object per row).

    Examples
    --------
    >>> buf = io.BytesIO()
    >>> json_records(pd.DataFrame({"id": ['a"b'], "p": [float("nan")], "s": [["x"]]}), buf)
    >>> orjson.loads(buf.getvalue())
    [{'id': 'a"b', 'p': None, 's': ['x']}]
    """
    table = TableText(frame, chunk)
    out.write(b"[")
    ranges = table.ranges()
    for k, (start, stop) in enumerate(ranges):
        text = table.render(start, stop, csv=False)[0]
        assert text is not None
        out.write(text[:-2] if k == len(ranges) - 1 else text)  # the last record takes no ",\n"
    out.write(b"]")


def _csv_field(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


# The general path, for tables with a column of a type the fast path does not handle.


def _is_list_column(series: pd.Series) -> bool:
    if series.dtype != object or not len(series):
        return False
    first = series.iat[0]
    return isinstance(first, (list, tuple))


def _arrow_column(series: pd.Series) -> pa.Array:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return pa.array(series.astype(object).to_numpy(), type=pa.string())
    if series.dtype == object:
        return pa.array(series.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    if pd.api.types.is_string_dtype(series.dtype):
        return pa.array(series, type=pa.string(), from_pandas=True)
    return pa.Array.from_pandas(series)


def _legacy_write_csv(frame: pd.DataFrame, out: IO[bytes]) -> None:
    columns = {}
    for name in frame.columns:
        series = frame[name]
        if _is_list_column(series):
            series = series.map(";".join)
        columns[str(name)] = _arrow_column(series)
    out.write((",".join(_csv_field(str(name)) for name in frame.columns) + "\n").encode("utf-8"))
    if not len(frame) or not columns:
        return
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    pacsv.write_csv(pa.table(columns), out, write_options=options)


def _bytes(array: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of a string array's values (all of its data buffer)."""
    data = array.buffers()[2]
    return np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def _json_strings(array: pa.Array, raw: np.ndarray | None = None) -> pa.Array:
    """JSON string literals (quoted, escaped) for a string array; null stays null. ``raw``: the
    bytes of the array's own rows, when already at hand (a slice of a long column shares its
    whole buffer: scanning that for every chunk would scan the column once per chunk)."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if raw is None:
        raw = _bytes(array)
    text = array
    if (raw == 0x5C).any():
        text = pc.replace_substring(text, "\\", "\\\\")
    if (raw == 0x22).any():
        text = pc.replace_substring(text, '"', '\\"')
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    if (raw < 0x20).any():
        control = pc.match_substring_regex(array, r"[\x00-\x1f]")
        rows = np.flatnonzero(control.fill_null(False).to_numpy(zero_copy_only=False))
        exact = [orjson.dumps(array[i].as_py()).decode() for i in rows]
        values = quoted.to_pylist()
        for i, value in zip(rows, exact):
            values[i] = value
        quoted = pa.array(values, type=pa.string())
    return quoted


def _json_values(series: pd.Series) -> pa.Array:
    """JSON text of each cell of ``series`` (null for missing, NaN and infinities)."""
    if _is_list_column(series):
        arr = pa.array(series.to_list(), type=pa.list_(pa.string()))
        flat = _json_strings(arr.flatten())
        joined = pc.binary_join(pa.ListArray.from_arrays(arr.offsets, flat), ",")
        return pc.binary_join_element_wise("[", joined, "]", "")
    if pd.api.types.is_bool_dtype(series.dtype):
        return pc.cast(pa.Array.from_pandas(series), pa.string())
    if pd.api.types.is_integer_dtype(series.dtype):
        return pc.cast(pa.Array.from_pandas(series), pa.string())
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64)
        text = pc.cast(pa.array(values), pa.string())
        return pc.if_else(pa.array(~np.isfinite(values)), pa.scalar(None, pa.string()), text)
    return _json_strings(_arrow_column(series))


def _legacy_json_records(frame: pd.DataFrame, out: IO[bytes], chunk: int = 1_000_000) -> None:
    out.write(b"[")
    keys = [orjson.dumps(str(name)).decode() for name in frame.columns]
    for start in range(0, len(frame), chunk):
        part = frame.iloc[start : start + chunk]
        pieces: list[object] = []
        for i, name in enumerate(frame.columns):
            pieces.append(("{" if i == 0 else ",") + keys[i] + ":")
            pieces.append(pc.fill_null(_json_values(part[name]), "null"))
        pieces.append("},\n")
        records = pc.binary_join_element_wise(*pieces, "")
        if isinstance(records, pa.ChunkedArray):
            records = records.combine_chunks()
        offsets = np.frombuffer(records.buffers()[1], dtype=np.int32)[records.offset : records.offset + len(records) + 1]
        text = memoryview(records.buffers()[2])[offsets[0] : offsets[-1]]
        last = start + chunk >= len(frame)
        out.write(text[:-2] if last else text)  # the last record takes no ",\n"
    out.write(b"]")
