"""一岗双责 holders: the worked example, the status definitions, shares and evidence monotonicity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.analysis.dual_duty import DUAL_DUTY_COLUMNS, holder_shares, holder_status
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.network import build_network
from tests.analysis.toynet import datasets, hand_dataset, with_evidence


def with_ids(table):
    return table.assign(responsibility="dual_duty:" + table["cadre"] + "@" + table["org"])


def test_worked_example():
    table = with_ids(holder_status(build_network(hand_dataset())))
    assert tuple(table.columns[:3]) == DUAL_DUTY_COLUMNS
    got = dict(zip(table["responsibility"], table["status"]))
    assert got == {
        "dual_duty:m@R": ["cut_off_below"],  # letter from sR; its duties: A weak, B missing
        "dual_duty:d@R": ["cut_off_above"],  # a lone meeting from sR; its duty to C is active
        "dual_duty:a1@A": ["cut_off_above"],  # nothing from sA; its inspections of B are active
        "dual_duty:b1@B": ["no_duty", "cut_off_above", "isolated"],  # B has no secretary
    }
    row = table.set_index("responsibility").loc["dual_duty:b1@B"]
    assert np.isnan(row["secretary_link_weight"]) and row["duty_links"] == 0
    assert table.set_index("responsibility").loc["dual_duty:m@R", "duty_links"] == 2


def test_shares_of_the_worked_example():
    net = build_network(hand_dataset())
    by_org = holder_shares(net).set_index("org")
    assert by_org.loc["R", ["holders", "cut_off", "isolated"]].tolist() == [2, 2, 0]
    assert by_org.loc["B", ["isolated_share", "cut_off_share"]].tolist() == [1.0, 1.0]
    assert "C" not in by_org.index  # no holders: a `members` vacancy, not a share
    by_level = holder_shares(net, by="level").set_index("level")
    assert by_level.loc[1, ["holders", "isolated"]].tolist() == [1, 0]  # a1@A
    assert by_level.loc[2, "isolated_share"] == 1.0  # b1@B
    assert by_level["holders"].sum() == 4
    with pytest.raises(ValueError):
        holder_shares(net, by="kind")  # type: ignore[arg-type]


def test_a_strong_secretary_and_duty_clear_every_status():
    data = with_evidence(hand_dataset(), [("sR", "m", "talk", 1), ("m", "A", "talk", 1)])
    table = with_ids(holder_status(build_network(data))).set_index("responsibility")
    assert table.loc["dual_duty:m@R", "status"] == []
    assert with_ids(holder_status(build_network(data), Parameters(tau_weak=0.6))).set_index("responsibility").loc[
        "dual_duty:m@R", "status"] == ["cut_off_above", "cut_off_below", "isolated"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_status_definitions_and_consistency(data):
    net = build_network(data)
    table = with_ids(holder_status(net))
    ids = net.node_ids()
    active_out: dict[str, int] = {}
    duty_out: dict[str, int] = {}
    active_in: set[str] = set()
    for s, t, wt, kind in zip(ids[net.edge_src], ids[net.edge_dst], net.edge_weight, net.edge_type):
        if kind == 4:  # dual_duty → principal
            duty_out[s] = duty_out.get(s, 0) + 1
            active_out[s] = active_out.get(s, 0) + (wt >= 0.5 and wt > 0)
        if kind == 2 and wt >= 0.5 and wt > 0:  # first_person → dual_duty
            active_in.add(t)
    for rid, status in zip(table["responsibility"], table["status"]):
        expected = []
        if duty_out.get(rid, 0) == 0:
            expected.append("no_duty")
        if rid not in active_in:
            expected.append("cut_off_above")
        if duty_out.get(rid, 0) > 0 and active_out.get(rid, 0) == 0:
            expected.append("cut_off_below")
        if rid not in active_in and active_out.get(rid, 0) == 0:
            expected.append("isolated")
        assert status == expected
    shares = holder_shares(net)
    assert shares["holders"].sum() == len(table)
    assert np.all(shares["isolated"] <= shares["cut_off_above"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.data())
def test_removing_evidence_only_adds_statuses(data, draw):
    keep = draw.draw(st.lists(st.booleans(), min_size=len(data.evidence), max_size=len(data.evidence)))
    rows = [tuple(r) for r, k in zip(data.evidence.itertuples(index=False), keep) if k]
    before = holder_status(build_network(data))
    after = holder_status(build_network(with_evidence(data, rows)))
    for old, new in zip(before["status"], after["status"]):
        assert set(old) <= set(new)


def test_leaf_flag_marks_holders_with_nothing_below():
    from graphmodel.analysis._examples import example_network
    from graphmodel.analysis.dual_duty import holder_status

    net = example_network(
        [("R", "committee", ""), ("A", "committee", "R"), ("J", "discipline", "A")],
        posts=[("s", "R", "secretary"), ("m", "R", "member"), ("t", "A", "secretary"), ("n", "A", "member")],
        duties=[("m", "A")],
        evidence=[("s", "m", "talk", 1), ("m", "A", "talk", 1), ("t", "n", "talk", 1)],
    )
    table = holder_status(net).set_index("cadre")
    assert not table.loc["m", "leaf"]  # R has A below it
    assert table.loc["n", "leaf"]  # A has only a discipline body below it
    assert "no_duty" in table.loc["n", "status"]
