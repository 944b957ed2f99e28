"""The 政治生态 portrait: entropy weights by hand, invariants of the index, the trees, and the generator's truth."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.analysis.cascade import cascade
from graphmodel.analysis.ecology import (
    MIN_PEERS,
    entropy_weights,
    normalize,
    portrait,
    principal_pressure,
    read_weights,
    robust_z,
)
from graphmodel.dataset.generate import generate_dataset, truth_path
from graphmodel.dataset.reader import read_dataset
from graphmodel.errors import DatasetError, GraphModelError
from graphmodel.model.network import build_network


def dataset(values: dict[str, list[float]], directions: dict[str, str], *, year: str = "",
            regions: list[str] | None = None, extra: list[tuple] = ()) -> SimpleNamespace:
    """A root and len(values[...]) committees under it (o0, o1, …), each with the given indicator values."""
    n = len(next(iter(values.values())))
    ids = [f"o{i}" for i in range(n)]
    orgs = pd.DataFrame({"id": ["r", *ids], "name": ["root", *ids], "kind": ["committee"] * (n + 1),
                         "parent_id": ["", *["r"] * n], "region": ["", *(regions or ["x"] * n)]})
    rows = [(o, name, v, year, directions[name]) for name, column in values.items() for o, v in zip(ids, column)
            if v == v]
    rows += list(extra)
    ind = pd.DataFrame(rows, columns=["org_id", "indicator", "value", "year", "direction"])
    ind["value"] = ind["value"].astype(float)
    return SimpleNamespace(organizations=orgs, indicators=ind)


def index_of(result) -> dict[str, float]:
    return dict(zip(result.index["org"], result.index["index"]))


def test_entropy_weights_by_hand() -> None:
    # x1 = 1, 2, 3, 4 (+) → 0, 1/3, 2/3, 1; x2 = 10, 10, 10, 20 (−) → 1, 1, 1, 0
    # p1 = 0, 1/6, 1/3, 1/2: e1 = (ln 6 / 6 + ln 3 / 3 + ln 2 / 2) / ln 4 = 0.72957
    # p2 = 1/3, 1/3, 1/3, 0: e2 = ln 3 / ln 4 = 0.79248
    # w = (1 − e) / Σ(1 − e) = 0.270424 / 0.477943, 0.207519 / 0.477943 = 0.56581, 0.43419
    result = portrait(dataset({"x1": [1, 2, 3, 4], "x2": [10, 10, 10, 20]}, {"x1": "+", "x2": "-"}), min_peers=2)
    w = dict(zip(result.indicators["indicator"], result.indicators["weight"]))
    e = dict(zip(result.indicators["indicator"], result.indicators["entropy"]))
    assert e["x1"] == pytest.approx(0.72957, abs=1e-5) and e["x2"] == pytest.approx(0.79248, abs=1e-5)
    assert w["x1"] == pytest.approx(0.56581, abs=1e-5) and w["x2"] == pytest.approx(0.43419, abs=1e-5)
    # index = 100 (w1 x1' + w2 x2'): 100 w2, 100 (w1 / 3 + w2), 100 (2 w1 / 3 + w2), 100 w1
    assert list(index_of(result).values()) == pytest.approx([43.419, 62.279, 81.140, 56.581], abs=2e-3)
    assert result.method == "entropy" and result.year is None


def test_given_weights_and_missing_values() -> None:
    data = dataset({"x1": [1, 2, 3, np.nan], "x2": [10, 10, 20, 30]}, {"x1": "+", "x2": "-"})
    result = portrait(data, weights={"x1": 3, "x2": 1, "unused": 5}, min_peers=2)
    # x1' = 0, 0.5, 1, —; x2' = 1, 1, 0.5, 0; o3 has x2 only
    assert list(index_of(result).values()) == pytest.approx([25.0, 62.5, 87.5, 0.0])
    assert result.method == "given" and result.indicators["weight"].tolist() == [0.75, 0.25]
    with pytest.raises(GraphModelError, match="no weight for: x2"):
        portrait(data, weights={"x1": 1})


def test_year_is_chosen_and_directions_must_agree() -> None:
    extra = [("o0", "x1", 100.0, "2023", "+"), ("o1", "x1", 0.0, "2023", "+")]
    data = dataset({"x1": [1, 2, 3]}, {"x1": "+"}, year="2024", extra=extra)
    assert portrait(data, min_peers=2).year == 2024
    old = portrait(data, year=2023, min_peers=2)
    assert old.year == 2023 and index_of(old) == {"o0": 100.0, "o1": 0.0}
    clash = dataset({"x1": [1, 2]}, {"x1": "+"}, extra=[("o0", "x2", 1.0, "", "+"), ("o1", "x2", 2.0, "", "−")])
    with pytest.raises(GraphModelError, match="both directions"):
        portrait(clash)


def test_trees_flag_the_unfavourable_side_with_a_reason() -> None:
    cases = [5, 5, 6, 5, 4, 5, 6, 5, 5, 30]
    good = [5, 5, 6, 5, 4, 5, 6, 5, 5, 0]  # the last is unusually good: not a tree
    score = [80, 81, 79, 80, 82, 78, 80, 81, 79, 80]
    result = portrait(dataset({"cases": cases, "score": score, "good": good}, {"cases": "-", "score": "+", "good": "-"}))
    assert result.trees["org"].tolist() == ["o9"]
    row = result.outliers[result.outliers["item"] == "cases"].iloc[0]
    # median 5, MAD 0.5 → scale max(1.4826 × 0.5, 1) = 1: z = 25
    assert (row["org"], row["value"], row["peer_median"], row["robust_z"]) == ("o9", 30.0, 5.0, 25.0)
    assert row["peers"] == "level 1 committee" and row["peer_count"] == 10
    assert "cases 30 vs peers' median 5 (robust z +25.0)" in result.trees["reason"].iloc[0]


def test_counts_of_mostly_zero_are_not_outliers_by_one_case() -> None:
    z, median = robust_z(np.array([0.0] * 8 + [1, 2]), np.zeros(10, dtype=int), resolution=1.0)
    assert median[0] == 0 and z.max() == 2.0  # MAD 0: the resolution (1 case) is the scale
    result = portrait(dataset({"cases": [0] * 8 + [1, 2]}, {"cases": "-"}))
    assert result.trees.empty
    result = portrait(dataset({"cases": [0] * 8 + [1, 5]}, {"cases": "-"}))
    assert result.trees["org"].tolist() == ["o9"]


def test_organizations_without_peers_are_not_compared() -> None:
    result = portrait(dataset({"x": [1, 1, 1, 50]}, {"x": "-"}))  # 4 < MIN_PEERS organizations
    assert MIN_PEERS == 5 and result.trees.empty and set(result.index["peers"]) == {""}
    assert portrait(dataset({"x": [1, 1, 1, 50]}, {"x": "-"}), min_peers=4).trees["org"].tolist() == ["o3"]


def test_forest_groups_and_relation() -> None:
    values = {"x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}
    regions = ["东"] * 5 + ["西"] * 5
    pressure = np.array([np.nan, *np.linspace(0.1, 1.0, 10)])  # root first, then o0 … o9
    result = portrait(dataset(values, {"x": "+"}, regions=regions), pressure=pressure)
    forest = result.forest
    assert set(forest["by"]) == {"level", "kind", "region"}
    for by, part in forest.groupby("by"):
        assert part["count"].sum() == 10
    east = forest[(forest["by"] == "region") & (forest["group"] == "东")].iloc[0]
    assert (east["count"], east["min"], east["max"], east["median"]) == (5, 0.0, pytest.approx(400 / 9), pytest.approx(200 / 9))
    assert result.relation["pressure"]["spearman"] == pytest.approx(1.0)
    assert result.relation["indicators"]["x"]["expected_sign"] == 1
    flat = portrait(dataset(values, {"x": "+"}), pressure=np.full(11, 0.5))
    assert flat.relation["pressure"]["spearman"] is None  # constant pressure: no rank correlation


def test_read_weights_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("indicator,weight\na,1\nb,-1\nc,x\na,2\n,1\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        read_weights(path)
    assert [str(p) for p in info.value.problems] == [
        "w.csv:3: weight: weight '-1' must be a non-negative number",
        "w.csv:4: weight: weight 'x' is not a number",
        "w.csv:5: indicator: 'a' is given twice (line 2)",
        "w.csv:6: indicator: empty indicator",
    ]
    path.write_text("name,weight\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="indicator: missing required column"):
        read_weights(path)
    path.write_text("indicator,weight\na,0\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="every weight is 0"):
        read_weights(path)


# ---- properties


values = st.one_of(st.integers(-10_000, 10_000).map(lambda v: v / 10), st.just(float("nan")))  # recorded values
matrices = st.integers(3, 12).flatmap(lambda n: st.tuples(
    st.lists(st.lists(values, min_size=n, max_size=n), min_size=1, max_size=4),
    st.lists(st.sampled_from(["+", "-"]), min_size=4, max_size=4),
))


def _data(columns: list[list[float]], dirs: list[str]) -> SimpleNamespace:
    values = {f"x{j}": col for j, col in enumerate(columns)}
    return dataset(values, {f"x{j}": dirs[j] for j in range(len(columns))})


@settings(max_examples=60, deadline=None)
@given(matrices, st.sampled_from([0.01, 0.5, 3.0, 1000.0]), st.integers(-1000, 1000))
def test_index_is_bounded_and_ignores_units(drawn, scale: float, shift: float) -> None:
    columns, dirs = drawn
    base = portrait(_data(columns, dirs))
    index = base.index["index"].dropna().to_numpy()
    assert ((index >= 0) & (index <= 100)).all()
    rescaled = [[v * scale + shift for v in columns[0]], *columns[1:]]
    moved = portrait(_data(rescaled, dirs))
    assert np.allclose(moved.index["index"].to_numpy(), base.index["index"].to_numpy(), atol=1e-6, equal_nan=True)
    if scale == 0.01:  # one- or no-decimal values keep their recorded unit ×0.01: the same trees
        assert set(moved.trees["org"]) == set(base.trees["org"])
    # Scaling up is not tree-invariant: 0.1 × 1000 = 100 is read as recorded in whole units (the
    # unit is read off the values and is never coarser than 1), so its robust z grows 100-fold.


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_reversing_directions_mirrors_the_index(drawn) -> None:
    columns, dirs = drawn
    flipped = ["-" if d == "+" else "+" for d in dirs]
    weights = {f"x{j}": float(j + 1) for j in range(len(columns))}
    a = portrait(_data(columns, dirs), weights=weights).index["index"].to_numpy()
    b = portrait(_data(columns, flipped), weights=weights).index["index"].to_numpy()
    assert np.allclose(a + b, 100.0, atol=1e-9, equal_nan=True) or np.isnan(a).all()
    single = portrait(_data(columns[:1], dirs)).index["index"].to_numpy()  # one indicator: weight 1
    single_flipped = portrait(_data(columns[:1], flipped)).index["index"].to_numpy()
    assert np.allclose(single + single_flipped, 100.0, atol=1e-9, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(0, 1), min_size=5, max_size=5), min_size=2, max_size=6))
def test_entropy_weights_sum_to_one(rows) -> None:
    x = normalize(np.array(rows).T, np.ones(len(rows)))
    w, e = entropy_weights(x)
    assert w.sum() == pytest.approx(1.0) and ((e >= 0) & (e <= 1)).all() and (w >= 0).all()


# ---- the generator's planted outliers


@pytest.mark.parametrize("orgs, seed", [(3000, 7), (1200, 13)])
def test_planted_outliers_are_trees_and_other_trees_are_implied(tmp_path: Path, orgs: int, seed: int) -> None:
    folder = tmp_path / "gen"
    generate_dataset(folder, orgs, seed)
    lines = [json.loads(line) for line in truth_path(folder).read_text(encoding="utf-8").splitlines()]
    planted = {(f["org"], f["indicator"]) for f in lines[1:] if f["fault"] == "ecology_outlier"}
    assert planted and {f["year"] for f in lines[1:] if f["fault"] == "ecology_outlier"} == {2024}
    data = read_dataset(folder)
    from graphmodel.analysis.timeline import for_year

    year = for_year(data, 2024)
    network = build_network(year)
    pressure = principal_pressure(network, cascade(network))
    result = portrait(data, pressure=pressure)
    assert result.year == 2024
    flagged = set(zip(result.outliers["org"], result.outliers["item"]))
    assert planted <= flagged
    # anything else flagged is the index of a planted organization, pulled down by its planted
    # indicator, or belongs to an organization that receives less pressure than the median of its
    # peers — a tree the cascade explains (the generator's noise alone makes none)
    index = result.index.set_index("org")
    peer_median = index.groupby("peers")["pressure"].median()
    planted_orgs = {org for org, _ in planted}
    for org, item in flagged - planted:
        explained = index.loc[org, "pressure"] < peer_median[index.loc[org, "peers"]]
        assert explained or (org in planted_orgs and item == "index"), (org, item)
    assert sum(item == "index" for _, item in flagged - planted) >= len(flagged - planted) / 2
    assert result.relation["pressure"]["spearman"] > 0.3
    assert result.relation["pressure"]["n"] == len(result.index)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 0.5, 1.0, 2.5, -3.0, 1e-300]), max_size=40))
def test_average_ranks_are_scipys(values) -> None:
    from scipy import stats

    from graphmodel.analysis.ecology import average_ranks

    a = np.array(values, dtype=np.float64)
    assert average_ranks(a).tolist() == stats.rankdata(a).tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-1, 6), max_size=30))
def test_distinct_positions_are_np_unique(positions) -> None:
    from graphmodel.analysis.ecology import _distinct_positions

    a = np.array(positions, dtype=np.int64)
    got = _distinct_positions(a, 7)
    want = np.unique(a, return_inverse=True)
    assert got[0].tolist() == want[0].tolist() and got[1].tolist() == want[1].tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "中", "组织 b", "", "😀"]), max_size=30), st.booleans())
def test_text_codes_are_a_factorization(values, arrow_backed) -> None:
    from graphmodel.analysis.ids import text_codes

    column = pd.Series(values, dtype="str" if arrow_backed else object)
    codes, distinct = text_codes(column)
    want_codes, want_values = pd.factorize(pd.Series(values, dtype=object))
    assert codes.tolist() == want_codes.tolist() and distinct.to_pylist() == list(want_values)


def test_arrow_text_and_object_text_give_the_same_portrait() -> None:
    """Chinese ids, an organization without indicators, an indicator only another year has."""
    orgs = pd.DataFrame({"id": ["市委", *[f"区委{i}" for i in range(6)], "支部·空"],
                         "name": ["市委", *[f"区{i}" for i in range(6)], "空"], "kind": ["committee"] * 8,
                         "parent_id": ["", *["市委"] * 7], "region": ["", *["浦东"] * 3, *["黄浦"] * 4]})
    rows = [(f"区委{i}", "考核得分", 60.0 + 7 * i, "2024", "+") for i in range(6)]
    rows += [(f"区委{i}", "案件数", float(i % 3), "2024", "−") for i in range(6)]
    rows += [("区委0", "旧指标", 1.0, "2023", "+"), ("区委5", "案件数", 40.0, "2023", "-")]
    ind = pd.DataFrame(rows, columns=["org_id", "indicator", "value", "year", "direction"])
    as_object = portrait(SimpleNamespace(organizations=orgs, indicators=ind), min_peers=3)
    arrow = SimpleNamespace(organizations=orgs.astype({c: "str" for c in orgs.columns}),
                            indicators=ind.astype({c: "str" for c in ("org_id", "indicator", "year", "direction")}))
    as_arrow = portrait(arrow, min_peers=3)
    assert as_object.year == as_arrow.year == 2024
    assert as_object.indicators["indicator"].tolist() == ["案件数", "考核得分"]
    assert as_object.indicators["direction"].tolist() == ["-", "+"]
    assert "支部·空" not in set(as_object.index["org"]) and len(as_object.index) == 6
    for name, table in as_object.tables().items():
        pd.testing.assert_frame_equal(table, as_arrow.tables()[name], obj=name)
    assert as_object.summary() == as_arrow.summary()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "中", "x"]), max_size=6), max_size=4), st.data())
def test_org_positions_over_chunks_and_runs(chunks, data) -> None:
    import pyarrow as pa

    from graphmodel.analysis.ecology import _org_positions
    from graphmodel.model.tree import OrgTree

    tree = OrgTree.from_frame(pd.DataFrame({"id": ["r", "a", "b", "中"], "kind": ["committee"] * 4,
                                            "parent_id": ["", "r", "r", "r"]}))
    column = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(c, pa.large_string()) for c in chunks],
                                                                    type=pa.large_string())))
    flat = [v for c in chunks for v in c]
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=len(flat), max_size=len(flat))), dtype=bool)
    want = [{"r": 0, "a": 1, "b": 2, "中": 3}.get(v, -1) for v, keep in zip(flat, mask) if keep]
    assert _org_positions(column, mask, tree).tolist() == want


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 1.0, 2.5, 3.0, 7.0, 1e6, np.nan]), st.integers(-1, 3)), max_size=40),
       st.sampled_from([0.0, 0.1, 1.0]))
def test_robust_z_is_pandas_grouped_median(items, resolution) -> None:
    """The numpy path gives pandas' grouped medians bit for bit (group -1: a missing group)."""
    import graphmodel.analysis.ecology as eco

    x = np.array([v for v, _ in items], dtype=np.float64)
    g = np.array([np.nan if k < 0 else k for _, k in items], dtype=np.float64)
    series = pd.Series(x)
    median = series.groupby(g).transform("median").to_numpy()
    mad = (series - median).abs().groupby(g).transform("median").to_numpy()
    z, got_median = robust_z(x, g, resolution)
    np.testing.assert_array_equal(got_median, median)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = (x - median) / np.maximum(eco.MAD_SCALE * mad, resolution)
    np.testing.assert_array_equal(z, np.where(np.isnan(x), np.nan, np.where(x == median, 0.0, want)))
    few = eco._FEW_GROUPS
    try:  # the pandas path for many groups gives the same
        eco._FEW_GROUPS = -1
        z2, median2 = robust_z(x, g, resolution)
    finally:
        eco._FEW_GROUPS = few
    np.testing.assert_array_equal(z2, z)
    np.testing.assert_array_equal(median2, got_median)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["score", "cases", "中文"]),
                               st.floats(0, 100), st.sampled_from(["2023", "2024", ""]), st.sampled_from(["+", "-", "+"])),
                     min_size=1, max_size=30))
def test_coded_columns_give_the_portrait_of_their_text(rows) -> None:
    """The reader codes indicator, year and direction as categoricals: the portrait must not change."""
    orgs = pd.DataFrame({"id": ["r", "a", "b", "c"], "name": list("RABC"), "kind": ["committee"] * 4,
                         "parent_id": ["", "r", "r", "r"], "region": ["", "x", "x", "y"]})
    text = pd.DataFrame(rows, columns=["org_id", "indicator", "value", "year", "direction"])
    coded = text.astype({"indicator": "category", "year": "category", "direction": "category"})
    try:
        expected = portrait(SimpleNamespace(organizations=orgs, indicators=text), min_peers=2)
    except GraphModelError as error:  # an indicator given both directions
        with pytest.raises(GraphModelError, match=re.escape(str(error))):
            portrait(SimpleNamespace(organizations=orgs, indicators=coded), min_peers=2)
        return
    got = portrait(SimpleNamespace(organizations=orgs, indicators=coded), min_peers=2)
    pd.testing.assert_frame_equal(got.index, expected.index)
    pd.testing.assert_frame_equal(got.indicators, expected.indicators)
    assert got.summary() == expected.summary()


@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 20), st.floats(-5, 5, allow_nan=False)), min_size=3, max_size=60))
def test_spearman_is_scipys(pairs) -> None:
    from scipy import stats

    from graphmodel.analysis.ecology import _Spearman

    a, b = (np.array(column, dtype=np.float64) for column in zip(*pairs))
    got = _Spearman(b)(a)
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        assert got["spearman"] is None
        return
    expected = stats.spearmanr(a, b)
    assert got["spearman"] == pytest.approx(expected.statistic, abs=1e-12)
    assert got["p_value"] == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-12)
