"""The closed loop per organization: the worked example and the definition on random datasets."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from graphmodel.analysis.loop import LOOP_COLUMNS, closed_loop, loop_by_level
from graphmodel.model.network import build_network
from graphmodel.vocabulary import CHANNEL_STAGE, CHANNELS
from tests.analysis.toynet import datasets, hand_dataset


def test_worked_example():
    table = closed_loop(build_network(hand_dataset())).set_index("org")
    assert tuple(table.reset_index().columns[:4]) == LOOP_COLUMNS
    stages = {o: [s for s in ("know", "perform", "assess") if table.loc[o, s]] for o in table.index}
    assert stages == {
        "R": ["know", "perform", "assess"],  # letter and meeting to its team; jw's inspection
        "jw": [],  # nothing flows into the top of the discipline line
        "A": ["perform"],  # R's talk, m's report, sR's talk with sA
        "B": ["assess"],  # a1's inspections
        "C": ["perform", "assess"],  # R's meeting, d's assessment
    }
    assert table.loc["R", "complete"] and not table.loc["C", "complete"]
    assert table.loc["A", "incoming"] == 4  # R → A, m@R → A, fp R → fp A, fp A → a1@A
    assert table.loc["B", "assess_evidence"] == 2
    summary = loop_by_level(table.reset_index()).set_index("level")
    assert summary.loc[0, "organizations"] == 2 and summary.loc[0, "know"] == 0.5


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_definition_on_random_datasets(data):
    net = build_network(data)
    table = closed_loop(net)
    ids = net.node_ids()
    org_of = dict(zip(ids, net.tree.ids[net.node_org]))
    shown: dict[str, set[str]] = {}
    for dst, counts in zip(ids[net.edge_dst], net.edge_counts):
        for channel, count in zip(CHANNELS, counts):
            if count > 0:
                shown.setdefault(org_of[dst], set()).add(CHANNEL_STAGE[channel])
    for row in table.itertuples():
        assert {s for s in ("know", "perform", "assess") if getattr(row, s)} == shown.get(row.org, set())
    assert set(table["org"]) == set(org_of.values())
