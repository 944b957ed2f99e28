"""四责协同: the worked example, the index's definition, and the by-level summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.cascade import cascade
from graphmodel.analysis.coordination import COORDINATION_COLUMNS, coordination, weakest_by_level
from graphmodel.model.network import build_network
from graphmodel.vocabulary import CHANNEL_LAMBDA, RESPONSIBILITY_KINDS
from tests.analysis.toynet import datasets, hand_dataset, toy_dataset


def w(**channels: float) -> float:
    return 1 - math.exp(-sum(CHANNEL_LAMBDA[c] * n for c, n in channels.items()))


def test_worked_example():
    net = build_network(hand_dataset())
    table = coordination(net, cascade(net)).set_index("org")
    assert tuple(table.reset_index().columns[:7]) == COORDINATION_COLUMNS
    assert list(table.index) == ["R", "A", "B", "C"]
    # R: p = 1; fp(R) = 1 × ½ (sR's letter to m is active, the meeting with d is not);
    # team: mean(w_l, w_m) × ½ (d's duty to C is active, m's are not); jw: 1 × w(inspection).
    wl, wm = w(responsibility_letter=1), w(meeting=1)
    components = [1.0, 0.5, (wl + wm) / 2 * 0.5, w(inspection=1)]
    assert table.loc["R", list(RESPONSIBILITY_KINDS)].tolist() == pytest.approx(components)
    assert table.loc["R", "index"] == pytest.approx(math.prod(components) ** 0.25)
    assert table.loc["R", "weakest"] == "dual_duty"
    # A: sA reaches none of its team → first_person 0, the first minimum; no supervisor either.
    assert table.loc["A", "first_person"] == 0 and table.loc["A", "supervisory"] == 0
    assert table.loc["A", "index"] == 0 and table.loc["A", "weakest"] == "first_person"
    # B: nothing reaches it; no secretary. C: no team, so both team-based components are 0.
    assert table.loc["B", "weakest"] == "principal"
    assert table.loc["C", ["first_person", "dual_duty"]].tolist() == [0, 0]
    assert table.loc["C", "principal"] > 0 and table.loc["C", "team"] == 0


def test_the_best_supervisor_counts():
    # A is supervised by R's 纪委 jw (a lone meeting: 0.33) and by pz, stationed by jw
    # (jw → pz two talks, pz → A one letter): the better of 1 × w_m and p(pz) × w_l counts.
    data = toy_dataset(
        [("R", "committee", ""), ("jw", "discipline", "R"), ("pz", "discipline", "jw"), ("A", "committee", "R")],
        posts=[("s", "R", "secretary"), ("t", "A", "secretary")],
        supervision=[("jw", "A"), ("pz", "A"), ("jw", "R")],
        evidence=[("jw", "A", "meeting", 1), ("jw", "pz", "talk", 2), ("pz", "A", "responsibility_letter", 1)],
    )
    net = build_network(data)
    row = coordination(net, cascade(net)).set_index("org").loc["A"]
    p_pz = w(talk=2)
    assert row["supervisors"] == 2
    assert row["supervisory"] == pytest.approx(max(w(meeting=1), p_pz * w(responsibility_letter=1)))
    assert row["supervisory"] > w(meeting=1)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_index_and_weakest_follow_the_definition(data):
    net = build_network(data)
    table = coordination(net, cascade(net))
    scores = table[list(RESPONSIBILITY_KINDS)].to_numpy()
    assert np.all((scores >= 0) & (scores <= 1))
    positive = scores.min(axis=1) > 0
    expected = np.where(positive, np.exp(np.log(np.where(positive[:, None], scores, 1)).mean(axis=1)), 0)
    assert table["index"].to_numpy() == pytest.approx(expected)
    assert np.all(table["index"] <= scores.max(axis=1) + 1e-12)
    assert np.all(table["index"][positive] >= scores.min(axis=1)[positive] - 1e-12)
    first_min = [RESPONSIBILITY_KINDS[int(np.argmin(row))] for row in scores]
    assert table["weakest"].astype(str).tolist() == first_min
    no_team = table["team"] == 0
    assert (table.loc[no_team, "dual_duty"] == 0).all() and (table.loc[no_team, "first_person"] == 0).all()
    assert (table.loc[table["supervisors"] == 0, "supervisory"] == 0).all()


def test_weakest_by_level():
    table = pd.DataFrame({
        "level": [0, 1, 1, 1, 2, 2],
        "index": [0.8, 0.0, 0.2, 0.4, 0.0, 0.0],
        "weakest": ["supervisory", "first_person", "dual_duty", "first_person", "dual_duty", "principal"],
    })
    summary = weakest_by_level(table)
    assert summary["level"].tolist() == [0, 1, 2]
    assert summary["organizations"].tolist() == [1, 3, 2]
    assert summary["first_person"].tolist() == [0, 2, 0]
    assert summary["most_often"].tolist() == ["supervisory", "first_person", "principal"]  # a tie: the first
    assert summary["mean_index"].to_numpy() == pytest.approx([0.8, 0.2, 0.0])
