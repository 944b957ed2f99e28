"""Drops: the worked example and the definition checked on random networks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.cascade import cascade
from graphmodel.analysis.drops import DROP_COLUMNS, drops
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.network import build_network
from graphmodel.vocabulary import CHANNEL_LAMBDA
from tests.analysis.toynet import datasets, hand_dataset


def w(**channels: float) -> float:
    return 1 - math.exp(-sum(CHANNEL_LAMBDA[c] * n for c, n in channels.items()))


def test_worked_example():
    net = build_network(hand_dataset())
    table = drops(net, cascade(net))
    assert tuple(table.columns[:4]) == DROP_COLUMNS
    # B gets nothing (0 < 0.5·p(A)); p(C) = 1 − (1 − w_m)(1 − w_m·w_a) ≈ 0.451 < 0.5·p(R) = 0.5;
    # p(A) ≈ 0.674 is above half of R's.
    pA = 1 - (1 - w(talk=1)) * (1 - w(responsibility_letter=1) * w(report=1))
    pC = 1 - (1 - w(meeting=1)) * (1 - w(meeting=1) * w(assessment=1))
    assert table["org"].tolist() == ["B", "C"]  # sorted by ratio: 0, then 0.451
    assert table["parent"].tolist() == ["A", "R"]
    assert table["pressure"].to_numpy() == pytest.approx([0.0, pC])
    assert table["parent_pressure"].to_numpy() == pytest.approx([pA, 1.0])
    assert table["link_weight"].to_numpy() == pytest.approx([0.0, w(meeting=1)])
    # B: links from A (missing), m@R (missing), a1@A (active but a1 gets nothing); C: R (weak), d@R (active).
    assert table["incoming"].tolist() == [3, 2]
    assert table["active_incoming"].tolist() == [1, 1]


def test_rho_moves_the_threshold():
    net = build_network(hand_dataset())
    p = cascade(net)
    assert drops(net, p, Parameters(rho_drop=0.0)).empty
    assert drops(net, p, Parameters(rho_drop=0.7))["org"].tolist() == ["B", "C", "A"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_definition_on_random_networks(data):
    net = build_network(data)
    p = cascade(net)
    table = drops(net, p)
    responsibilities = dict(zip(net.node_ids(), p))
    tree = net.tree
    expected = set()
    for i in range(len(tree)):
        if tree.kind[i] == 3 or tree.parent[i] < 0:
            continue
        x, parent = tree.ids[i], tree.ids[tree.parent[i]]
        if responsibilities[f"principal:{x}"] < 0.5 * responsibilities[f"principal:{parent}"]:
            expected.add((x, parent))
    assert set(zip(table["org"], table["parent"])) == expected
    assert np.all(np.diff(table["ratio"].to_numpy()) >= 0)
