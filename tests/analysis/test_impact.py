"""Impact of repairing a link: adjoint sensitivities, estimates and exact what-ifs vs brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.analysis.toynet import dag_network, dags, datasets

from graphmodel.analysis.cascade import cascade, default_sources, schedule
from graphmodel.analysis.impact import (
    _exact,
    adjoint,
    estimated_gain,
    exact_gain,
    impact_plan,
    link_sensitivity,
    rank_impact,
)
from graphmodel.model.network import build_network


def brute_force_gain(net, sources, links, weight=1.0):
    base = cascade(net, sources).sum()
    out = []
    for link in links:
        w = net.edge_weight.copy()
        w[link] = weight
        out.append(cascade(net, sources, weights=w).sum() - base)
    return np.array(out)


def test_fan_out_and_reconverge_by_hand():
    # a → b (w), b → c (1), b → d (1), c → e (0.5), d → e (0.5); a is the source.
    # p(b) = p(c) = p(d) = w, p(e) = 1 − (1 − w/2)² = w − w²/4, so Σp = 1 + 4w − w²/4.
    net = dag_network(5, [0, 1, 1, 2, 3], [1, 2, 3, 4, 4], [0.5, 1, 1, 0.5, 0.5])
    sources = {0: 1.0}
    p = cascade(net, sources)
    assert p.round(6).tolist() == [1, 0.5, 0.5, 0.5, 0.4375]
    # dΣp/dw = 4 − w/2 = 3.75 at w = 0.5; the estimate is 3.75 × 0.5, the exact gain S(1) − S(0.5).
    assert link_sensitivity(net, p, sources)[0] == pytest.approx(3.75)
    assert estimated_gain(net, p, sources)[0] == pytest.approx(1.875)
    assert exact_gain(net, p, np.array([0]), sources)[0] == pytest.approx(3.75 - 1.9375)
    # λ(e) = 1; λ(c) = 1 + 1 × 0.5 × (1 − 0.25) = 1.375; λ(b) = 1 + 2 × 1.375.
    assert adjoint(net, p, sources).round(4).tolist()[1:] == [3.75, 1.375, 1.375, 1.0]


def test_link_into_a_source_has_no_impact():
    net = dag_network(3, [0, 1], [1, 2], [0.2, 0.0])
    sources = {0: 1.0, 1: 0.7}
    p = cascade(net, sources)
    assert link_sensitivity(net, p, sources)[0] == 0
    assert exact_gain(net, p, np.array([0, 1]), sources).tolist() == [0.0, pytest.approx(0.7)]


def test_certain_input_is_not_divided_by():
    # 0 → 2 (w 1), 1 → 2 (w 0.3), 0 → 1 (w 1): node 2 already gets a certain input over 0 → 2,
    # whose factor 1 − p·w is exactly 0, so the other link into 2 has sensitivity 0 while
    # 0 → 2 has sensitivity p(0) × (1 − p(1)·0.3) = 0.7, and 0 → 1 has λ(1) × p(0) = 1.
    net = dag_network(3, [0, 1, 0], [2, 2, 1], [1.0, 0.3, 1.0])
    p = cascade(net, {0: 1.0})
    assert p.tolist() == [1.0, 1.0, 1.0]
    assert link_sensitivity(net, p, {0: 1.0}) == pytest.approx([0.7, 0.0, 1.0])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags())
def test_exact_gain_equals_brute_force(case):
    net, sources = case
    p = cascade(net, sources)
    links = np.arange(net.n_links)
    assert exact_gain(net, p, links, sources) == pytest.approx(brute_force_gain(net, sources, links), abs=1e-12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), st.floats(0.0, 1.0))
def test_exact_gain_of_any_weight_equals_brute_force(case, weight):
    net, sources = case
    p = cascade(net, sources)
    links = np.arange(net.n_links)
    got = exact_gain(net, p, links, sources, weight=weight)
    assert got == pytest.approx(brute_force_gain(net, sources, links, weight), abs=1e-12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags())
def test_sensitivity_is_the_derivative(case):
    net, sources = case
    p = cascade(net, sources)
    grad = link_sensitivity(net, p, sources)
    h = 1e-6
    for link in range(net.n_links):
        w = net.edge_weight.copy()
        lo, hi = max(0.0, w[link] - h), min(1.0, w[link] + h)
        w[link] = hi
        up = cascade(net, sources, weights=w).sum()
        w[link] = lo
        down = cascade(net, sources, weights=w).sum()
        assert grad[link] == pytest.approx((up - down) / (hi - lo), abs=1e-4, rel=1e-4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags())
def test_estimate_bounds_the_exact_gain_from_above(case):
    net, sources = case
    p = cascade(net, sources)
    links = np.arange(net.n_links)
    assert np.all(estimated_gain(net, p, sources) >= brute_force_gain(net, sources, links) - 1e-12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(polytree=True))
def test_estimate_is_exact_on_polytrees_so_the_rankings_agree(case):
    net, sources = case
    p = cascade(net, sources)
    links = np.arange(net.n_links)
    brute = brute_force_gain(net, sources, links)
    assert estimated_gain(net, p, sources) == pytest.approx(brute, abs=1e-12)
    ranked = rank_impact(net, p, links, sources, top=0)  # estimates only
    assert not ranked["impact_exact"].any()
    in_order = brute[ranked["link"].to_numpy()]
    assert np.all(np.diff(in_order) <= 1e-12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), st.integers(1, 4))
def test_certified_top_is_the_true_top(case, top):
    net, sources = case
    p = cascade(net, sources)
    links = np.arange(net.n_links)
    brute = brute_force_gain(net, sources, links)
    ranked = rank_impact(net, p, links, sources, top=top, max_exact=net.n_links)
    assert ranked.attrs["certified"]
    k = min(top, len(links))
    head = ranked.head(k)
    assert head["impact_exact"].all()
    assert head["impact"].to_numpy() == pytest.approx(np.sort(brute)[::-1][:k], abs=1e-12)
    assert head["impact"].to_numpy() == pytest.approx(brute[head["link"].to_numpy()], abs=1e-12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_on_responsibility_networks(dataset):
    net = build_network(dataset)
    sources = default_sources(net)
    plan = schedule(net)
    p = cascade(net, sources, plan=plan)
    prepared = impact_plan(net, plan)
    links = np.flatnonzero(~net.edge_structural)
    brute = brute_force_gain(net, sources, links)
    assert exact_gain(net, p, links, sources, prepared) == pytest.approx(brute, abs=1e-12)
    assert np.all(estimated_gain(net, p, sources, prepared)[links] >= brute - 1e-12)
    ranked = rank_impact(net, p, links, sources, prepared, top=3, max_exact=len(links))
    k = min(3, len(links))
    assert ranked.attrs["certified"]
    assert ranked["impact"].head(k).to_numpy() == pytest.approx(np.sort(brute)[::-1][:k], abs=1e-12)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags(), st.floats(0.0, 1.0), st.data())
def test_what_ifs_run_together_equal_each_run_alone(case, weight, data):
    """The what-ifs of many links run as lanes of one pass give, bit for bit, the gains (and the
    recomputed-node count) of each what-if run alone; a link given twice gets its gain twice."""
    net, sources = case
    p = cascade(net, sources)
    prepared = impact_plan(net)
    links = np.array(data.draw(st.lists(st.integers(0, max(net.n_links - 1, 0)), max_size=12 if net.n_links else 0)),
                     dtype=np.int64)
    is_source = np.zeros(net.n_nodes, dtype=bool)
    is_source[list(sources)] = True
    together, work = _exact(net, p, links, is_source, prepared, weight)
    alone = [_exact(net, p, links[i : i + 1], is_source, prepared, weight) for i in range(len(links))]
    assert together.tolist() == [float(g[0]) for g, _ in alone]
    assert work == sum(w for _, w in alone)


def test_no_what_if_and_empty_networks():
    net = dag_network(2, [0], [1], [1.0])
    p = cascade(net, {0: 1.0})
    assert exact_gain(net, p, np.zeros(0, dtype=np.int64), {0: 1.0}).tolist() == []
    assert exact_gain(net, p, np.array([0]), {0: 1.0}).tolist() == [0.0]  # already weighs 1
    empty = dag_network(1, [], [], [])
    assert rank_impact(empty, cascade(empty, {0: 1.0}), np.zeros(0, dtype=np.int64), {0: 1.0}).empty
