"""Arrow-based CSV and JSON writers: exact round trips for any text and number.

The fast path (``TableText``) is checked against the general one it replaced
(``_legacy_write_csv`` / ``_legacy_json_records``): CSVs byte for byte, JSON value for value.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import orjson
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.results.tabular import (
    TableText,
    _legacy_json_records,
    _legacy_write_csv,
    json_records,
    write_csv,
)

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
tricky = st.sampled_from(["", "a", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "cr\r", "\x00\x1f",
                          "上海市委", "a,b", "é", "🙂", "null", "1.5", " "])
floats = st.floats(allow_nan=True, allow_infinity=True)
VOCAB = ["no_duty", "isolated", "cut_off_above"]


def _both(frame: pd.DataFrame, chunk: int | None = None) -> tuple[bytes, bytes, bytes, bytes]:
    new_json, new_csv, old_json, old_csv = io.BytesIO(), io.BytesIO(), io.BytesIO(), io.BytesIO()
    json_records(frame, new_json, chunk=chunk)
    write_csv(frame, new_csv)
    _legacy_json_records(frame, old_json)
    _legacy_write_csv(frame, old_csv)
    return new_json.getvalue(), new_csv.getvalue(), old_json.getvalue(), old_csv.getvalue()


def _same_as_legacy(frame: pd.DataFrame, chunk: int | None = None) -> None:
    new_json, new_csv, old_json, old_csv = _both(frame, chunk)
    assert new_csv == old_csv
    assert orjson.loads(new_json) == orjson.loads(old_json)
    # also when both outputs are rendered together, a chunk at a time
    table = TableText(frame, chunk)
    json_parts, csv_parts = [], []
    for start, stop in table.ranges():
        json_text, csv_text = table.render(start, stop)
        assert json_text is not None and csv_text is not None
        json_parts.append(bytes(json_text))
        csv_parts.append(bytes(csv_text))
    assert table.header() + b"".join(csv_parts) == old_csv
    body = b"".join(json_parts)
    assert orjson.loads(b"[" + body[:-2] + b"]" if body else b"[]") == orjson.loads(old_json)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(texts, floats, st.integers(-10**12, 10**12), st.booleans(),
                               st.lists(st.sampled_from(VOCAB), max_size=3)),
                     min_size=1, max_size=30))
def test_json_records_round_trip(rows):
    frame = pd.DataFrame(rows, columns=["id", "p", "n", "flag", "status"])
    frame["n"] = frame["n"].astype(np.int64)
    buf = io.BytesIO()
    json_records(frame, buf, chunk=7)
    back = orjson.loads(buf.getvalue())
    assert len(back) == len(rows)
    for record, (text, p, n, flag, status) in zip(back, rows):
        assert record["id"] == text
        assert record["p"] == (p if np.isfinite(p) else None)
        assert record["n"] == n and record["flag"] is flag and record["status"] == status


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(texts, st.floats(allow_nan=False, allow_infinity=False)), min_size=1, max_size=30))
def test_csv_round_trip(rows):
    frame = pd.DataFrame(rows, columns=["name, with comma", "value"])
    buf = io.BytesIO()
    write_csv(frame, buf)
    parsed = list(csv.reader(io.StringIO(buf.getvalue().decode("utf-8"), newline="")))
    assert parsed[0] == ["name, with comma", "value"]
    assert [r[0] for r in parsed[1:]] == [t for t, _ in rows]
    assert [float(r[1]) for r in parsed[1:]] == [v for _, v in rows]


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.one_of(texts, tricky), st.one_of(tricky, st.none()), floats,
                               st.floats(width=32, allow_nan=True, allow_infinity=True),
                               st.integers(-10**18, 10**18), st.integers(0, 6), st.booleans(),
                               st.sampled_from(["principal", "dual_duty", 'q"uote']),
                               st.lists(st.one_of(st.sampled_from(VOCAB), tricky), max_size=3),
                               st.sampled_from([0.0, -0.0, 0.5, 1e-7, 1e16, 1.0 / 3, 5e-324, float("nan"),
                                                float("inf"), -float("inf"), 2.0**53 + 2])),
                     min_size=0, max_size=40),
       chunk=st.sampled_from([1, 3, 7, None]))
def test_same_as_legacy(rows, chunk):
    """Every column type the fast path handles, with text needing escapes and special floats,
    split into chunks of rows: the same output as the general path."""
    columns = ["text", "maybe", "p", "p32", "wide", "small", "flag", "kind", "status", "few"]
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame({c: [] for c in columns})
    frame = frame.astype({"p": np.float64, "p32": np.float32, "few": np.float64, "wide": np.int64,
                          "small": np.int64, "flag": bool})
    frame["maybe"] = frame["maybe"].astype(object)
    frame["kind"] = pd.Categorical(frame["kind"], categories=["principal", "dual_duty", 'q"uote'])
    frame["arrow_text"] = frame["text"].astype("str")
    frame["python_text"] = frame["text"].astype("string[python]")
    frame["u8"] = frame["small"].astype(np.uint8)
    _same_as_legacy(frame, chunk)


def test_shared_and_distinct_lists():
    shared, other = ["no_duty"], ["isolated", "cut_off_above"]
    cells = [shared, other, shared, [], ("isolated",), other, ["no_duty"]]
    frame = pd.DataFrame({"status": pd.Series(cells, dtype=object), "n": np.arange(7)})
    _same_as_legacy(frame, chunk=3)
    buf = io.BytesIO()
    write_csv(frame, buf)
    assert buf.getvalue().decode().splitlines()[1:5] == ['"no_duty",0', '"isolated;cut_off_above",1', '"no_duty",2', '"",3']


def test_many_distinct_values_and_long_runs_of_coded_columns():
    rng = np.random.default_rng(1)
    n = 5000
    frame = pd.DataFrame({
        "org": [f"O{i:06d}" for i in rng.integers(0, 300, n)],
        **{f"b{k}": rng.random(n) < 0.5 for k in range(12)},               # one group of 4096 combinations
        "level": rng.integers(0, 8, n),
        "pressure": np.round(rng.random(n), 3),                              # few distinct values
        "exact": rng.random(n),                                              # all distinct
        "share": rng.integers(0, 5, n) / 4,
        "big": rng.integers(-(2**62), 2**62, n),
        "kind": pd.Categorical(rng.choice(["a", "b", "c"], n)),
        "role": np.array(["secretary", 'q"uote', None, "上海"], dtype=object)[rng.integers(0, 4, n)],  # shared objects
        "plain_role": np.array(["secretary", "member"], dtype=object)[rng.integers(0, 2, n)],
        "status": pd.Series([[["no_duty"], [], ["a", "b"]][i % 3] for i in range(n)], dtype=object),
    })
    for chunk in (None, 999):
        _same_as_legacy(frame, chunk)


def test_categorical_and_arrow_strings():
    frame = pd.DataFrame({"kind": pd.Categorical(["principal", "dual_duty"]),
                          "org": pd.array(["上海", 'a"b'], dtype="string[pyarrow]")})
    buf = io.BytesIO()
    json_records(frame, buf)
    assert orjson.loads(buf.getvalue()) == [{"kind": "principal", "org": "上海"}, {"kind": "dual_duty", "org": 'a"b'}]


def test_missing_values():
    frame = pd.DataFrame({"kind": pd.Categorical(["a", None]), "name": pd.Series(["x", None], dtype=object),
                          "s": pd.Series(["y", None], dtype="str"), "p": [np.nan, np.inf]})
    buf = io.BytesIO()
    json_records(frame, buf)
    assert orjson.loads(buf.getvalue()) == [{"kind": "a", "name": "x", "s": "y", "p": None},
                                            {"kind": None, "name": None, "s": None, "p": None}]
    buf = io.BytesIO()
    write_csv(frame, buf)
    assert buf.getvalue() == b'kind,name,s,p\n"a","x","y",\n,,,inf\n'


def test_empty_tables():
    frame = pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=np.float64)})
    new_json, new_csv, old_json, old_csv = _both(frame)
    assert (new_json, new_csv) == (b"[]", b"a,b\n") == (old_json, old_csv)
    no_columns = pd.DataFrame(index=range(2))
    buf = io.BytesIO()
    json_records(no_columns, buf)
    assert orjson.loads(buf.getvalue()) == [{}, {}]
    buf = io.BytesIO()
    write_csv(no_columns, buf)
    assert buf.getvalue() == b"\n"


def test_other_column_types_take_the_general_path():
    frame = pd.DataFrame({"n": pd.array([1, None], dtype="Int64"), "f": pd.array([0.5, None], dtype="Float64"),
                          "name": ["a", "b"]})
    table = TableText(frame)
    assert table.columns is None
    new_json, new_csv, old_json, old_csv = _both(frame)
    assert new_csv == old_csv and new_json == old_json


def test_not_text_is_an_error():
    with pytest.raises(Exception):
        write_csv(pd.DataFrame({"a": pd.Series([1, "x"], dtype=object)}), io.BytesIO())
