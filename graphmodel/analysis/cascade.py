"""The pressure cascade (层层传导压力): noisy-OR in one topological pass (DESIGN §5).

Every non-source node receives ``p(v) = 1 − Π_{u→v} (1 − p(u)·w(u,v))``. The pass goes
generation by generation (a node's generation is the longest path reaching it), and inside a
generation it is one vectorized gather and one segmented product: no Python loop over nodes or
links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from typing import TYPE_CHECKING

import numpy as np

from graphmodel.errors import GraphModelError
from graphmodel.model.network import PRINCIPAL, SUPERVISORY, Network
from graphmodel.model.tree import DISCIPLINE

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Schedule", "schedule", "cascade", "cascade_networkx", "default_sources", "resolve_sources"]


@dataclass(frozen=True, eq=False)
class Schedule:
    """The order of a network's cascade: links grouped by the generation of their target.

    ``link_order`` lists links sorted by the topological rank of their target;
    ``link_bounds[g]:link_bounds[g + 1]`` are the links into generation ``g``, and
    ``segment_starts`` marks, inside that run, where each target's incoming links begin.
    """

    node_order: np.ndarray
    node_bounds: np.ndarray
    link_order: np.ndarray
    link_bounds: np.ndarray
    segment_starts: list[np.ndarray]
    src_sorted: np.ndarray


def schedule(network: Network) -> Schedule:
    """Prepare the cascade of ``network``; pass it to ``cascade`` to run many what-ifs."""
    order, bounds = network.node_order, network.generation_bounds
    rank = np.empty(network.n_nodes, dtype=np.int64)
    rank[order] = np.arange(len(order))
    link_order = np.argsort(rank[network.edge_dst], kind="stable")
    dst_rank = rank[network.edge_dst[link_order]]
    link_bounds = np.searchsorted(dst_rank, bounds)
    segments = []
    for g in range(len(bounds) - 1):
        run = dst_rank[link_bounds[g] : link_bounds[g + 1]]
        if len(run) == 0:
            segments.append(np.zeros(0, dtype=np.int64))
            continue
        segments.append(np.flatnonzero(np.r_[True, run[1:] != run[:-1]]))
    return Schedule(order, bounds, link_order, link_bounds, segments, network.edge_src[link_order])


def default_sources(network: Network) -> dict[int, float]:
    """``principal:root`` and the root's 同级纪委, each with pressure 1."""
    tree = network.tree
    root = tree.root
    wanted = {root}
    wanted |= set(np.flatnonzero((tree.parent == root) & (tree.kind == DISCIPLINE)).tolist())
    nodes = np.flatnonzero(
        ((network.node_kind == PRINCIPAL) | (network.node_kind == SUPERVISORY))
        & np.isin(network.node_org, list(wanted))
    )
    return {int(v): 1.0 for v in nodes}


def resolve_sources(network: Network, sources: Iterable[str] | Mapping[str, float]) -> dict[int, float]:
    """Node positions and pressures of sources given by responsibility id.

    Raises
    ------
    GraphModelError
        A source names no responsibility of the network, or a pressure outside [0, 1].
    """
    given = dict(sources) if isinstance(sources, Mapping) else {s: 1.0 for s in sources}
    if not given:
        return default_sources(network)
    positions = network.node_index().get_indexer(list(given))
    unknown = [s for s, pos in zip(given, positions) if pos < 0]
    if unknown:
        raise GraphModelError(f"unknown source responsibility: {', '.join(map(str, unknown))}")
    bad = [s for s, p in given.items() if not 0 <= p <= 1]
    if bad:
        raise GraphModelError(f"a source's pressure must lie in [0, 1]: {', '.join(bad)}")
    return {int(pos): float(p) for pos, p in zip(positions, given.values())}


def cascade(
    network: Network,
    sources: Mapping[int, float] | None = None,
    weights: np.ndarray | None = None,
    plan: Schedule | None = None,
) -> np.ndarray:
    """Pressure received by every responsibility node.

    Parameters
    ----------
    network : the responsibility network.
    sources : node position → pressure kept by that node (default: ``default_sources``).
    weights : link weights to use instead of ``network.edge_weight`` (a what-if).
    plan : the network's ``schedule``, when already prepared.

    Returns
    -------
    numpy.ndarray
        Pressure per node, in [0, 1]; nodes no pressure reaches get 0.

    Notes
    -----
    On a polytree the pressure equals the Independent Cascade activation probability with link
    probabilities ``w`` [1]_; where paths reconverge the incoming pressures are treated as
    independent.

    References
    ----------
    .. [1] D. Kempe, J. Kleinberg, É. Tardos, "Maximizing the spread of influence through a
       social network", KDD 2003.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> p = cascade(build_network(read_dataset(sample_path())))
    >>> bool(p.min() >= 0 and p.max() == 1)
    True
    """
    plan = plan or schedule(network)
    w = network.edge_weight if weights is None else np.asarray(weights, dtype=np.float64)
    src_map = default_sources(network) if sources is None else sources
    p = np.zeros(network.n_nodes, dtype=np.float64)
    is_source = np.zeros(network.n_nodes, dtype=bool)
    if src_map:
        idx = np.fromiter(src_map.keys(), dtype=np.int64, count=len(src_map))
        p[idx] = np.fromiter(src_map.values(), dtype=np.float64, count=len(src_map))
        is_source[idx] = True
    keep = p.copy()
    w_sorted = w[plan.link_order]
    for g in range(1, len(plan.node_bounds) - 1):
        lo, hi = plan.link_bounds[g], plan.link_bounds[g + 1]
        if lo == hi:
            continue
        nodes = plan.node_order[plan.node_bounds[g] : plan.node_bounds[g + 1]]
        miss = 1.0 - p[plan.src_sorted[lo:hi]] * w_sorted[lo:hi]
        received = 1.0 - np.multiply.reduceat(miss, plan.segment_starts[g])
        p[nodes] = np.where(is_source[nodes], keep[nodes], received)
    return np.clip(p, 0.0, 1.0, out=p)


def cascade_networkx(graph: nx.DiGraph, sources: Mapping[str, float]) -> dict[str, float]:
    """The same cascade as a plain Python loop over a networkx graph, in topological order.

    The reference the vectorized ``cascade`` is checked and benchmarked against, and a way for
    researchers to run the model on a graph they edited by hand (edge attribute ``weight``).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b", {"weight": 0.5}), ("a", "c", {"weight": 0.5}),
    ...                 ("b", "d", {"weight": 1.0}), ("c", "d", {"weight": 1.0})])
    >>> cascade_networkx(g, {"a": 1.0})["d"]
    0.75
    """
    import networkx as nx

    pressure: dict[str, float] = {}
    for node in nx.topological_sort(graph):
        if node in sources:
            pressure[node] = float(sources[node])
            continue
        miss = 1.0
        for u, _, data in graph.in_edges(node, data=True):
            miss *= 1.0 - pressure[u] * data["weight"]
        pressure[node] = 1.0 - miss
    return pressure
