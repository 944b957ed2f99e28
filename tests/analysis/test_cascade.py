"""The pressure cascade: hand-computed examples, invariants, and Independent Cascade agreement."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.analysis.cascade import cascade, cascade_networkx, default_sources, resolve_sources, schedule
from graphmodel.errors import GraphModelError
from graphmodel.model.graph import to_networkx
from graphmodel.model.network import build_network
from graphmodel.vocabulary import CHANNEL_LAMBDA
from tests.builders import load


def w(**channels: float) -> float:
    """Link weight for channel counts, straight from the contract's formula."""
    return 1 - math.exp(-sum(CHANNEL_LAMBDA[c] * n for c, n in channels.items()))


def pressures(dataset, **kw):
    net = build_network(dataset)
    p = cascade(net, **kw)
    return dict(zip(net.node_ids(), p)), net


def test_chain_of_committees(tmp_path):
    # root -> A -> B, principal links only; secretaries everywhere.
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R"), ("B", "街道党工委", "committee", "A")],
        posts=[("s0", "R", "secretary"), ("s1", "A", "secretary"), ("s2", "B", "secretary")],
        evidence=[("R", "A", "talk", 1), ("A", "B", "meeting", 1)],
    )
    p, _ = pressures(ds)
    assert p["principal:R"] == 1.0
    assert p["principal:A"] == pytest.approx(w(talk=1))
    assert p["principal:B"] == pytest.approx(w(talk=1) * w(meeting=1))
    # first_person:X is fed by principal:X (structural, w = 1) and first_person:parent (no evidence).
    assert p["first_person:A"] == pytest.approx(p["principal:A"])
    assert p["first_person:B"] == pytest.approx(p["principal:B"])


def test_two_channels_into_one_node(tmp_path):
    # A receives from principal:R (talk) and from the duty of R's member m (letter + report).
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R")],
        posts=[("s0", "R", "secretary"), ("m", "R", "member"), ("s1", "A", "secretary")],
        duties=[("m", "A")],
        evidence=[("R", "A", "talk", 1), ("s0", "m", "talk", 2), ("m", "A", "responsibility_letter", 1),
                  ("m", "A", "report", 1)],
    )
    p, _ = pressures(ds)
    p_m = w(talk=2)
    expected = 1 - (1 - w(talk=1)) * (1 - p_m * w(responsibility_letter=1, report=1))
    assert p["dual_duty:m@R"] == pytest.approx(p_m)
    assert p["principal:A"] == pytest.approx(expected)


def test_committee_supervised_by_its_own_discipline_body(tmp_path):
    # District A has its own 纪委 JA, stationed under nothing: JR -> JA (nearest 同级纪委 above), JA -> A.
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("JR", "市纪委", "discipline", "R"),
                       ("A", "区委", "committee", "R"), ("JA", "区纪委", "discipline", "A")],
        posts=[("s0", "R", "secretary"), ("s1", "A", "secretary"), ("j0", "JR", "secretary"), ("j1", "JA", "secretary")],
        evidence=[("JR", "JA", "inspection", 1), ("JA", "A", "talk", 1), ("JR", "R", "talk", 1)],
    )
    p, net = pressures(ds)
    assert set(net.node_ids()[list(default_sources(net))]) == {"principal:R", "supervisory:JR"}
    assert p["supervisory:JA"] == pytest.approx(w(inspection=1))
    # principal:R -> principal:A has no evidence (w = 0): only the discipline line reaches A.
    assert p["principal:A"] == pytest.approx(w(inspection=1) * w(talk=1))
    assert p["principal:R"] == 1.0  # a source keeps its pressure despite JR -> R


def test_stationed_discipline_group(tmp_path):
    # 派驻纪检监察组 PZ is stationed by JR and supervises the leading group G under R.
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("JR", "市纪委", "discipline", "R"),
                       ("PZ", "派驻组", "discipline", "JR"), ("G", "市教委党组", "leading_group", "R")],
        posts=[("s0", "R", "secretary"), ("g", "G", "secretary"), ("j0", "JR", "secretary")],
        supervision=[("JR", "R"), ("PZ", "G")],
        evidence=[("JR", "PZ", "assessment", 1), ("PZ", "G", "inspection", 2)],
    )
    p, _ = pressures(ds)
    assert p["supervisory:PZ"] == pytest.approx(w(assessment=1))
    assert p["principal:G"] == pytest.approx(w(assessment=1) * w(inspection=2))


def test_concurrent_posts_feed_both_links(tmp_path):
    # c is a member of R and the secretary of A: one talk from R's secretary feeds
    # first_person:R -> dual_duty:c@R and first_person:R -> first_person:A.
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R")],
        posts=[("s0", "R", "secretary"), ("c", "R", "member"), ("c", "A", "secretary")],
        evidence=[("s0", "c", "talk", 1)],
    )
    p, net = pressures(ds)
    assert p["dual_duty:c@R"] == pytest.approx(w(talk=1))
    assert p["first_person:A"] == pytest.approx(w(talk=1))
    # the same evidence counted on both links, once each
    assert (net.edge_counts.sum(axis=1) == 1).sum() == 2


def test_no_pressure_without_links(tmp_path):
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R")],
        posts=[("s0", "R", "secretary")],
        evidence=[],
    )
    p, _ = pressures(ds)
    assert p["principal:A"] == 0.0


def test_custom_sources(tmp_path):
    ds = load(
        tmp_path,
        organizations=[("R", "市委", "committee", ""), ("A", "区委", "committee", "R"), ("B", "支部", "branch", "A")],
        posts=[("s0", "R", "secretary")],
        evidence=[("A", "B", "talk", 1)],
    )
    net = build_network(ds)
    p = dict(zip(net.node_ids(), cascade(net, resolve_sources(net, {"principal:A": 0.5}))))
    assert p["principal:R"] == 0.0
    assert p["principal:B"] == pytest.approx(0.5 * w(talk=1))
    with pytest.raises(GraphModelError, match="unknown source"):
        resolve_sources(net, ["principal:nowhere"])


# --- invariants on generated data ---------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from graphmodel.dataset.generate import generate_dataset
    from graphmodel.dataset.reader import read_dataset

    folder = tmp_path_factory.mktemp("gen") / "ds"
    generate_dataset(folder, 400, 7)
    return build_network(read_dataset(folder))


def test_pressure_in_unit_interval(generated):
    p = cascade(generated)
    assert p.min() >= 0 and p.max() <= 1
    assert p.max() == 1.0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_raising_any_weight_never_lowers_any_pressure(generated, data):
    net = generated
    plan = schedule(net)
    base = cascade(net, plan=plan)
    links = data.draw(st.lists(st.integers(0, net.n_links - 1), min_size=1, max_size=20))
    raised = net.edge_weight.copy()
    for link in links:
        raised[link] = data.draw(st.floats(raised[link], 1.0))
    after = cascade(net, weights=raised, plan=plan)
    assert np.all(after >= base - 1e-12)


def test_matches_plain_networkx_loop(generated):
    p = cascade(generated)
    ids = generated.node_ids()
    sources = {ids[v]: value for v, value in default_sources(generated).items()}
    plain = cascade_networkx(to_networkx(generated), sources)
    assert np.allclose(p, [plain[i] for i in ids], atol=1e-12)


# --- agreement with Independent Cascade (ndlib) on random polytrees -----------------------


def _random_polytree_dataset(folder, rng: np.random.Generator):
    """A small tree of committees with a secretary each and random evidence on every link."""
    n = int(rng.integers(5, 12))
    orgs = [("O0", "root", "committee", "")]
    for i in range(1, n):
        orgs.append((f"O{i}", f"org{i}", "committee", f"O{int(rng.integers(0, i))}"))
    posts = [(f"S{i}", f"O{i}", "secretary") for i in range(n)]
    channels = list(CHANNEL_LAMBDA)
    evidence = []
    for i in range(1, n):
        parent = int(orgs[i][3][1:])
        # only one of the two parallel lines is evidenced, so the links form a polytree
        if rng.random() < 0.5:
            evidence.append((f"O{parent}", f"O{i}", channels[int(rng.integers(0, 7))], 1))
        else:
            evidence.append((f"S{parent}", f"S{i}", channels[int(rng.integers(0, 7))], 1))
    return load(folder, organizations=orgs, posts=posts, evidence=evidence)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agrees_with_independent_cascade_monte_carlo(tmp_path, seed):
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc

    rng = np.random.default_rng(seed)
    net = build_network(_random_polytree_dataset(tmp_path, rng))
    p = cascade(net)
    graph = to_networkx(net)
    # keep only the links that carry weight: the rest cannot transmit in IC either
    active = nx.DiGraph()
    active.add_nodes_from(graph)
    active.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if d["weight"] > 0)
    assert nx.is_directed_acyclic_graph(active)
    assert nx.is_forest(active.to_undirected())  # a polytree: IC and noisy-OR agree exactly
    ids = list(net.node_ids())
    runs = 3000
    hits = np.zeros(len(ids))
    for run in range(runs):
        model = ep.IndependentCascadesModel(active, seed=seed * 100_000 + run)
        config = mc.Configuration()
        config.add_model_initial_configuration("Infected", ["principal:O0"])
        for u, v, d in active.edges(data=True):
            config.add_edge_configuration("threshold", (u, v), d["weight"])
        model.set_initial_status(config)
        status: dict = {}
        for iteration in model.iteration_bunch(len(ids) + 1, progress_bar=False):
            status.update(iteration["status"])
        hits += [status.get(i, 0) != 0 for i in ids]
    estimate = hits / runs
    stderr = np.sqrt(p * (1 - p) / runs)
    assert np.all(np.abs(estimate - p) <= 4 * stderr + 1e-9), (estimate, p)
