"""Compare two answers row by row, matched by key columns (for the query library's tests)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest


def norm(value: Any) -> Any:
    """None, NaN and "" as None; numpy scalars unboxed; lists as tuples."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(norm(v) for v in value)
    return value


def assert_same_rows(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str],
                     exact: Sequence[str] = (), close: Sequence[str] = ()) -> None:
    """The same rows, matched by ``keys``: ``exact`` columns equal, ``close`` floats to 1e-9."""
    def keyed(frame: pd.DataFrame) -> dict[tuple, pd.Series]:
        out: dict[tuple, Any] = {}
        for _, row in frame.iterrows():
            key = tuple(norm(row[k]) for k in keys)
            assert key not in out, f"key {key} twice"
            out[key] = row
        return out

    a, b = keyed(got), keyed(expected)
    assert set(a) == set(b), (list(set(a) - set(b))[:5], list(set(b) - set(a))[:5])
    for key in a:
        for column in exact:
            assert norm(a[key][column]) == norm(b[key][column]), (key, column, a[key][column], b[key][column])
        for column in close:
            x, y = norm(a[key][column]), norm(b[key][column])
            assert (x is None) == (y is None), (key, column, x, y)
            if x is not None:
                assert x == pytest.approx(y, rel=1e-9, abs=1e-12), (key, column)
