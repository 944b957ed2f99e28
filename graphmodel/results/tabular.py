"""Fast, exact writing of tables: CSV and JSON records through Apache Arrow.

pandas' own writers format every cell in Python and take tens of seconds for the millions of
rows a large analysis yields; these build the text column by column with Arrow's compute kernels.
"""

from __future__ import annotations

from typing import IO

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

__all__ = ["write_csv", "json_records"]


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


def write_csv(frame: pd.DataFrame, out: IO[bytes]) -> None:
    """Write ``frame`` as CSV (header row, no index); list cells are joined with ``;``.

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> write_csv(pd.DataFrame({"a": ["x,y"], "b": [["no_duty", "isolated"]], "c": [0.5]}), buf)
    >>> buf.getvalue().decode()
    'a,b,c\\n"x,y","no_duty;isolated",0.5\\n'
    """
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


def _csv_field(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _bytes(array: pa.Array) -> np.ndarray:
    """The UTF-8 bytes of a string array's values (all of its data buffer)."""
    data = array.buffers()[2]
    return np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def _json_strings(array: pa.Array) -> pa.Array:
    """JSON string literals (quoted, escaped) for a string array; null stays null."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
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


def json_records(frame: pd.DataFrame, out: IO[bytes], chunk: int = 1_000_000) -> None:
    """Write ``frame`` as a JSON array of records (one object per row).

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> json_records(pd.DataFrame({"id": ['a"b'], "p": [float("nan")], "s": [["x"]]}), buf)
    >>> orjson.loads(buf.getvalue())
    [{'id': 'a"b', 'p': None, 's': ['x']}]
    """
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
