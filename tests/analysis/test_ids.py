"""Node ids as Arrow text (``IdText``, ``node_id_text``) agree with the DESIGN §4 ids built in Python."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.analysis.cascade import cascade
from graphmodel.analysis.ids import STR, IdText, positions_in, text_column
from graphmodel.model.network import DUAL_DUTY, build_network, node_id_text
from graphmodel.results.findings import responsibility_table
from graphmodel.vocabulary import RESPONSIBILITY_KINDS
from tests.analysis.toynet import datasets, toy_dataset


def python_ids(net) -> list[str]:
    """The ids the contract spells out, one Python string at a time."""
    out = []
    for kind, org, holder in zip(net.node_kind, net.node_org, net.node_holder):
        name = RESPONSIBILITY_KINDS[kind]
        org_id = net.tree.ids[org]
        out.append(f"{name}:{net.entity_ids(np.array([holder]))[0]}@{org_id}" if kind == DUAL_DUTY else f"{name}:{org_id}")
    return out


def chinese_net():
    return build_network(toy_dataset(
        [("市委", "committee", ""), ("纪委", "discipline", "市委"), ("区委 A", "committee", "市委"),
         ("支部·b", "branch", "区委 A")],
        posts=[("书记甲", "市委", "secretary"), ("委员乙", "市委", "member"), ("委员乙", "区委 A", "member"),
               ("s-b", "支部·b", "secretary"), ("😀", "支部·b", "member")],
        duties=[("委员乙", "区委 A")],
    ))


def test_chinese_ids():
    net = chinese_net()
    ids = net.node_ids()
    assert ids.dtype == object and all(type(i) is str for i in ids)
    assert ids.tolist() == python_ids(net)
    assert "dual_duty:委员乙@区委 A" in ids and "dual_duty:😀@支部·b" in ids and "supervisory:纪委" in ids
    text = IdText(net)
    assert text.nodes.to_pylist() == ids.tolist()
    picked = np.array([3, 0, 3])
    assert text[picked].tolist() == ids[picked].tolist() == net.node_ids(picked).tolist()


def test_empty_selections():
    net = chinese_net()
    none = np.zeros(0, dtype=np.int64)
    assert net.node_ids(none).dtype == object and len(net.node_ids(none)) == 0
    assert IdText(net)[none].dtype == object and len(IdText(net)[none]) == 0
    assert net.entity_ids(none).dtype == object and len(net.entity_ids(none)) == 0
    assert node_id_text(np.zeros(0, dtype=np.int8), np.zeros(0, dtype=object), np.zeros(0, dtype=object)).to_pylist() == []


def test_entity_ids_mixed_and_single_kind():
    net = chinese_net()
    n_orgs = len(net.tree)
    assert net.entity_ids(np.array([0, n_orgs])).tolist() == ["市委", net.cadre_ids[0]]
    assert net.entity_ids(np.array([n_orgs + 1])).tolist() == [net.cadre_ids[1]]
    assert net.entity_ids(np.array([2])).tolist() == ["区委 A"]


def test_text_column_is_pandas_str():
    column = text_column(pa.chunked_array([pa.array(["a"], pa.string()), pa.array(["中"], pa.string())]))
    assert column.dtype == STR
    pd.testing.assert_series_equal(column, pd.Series(["a", "中"], dtype="str"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_responsibility_table_matches_python_strings(dataset):
    net = build_network(dataset)
    p = cascade(net)
    table = responsibility_table(net, p)
    expected = pd.DataFrame({
        "id": pd.Series(python_ids(net), dtype=object).astype("str"),
        "kind": pd.Categorical.from_codes(net.node_kind, categories=list(RESPONSIBILITY_KINDS)),
        "holder": pd.Series(net.entity_ids(net.node_holder), dtype=object).astype("str"),
        "org": pd.Series(net.tree.ids[net.node_org], dtype=object).astype("str"),
        "level": net.node_level,
        "pressure": p,
    })
    pd.testing.assert_frame_equal(table, expected)
    assert net.node_ids().tolist() == python_ids(net)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "中", "x", None]), max_size=5), max_size=4),
       st.lists(st.sampled_from(["a", "b", "中", "c", "😀"]), unique=True, max_size=5))
def test_positions_in_is_an_index_look_up(chunks, ids):
    values = pa.chunked_array([pa.array(c, pa.string()) for c in chunks], type=pa.string())
    want = pd.Index(np.array(ids, dtype=object)).get_indexer([v if v is not None else "\0none" for c in chunks for v in c])
    assert positions_in(values, np.array(ids, dtype=object)).tolist() == want.tolist()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.randoms(use_true_random=False))
def test_node_ids_of_nodes_in_any_order(dataset, random):
    net = build_network(dataset)
    ids = python_ids(net)
    nodes = [random.randrange(net.n_nodes) for _ in range(random.randrange(2 * net.n_nodes + 1))]
    assert net.node_ids(np.array(nodes, dtype=np.int64)).tolist() == [ids[v] for v in nodes]
    assert IdText(net)[np.array(nodes, dtype=np.int64)].tolist() == [ids[v] for v in nodes]
