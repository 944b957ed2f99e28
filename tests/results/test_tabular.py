"""Arrow-based CSV and JSON writers: exact round trips for any text and number."""

from __future__ import annotations

import csv
import io

import numpy as np
import orjson
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.results.tabular import json_records, write_csv

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
floats = st.floats(allow_nan=True, allow_infinity=True)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(texts, floats, st.integers(-10**12, 10**12), st.booleans(),
                               st.lists(st.sampled_from(["no_duty", "isolated", "cut_off_above"]), max_size=3)),
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


def test_categorical_and_arrow_strings():
    frame = pd.DataFrame({"kind": pd.Categorical(["principal", "dual_duty"]),
                          "org": pd.array(["上海", 'a"b'], dtype="string[pyarrow]")})
    buf = io.BytesIO()
    json_records(frame, buf)
    assert orjson.loads(buf.getvalue()) == [{"kind": "principal", "org": "上海"}, {"kind": "dual_duty", "org": 'a"b'}]
