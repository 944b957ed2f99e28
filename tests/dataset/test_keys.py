"""Exact id matching: string keys and the vectorized hash tables agree with Python dicts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.dataset.keys import KeyTable, PairTable, string_keys

# Short ids (exact keys), ids around the 8- and 15-byte boundaries, long ones (hashed), and
# multi-byte characters; few distinct values so that repeats are common.
_ids = st.one_of(
    st.sampled_from(["", "a", "O0000001", "O00000010", "O000000100000001", "组织", "组织一号组织一号", "a" * 15, "a" * 16]),
    st.text(alphabet="ab组\n,", max_size=40),
)


def _first_positions(values: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    return [seen.setdefault(v, i) for i, v in enumerate(values)]


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_ids, max_size=60), queries=st.lists(_ids, max_size=30), split=st.integers(0, 60))
def test_key_table_agrees_with_a_dict(values, queries, split):
    split = min(split, len(values))
    arr = pa.array(values, type=pa.large_string())
    chunked = pa.chunked_array([arr.slice(0, split), arr.slice(split)], type=pa.large_string())
    keys = string_keys(chunked)
    assert (keys == string_keys(pa.array(values, type=pa.string()))).all()  # chunking and offsets don't matter
    table = KeyTable(keys)
    assert table.first.tolist() == _first_positions(values)
    first = {}
    for i, v in enumerate(values):
        first.setdefault(v, i)
    found = table.find(string_keys(pa.array(queries, type=pa.string())))
    assert found.tolist() == [first.get(q, -1) for q in queries]


def test_runs_of_equal_queries_are_looked_up_once_and_expanded_back():
    table = KeyTable(string_keys(pa.array(["x", "y", "z"])))
    queries = ["y"] * 5 + ["q"] * 3 + ["x", "x", "z"] * 2
    expected = [1] * 5 + [-1] * 3 + [0, 0, 2, 0, 0, 2]
    assert table.find(string_keys(pa.array(queries))).tolist() == expected


def test_a_large_table_with_many_collisions_in_its_slots():
    ids = [f"C{i:07d}" for i in range(200_000)] + [f"C{i:07d}" for i in range(0, 200_000, 7)]
    table = KeyTable(string_keys(pa.array(ids)))
    expected_first = np.concatenate([np.arange(200_000), np.arange(0, 200_000, 7)])
    assert np.array_equal(table.first, expected_first)
    probe = [f"C{i:07d}" for i in range(199_990, 200_010)]
    assert table.find(string_keys(pa.array(probe))).tolist() == list(range(199_990, 200_000)) + [-1] * 10


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=40),
       queries=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=20))
def test_pair_table_agrees_with_a_dict(pairs, queries):
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    table = PairTable(a, b, 6)
    first: dict[tuple[int, int], int] = {}
    expected_first = [first.setdefault(p, i) for i, p in enumerate(pairs)]
    assert table.first.tolist() == expected_first
    qa = np.array([q[0] for q in queries], dtype=np.int64)
    qb = np.array([q[1] for q in queries], dtype=np.int64)
    assert table.find(qa, qb).tolist() == [first.get(q, -1) for q in queries]
