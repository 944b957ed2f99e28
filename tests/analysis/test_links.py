"""Broken links and the repair list: the worked example, categories, and evidence properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.analysis.cascade import cascade, default_sources
from graphmodel.analysis.links import BROKEN_LINK_COLUMNS, broken_links, broken_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.network import build_network
from graphmodel.vocabulary import CHANNEL_LAMBDA
from tests.analysis.toynet import datasets, evidence_for, hand_dataset, with_evidence


def w(**channels: float) -> float:
    return 1 - math.exp(-sum(CHANNEL_LAMBDA[c] * n for c, n in channels.items()))


def analyse(dataset, **kw):
    net = build_network(dataset)
    p = cascade(net)
    return net, p, broken_links(net, p, **kw)


def test_worked_example_categories_and_order():
    _, _, table = analyse(hand_dataset())
    assert tuple(table.columns[:5]) == BROKEN_LINK_COLUMNS
    got = {(s, t): (c, wt) for s, t, c, wt in table[["source", "target", "category", "weight"]].values}
    assert got == {
        ("principal:R", "principal:C"): ("weak", pytest.approx(w(meeting=1))),
        ("principal:A", "principal:B"): ("missing", 0.0),
        ("first_person:R", "dual_duty:d@R"): ("weak", pytest.approx(w(meeting=1))),
        ("first_person:R", "first_person:C"): ("missing", 0.0),
        ("first_person:A", "dual_duty:a1@A"): ("missing", 0.0),
        ("dual_duty:m@R", "principal:A"): ("weak", pytest.approx(w(report=1))),
        ("dual_duty:m@R", "principal:B"): ("missing", 0.0),
    }


def test_worked_example_impacts_by_hand():
    _, _, table = analyse(hand_dataset())
    # Pressures: m@R = w_l, d@R = w_m; p(A) = 1 − (1 − w_t)(1 − w_l·w_r); fp(A) = 1 − (1 − p(A))(1 − w_t);
    # p(C) = fp(C) = 1 − (1 − w_m)(1 − w_m·w_a); B, a1@A and b1@B get nothing.
    wt, wm, wl, wr, wa, wi = w(talk=1), w(meeting=1), w(responsibility_letter=1), w(report=1), w(assessment=1), w(inspection=2)
    pA = 1 - (1 - wt) * (1 - wl * wr)
    fA = 1 - (1 - pA) * (1 - wt)
    pC = 1 - (1 - wm) * (1 - wm * wa)
    pA_fixed = 1 - (1 - wt) * (1 - wl)
    fA_fixed = 1 - (1 - pA_fixed) * (1 - wt)
    pC_with_d = 1 - (1 - wm) * (1 - wa)
    expected = {
        ("first_person:A", "dual_duty:a1@A"): fA + fA * wi,  # a1@A gets fp(A), passes it on to B
        ("first_person:R", "dual_duty:d@R"): (1 - wm) + 2 * (pC_with_d - pC),  # d@R, then C and fp(C)
        ("principal:R", "principal:C"): 2 * (1 - pC),  # p(C) = 1, and fp(C) through the structural link
        ("dual_duty:m@R", "principal:B"): wl,
        ("principal:A", "principal:B"): pA,
        ("first_person:R", "first_person:C"): 1 - pC,
        ("dual_duty:m@R", "principal:A"): (pA_fixed - pA) + (fA_fixed - fA),
    }
    assert list(zip(table["source"], table["target"])) == list(expected)  # the repair order
    assert table["impact"].to_numpy() == pytest.approx(list(expected.values()))
    assert table["impact_exact"].all() and table.attrs["certified"]


def test_explanatory_columns():
    _, _, table = analyse(hand_dataset())
    row = table.set_index(["source", "target"]).loc[("dual_duty:m@R", "principal:A")]
    assert (row["link_type"], row["source_entity"], row["target_entity"]) == ("dual_duty_principal", "m", "A")
    assert row["channels"] == ["report"] and row["evidence"] == 1 and row["level"] == 1
    row = table.set_index(["source", "target"]).loc[("principal:A", "principal:B")]
    assert row["channels"] == [] and row["evidence"] == 0


def test_estimates_bound_the_exact_head():
    _, _, table = analyse(hand_dataset(), top=2)
    assert table["impact_exact"].sum() >= 2
    assert np.all(table["impact_estimate"] >= table["impact"] - 1e-12)
    assert table["impact_exact"].head(2).all()


def test_tau_weak_moves_links_between_categories():
    net = build_network(hand_dataset())
    p = cascade(net)
    strict = broken_links(net, p, Parameters(tau_weak=0.6))  # the four links at 0.5507 become weak
    assert len(strict) == 7 + 4
    assert set(strict["category"]) == {"missing", "weak"}
    loose = broken_links(net, p, Parameters(tau_weak=0.0))  # only missing links stay broken
    assert set(loose["category"]) == {"missing"} and len(loose) == 4


def test_structural_links_are_never_broken():
    net = build_network(hand_dataset())
    assert not broken_mask(net, 1.0)[net.edge_structural].any()
    assert broken_mask(net, 1.0)[~net.edge_structural].all()


@st.composite
def dataset_and_removal(draw):
    data = draw(datasets())
    keep = draw(st.lists(st.booleans(), min_size=len(data.evidence), max_size=len(data.evidence)))
    rows = [tuple(r) for r, k in zip(data.evidence.itertuples(index=False), keep) if k]
    return data, with_evidence(data, rows)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset_and_removal())
def test_removing_evidence_never_raises_a_pressure_nor_ends_a_broken_link(case):
    full, reduced = case
    net_full, net_reduced = build_network(full), build_network(reduced)
    p_full, p_reduced = cascade(net_full), cascade(net_reduced)
    assert np.all(p_reduced <= p_full)
    broken_full = set(zip(*broken_links(net_full, p_full, top=0)[["source", "target"]].to_numpy().T))
    broken_reduced = set(zip(*broken_links(net_reduced, p_reduced, top=0)[["source", "target"]].to_numpy().T))
    assert broken_full <= broken_reduced


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(evidence=False), st.sampled_from(["responsibility_letter", "talk", "accountability"]))
def test_all_strong_network_has_no_broken_links(data, channel):
    net = build_network(data)
    rows = [(f, t, channel, 1.0) for pair in evidence_for(net) if pair is not None for f, t in [pair]]
    strong = build_network(with_evidence(data, rows))
    table = broken_links(strong, cascade(strong))
    assert table.empty
    assert list(table.columns[:5]) == list(BROKEN_LINK_COLUMNS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_every_non_structural_link_below_tau_is_listed_once(data):
    net = build_network(data)
    p = cascade(net, default_sources(net))
    table = broken_links(net, p, top=3)
    expected = int(((net.edge_weight < 0.5) & ~net.edge_structural).sum())
    assert len(table) == expected
    assert not table.duplicated(["source", "target"]).any()
    assert np.all(np.diff(table["impact"].to_numpy()) <= 1e-12)
    assert (table["category"] == "missing").sum() == int(((net.edge_weight == 0) & ~net.edge_structural).sum())
