"""Impact of repairing a link: how much the total pressure Σp rises when that link alone gets w = 1.

Re-running the cascade once per link costs a cascade per link. Instead, one reverse (adjoint)
pass over the generations gives the sensitivity ``∂Σp/∂w`` of every link at once; times the room
``1 − w`` it is a linearized gain estimate. The exact what-if is then computed for the top of the
list only, by re-running the cascade on the links' downstream cones (the nodes whose pressure
actually changes), with the preparation done once.

Why the estimate can be trusted for ranking: along one link's weight, every pressure is a
concave, nondecreasing function (noisy-OR of concave nondecreasing inputs stays concave), and an
affine one when no node below the link is reached by two paths (a polytree cone). So the estimate
is an upper bound of the exact gain, equal to it on polytree cones. ``rank_impact`` uses the bound
to certify its top: it evaluates exact gains in the order of the estimates until no unevaluated
link's bound can beat the ``top``-th exact gain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphmodel.analysis.cascade import Schedule, default_sources, schedule
from graphmodel.model.network import Network, concat_ranges, csr_pointers

__all__ = [
    "ImpactPlan",
    "impact_plan",
    "adjoint",
    "link_sensitivity",
    "estimated_gain",
    "exact_gain",
    "rank_impact",
    "CHANGE_TOLERANCE",
]

CHANGE_TOLERANCE = 1e-14
"""A what-if stops propagating below a node whose pressure moves by no more than this."""


@dataclass(frozen=True, eq=False)
class ImpactPlan:
    """Index arrays for the reverse pass and for what-ifs, built once per network.

    Attributes
    ----------
    plan : the forward ``Schedule`` (links grouped by the generation of their target).
    rank : topological position of each node in ``plan.node_order``.
    generation : generation of each node.
    in_ptr : ``plan.link_order[in_ptr[r]:in_ptr[r + 1]]`` are the links into the node of rank r.
    out_order : links sorted by the rank of their source (stable).
    out_ptr : ``out_order[out_ptr[r]:out_ptr[r + 1]]`` are the links out of the node of rank r.
    out_bounds : ``out_order[out_bounds[g]:out_bounds[g + 1]]`` leave generation g.
    """

    plan: Schedule
    rank: np.ndarray
    generation: np.ndarray
    in_ptr: np.ndarray
    out_order: np.ndarray
    out_ptr: np.ndarray
    out_bounds: np.ndarray


def impact_plan(network: Network, plan: Schedule | None = None) -> ImpactPlan:
    """Prepare the reverse pass and the what-ifs of ``network`` (pass the forward plan if built)."""
    plan = plan or schedule(network)
    n = network.n_nodes
    rank = np.empty(n, dtype=np.int64)
    rank[plan.node_order] = np.arange(n)
    generation = np.empty(n, dtype=np.int64)
    sizes = np.diff(plan.node_bounds)
    generation[plan.node_order] = np.repeat(np.arange(len(sizes)), sizes)
    in_ptr = csr_pointers(rank[network.edge_dst], n)  # links into each rank (plan.link_order is by it)
    src_rank = rank[network.edge_src]
    out_order = np.argsort(src_rank, kind="stable")
    out_ptr = csr_pointers(src_rank, n)
    out_bounds = out_ptr[plan.node_bounds]
    return ImpactPlan(plan, rank, generation, in_ptr, out_order, out_ptr, out_bounds)


def _source_mask(network: Network, sources: Mapping[int, float] | None) -> np.ndarray:
    src_map = default_sources(network) if sources is None else sources
    mask = np.zeros(network.n_nodes, dtype=bool)
    if src_map:
        mask[np.fromiter(src_map.keys(), dtype=np.int64, count=len(src_map))] = True
    return mask


def _others(network: Network, pressure: np.ndarray) -> np.ndarray:
    """Per link u→v: the product of ``1 − p(u')·w`` over the *other* links into v.

    Computed in log space with a count of exact zeros, so a factor of 0 (a certain input) is
    never divided by and long products do not underflow into nonsense.
    """
    src, dst = network.edge_src, network.edge_dst
    factor = np.asarray(pressure, dtype=np.float64)[src]
    factor *= network.edge_weight
    np.subtract(1.0, factor, out=factor)
    positive = factor > 0
    log_factor = np.zeros(len(factor))
    np.log(factor, out=log_factor, where=positive)
    del factor
    n = network.n_nodes
    log_total = np.bincount(dst, weights=log_factor, minlength=n).astype(np.float64, copy=False)
    zeros = np.bincount(dst[~positive], minlength=n)
    out = log_total[dst]
    out -= log_factor
    np.exp(out, out=out)
    hit = np.flatnonzero(zeros[dst] > 0)  # links into a node with a certain input
    if len(hit):
        target = dst[hit]
        alone = (zeros[target] == 1) & ~positive[hit]
        out[hit] = np.where(alone, np.exp(log_total[target]), 0.0)
    return out


def adjoint(
    network: Network,
    pressure: np.ndarray,
    sources: Mapping[int, float] | None = None,
    prepared: ImpactPlan | None = None,
) -> np.ndarray:
    """The adjoint λ(v) = ∂Σp/∂p(v): how much the total pressure moves per unit of p(v).

    One reverse pass over the generations: ``λ(v) = 1 + Σ_{v→x} λ(x)·∂p(x)/∂p(v)`` with
    ``∂p(x)/∂p(v) = w(v,x)·Π_{other links u→x}(1 − p(u)·w(u,x))``, and 0 into a source (a
    source keeps its pressure).

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node (with the same ``sources``).
    sources : node position → pressure of the sources (default: ``default_sources``).
    prepared : the network's ``impact_plan``, when already built.

    Returns
    -------
    numpy.ndarray
        λ per node, at least 1.

    Examples
    --------
    A chain a → b → c with weights 0.5 and 0.4, a the source: p = (1, 0.5, 0.2);
    λ(c) = 1, λ(b) = 1 + 0.4·1 = 1.4.

    >>> from graphmodel.analysis._examples import chain_network
    >>> from graphmodel.analysis.cascade import cascade
    >>> net = chain_network([0.5, 0.4])
    >>> p = cascade(net, sources={0: 1.0})
    >>> adjoint(net, p, sources={0: 1.0}).round(3).tolist()
    [1.7, 1.4, 1.0]
    """
    return _adjoint(network, pressure, _source_mask(network, sources), _others(network, pressure), prepared)


def _adjoint(
    network: Network,
    pressure: np.ndarray,
    is_source: np.ndarray,
    others: np.ndarray,
    prepared: ImpactPlan | None,
) -> np.ndarray:
    prep = prepared or impact_plan(network)
    order = prep.out_order
    coef = network.edge_weight * others
    coef[is_source[network.edge_dst]] = 0.0
    coef_sorted = coef[order]
    del coef
    src, dst = network.edge_src, network.edge_dst
    lam = np.ones(network.n_nodes, dtype=np.float64)
    bounds = prep.out_bounds
    for g in range(len(bounds) - 2, -1, -1):
        lo, hi = bounds[g], bounds[g + 1]
        if lo == hi:
            continue
        run = order[lo:hi]
        run_src = src[run]
        starts = np.flatnonzero(np.r_[True, run_src[1:] != run_src[:-1]])
        contrib = coef_sorted[lo:hi] * lam[dst[run]]
        lam[run_src[starts]] = 1.0 + np.add.reduceat(contrib, starts)
    return lam


def link_sensitivity(
    network: Network,
    pressure: np.ndarray,
    sources: Mapping[int, float] | None = None,
    prepared: ImpactPlan | None = None,
) -> np.ndarray:
    """∂Σp/∂w for every link, in one reverse pass.

    For a link u→v into a non-source v: ``λ(v)·p(u)·Π_{other links u'→v}(1 − p(u')·w)``;
    0 into a source.

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> from graphmodel.analysis.cascade import cascade
    >>> net = chain_network([0.5, 0.4])
    >>> p = cascade(net, sources={0: 1.0})
    >>> link_sensitivity(net, p, sources={0: 1.0}).round(3).tolist()
    [1.4, 0.5]
    """
    is_source = _source_mask(network, sources)
    others = _others(network, pressure)
    lam = _adjoint(network, pressure, is_source, others, prepared)
    src, dst = network.edge_src, network.edge_dst
    grad = lam[dst]
    grad *= pressure[src]
    grad *= others
    grad[is_source[dst]] = 0.0
    return grad


def estimated_gain(
    network: Network,
    pressure: np.ndarray,
    sources: Mapping[int, float] | None = None,
    prepared: ImpactPlan | None = None,
) -> np.ndarray:
    """Linearized gain of setting each link's weight to 1: ``∂Σp/∂w × (1 − w)``.

    An upper bound of the exact gain (Σp is concave along each weight), equal to it when no
    node below the link is reached by two paths.

    Examples
    --------
    On a chain the estimate is exact: lifting a → b from 0.5 to 1 lifts p(b) by 0.5 and
    p(c) by 0.2, 0.7 in all.

    >>> from graphmodel.analysis._examples import chain_network
    >>> from graphmodel.analysis.cascade import cascade
    >>> net = chain_network([0.5, 0.4])
    >>> p = cascade(net, sources={0: 1.0})
    >>> estimated_gain(net, p, sources={0: 1.0}).round(3).tolist()
    [0.7, 0.3]
    """
    grad = link_sensitivity(network, pressure, sources, prepared)
    grad *= 1.0 - network.edge_weight
    return grad


def exact_gain(
    network: Network,
    pressure: np.ndarray,
    links: np.ndarray,
    sources: Mapping[int, float] | None = None,
    prepared: ImpactPlan | None = None,
    weight: float = 1.0,
    tolerance: float = CHANGE_TOLERANCE,
) -> np.ndarray:
    """Exact rise of Σp when each given link alone gets ``weight`` (default 1).

    Each what-if re-runs the cascade only on the link's downstream cone: starting at the link's
    target, generation by generation, it recomputes the nodes that have an input whose pressure
    changed, and stops below nodes whose pressure moved by no more than ``tolerance``.

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node (with the same ``sources``).
    links : link positions to evaluate.
    sources : node position → pressure of the sources (default: ``default_sources``).
    prepared : the network's ``impact_plan``, when already built.
    weight : the what-if weight.
    tolerance : see ``CHANGE_TOLERANCE``.

    Returns
    -------
    numpy.ndarray
        The gain per given link (negative when ``weight`` is below the link's weight).

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> from graphmodel.analysis.cascade import cascade
    >>> net = chain_network([0.5, 0.4])
    >>> p = cascade(net, sources={0: 1.0})
    >>> exact_gain(net, p, np.array([0, 1]), sources={0: 1.0}).round(3).tolist()
    [0.7, 0.3]
    """
    prep = prepared or impact_plan(network)
    gains, _ = _exact(network, pressure, np.asarray(links, dtype=np.int64), _source_mask(network, sources),
                      prep, weight, tolerance)
    return gains


def _exact(
    network: Network,
    pressure: np.ndarray,
    links: np.ndarray,
    is_source: np.ndarray,
    prep: ImpactPlan,
    weight: float = 1.0,
    tolerance: float = CHANGE_TOLERANCE,
) -> tuple[np.ndarray, int]:
    """``exact_gain``'s work: the gains, and how many node pressures were recomputed.

    All the what-ifs run together, one *lane* per link: generation by generation, the lanes'
    pending nodes are recomputed in one vectorized pass, each lane reading the pressures its own
    what-if changed (kept, sorted by (topological rank, lane), in an overlay over ``pressure``)
    and its own link's new weight. Per lane it is the same computation, in the same order, as a
    what-if run alone: its nodes by generation, each generation in node order.
    """
    dst = network.edge_dst
    link_order, in_src = prep.plan.link_order, prep.plan.src_sorted
    w, rank, n = network.edge_weight, prep.rank, network.n_nodes
    links = np.asarray(links, dtype=np.int64)
    gains = np.zeros(len(links), dtype=np.float64)
    targets = dst[links]
    lanes = np.flatnonzero(~is_source[targets] & (w[links] != weight))
    if not len(lanes):
        return gains, 0
    k = len(links)
    pend_pair = lanes * n + targets[lanes]  # (lane, node) pairs waiting, and their generations
    pend_gen = prep.generation[targets[lanes]]
    overlay_key = np.zeros(0, dtype=np.int64)  # rank × k + lane of every changed pressure
    overlay_value = np.zeros(0, dtype=np.float64)
    moved_lanes: list[np.ndarray] = []
    moved_delta: list[np.ndarray] = []
    work = 0
    while len(pend_pair):
        now = pend_gen == pend_gen.min()
        pairs = np.unique(pend_pair[now])  # by lane, then node
        pend_pair, pend_gen = pend_pair[~now], pend_gen[~now]
        lane, node = np.divmod(pairs, n)
        keep = ~is_source[node]
        lane, node = lane[keep], node[keep]
        if not len(node):
            continue
        work += len(node)
        r = rank[node]
        starts = prep.in_ptr[r]
        lengths = prep.in_ptr[r + 1] - starts
        pos = concat_ranges(starts, lengths)
        row_lane = np.repeat(lane, lengths)
        inputs = in_src[pos]
        q = pressure[inputs]
        if len(overlay_key):
            key = rank[inputs] * k + row_lane
            at = np.minimum(np.searchsorted(overlay_key, key), len(overlay_key) - 1)
            hit = overlay_key[at] == key
            q[hit] = overlay_value[at[hit]]
        through = link_order[pos]
        wt = w[through]
        wt[through == links[row_lane]] = weight
        miss = 1.0 - q * wt
        new = 1.0 - np.multiply.reduceat(miss, np.cumsum(lengths) - lengths)
        np.clip(new, 0.0, 1.0, out=new)
        moved = np.abs(new - pressure[node]) > tolerance
        lane, node, new = lane[moved], node[moved], new[moved]
        if not len(node):
            continue
        moved_lanes.append(lane)
        moved_delta.append(new - pressure[node])
        r = rank[node]
        key = r * k + lane
        order = np.argsort(key)
        overlay_key = np.concatenate([overlay_key, key[order]])  # later generations rank higher
        overlay_value = np.concatenate([overlay_value, new[order]])
        starts = prep.out_ptr[r]
        lengths = prep.out_ptr[r + 1] - starts
        children = dst[prep.out_order[concat_ranges(starts, lengths)]]
        pend_pair = np.concatenate([pend_pair, np.repeat(lane, lengths) * n + children])
        pend_gen = np.concatenate([pend_gen, prep.generation[children]])
    if moved_lanes:
        lane = np.concatenate(moved_lanes)
        order = np.argsort(lane, kind="stable")  # per lane: by generation, then node
        lane, delta = lane[order], np.concatenate(moved_delta)[order]
        cuts = np.flatnonzero(np.r_[True, lane[1:] != lane[:-1], True])
        for lo, hi in zip(cuts[:-1].tolist(), cuts[1:].tolist()):  # one sum per what-if, as alone
            gains[lane[lo]] = float(np.sum(delta[lo:hi]))
    return gains, work


def rank_impact(
    network: Network,
    pressure: np.ndarray,
    links: np.ndarray,
    sources: Mapping[int, float] | None = None,
    prepared: ImpactPlan | None = None,
    top: int = 50,
    max_exact: int | None = None,
    max_work: float | None = None,
) -> pd.DataFrame:
    """The repair ranking of the given links: estimated gain for all, exact gain for the top.

    Exact gains are computed in the order of the estimates: the first ``top`` always, then one
    batch after another while an unevaluated link's estimate (an upper bound) still exceeds the
    ``top``-th best exact gain — within ``max_exact`` evaluations and ``max_work`` recomputed node
    pressures in all. When that stops by the bound, the first ``top`` rows are the true top by
    exact gain.

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node (with the same ``sources``).
    links : link positions to rank.
    sources : node position → pressure of the sources (default: ``default_sources``).
    prepared : the network's ``impact_plan``, when already built.
    top : how many links must carry an exact gain; 0 keeps every gain an estimate.
    max_exact : cap on exact evaluations (default ``40 × top``).
    max_work : cap on the node pressures recomputed by the evaluations beyond the first ``top``
        (default: 5 × the number of nodes, about the work of a few full cascades).

    Returns
    -------
    pandas.DataFrame
        One row per given link, sorted by ``impact`` (descending; on ties exact rows first,
        then by link position):
        ``link`` (position), ``impact`` (exact where evaluated, else the estimate),
        ``impact_estimate``, ``impact_exact`` (whether ``impact`` is exact). ``attrs["certified"]``
        tells whether the exact top is proven complete, ``attrs["exact_evaluations"]`` how many
        exact what-ifs were run.

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> from graphmodel.analysis.cascade import cascade
    >>> net = chain_network([0.5, 0.4])
    >>> p = cascade(net, sources={0: 1.0})
    >>> rank_impact(net, p, np.array([1, 0]), sources={0: 1.0}, top=1)["link"].tolist()
    [0, 1]
    """
    if top < 0:
        raise ValueError(f"top must be non-negative, not {top}")
    links = np.asarray(links, dtype=np.int64)
    prep = prepared or impact_plan(network)
    estimate = estimated_gain(network, pressure, sources, prep)[links]
    impact = estimate.copy()
    exact = np.zeros(len(links), dtype=bool)
    order = np.lexsort((links, -estimate))
    cap = min(len(links), 40 * top if max_exact is None else max_exact)
    budget = 5 * network.n_nodes if max_work is None else max_work
    is_source = _source_mask(network, sources)
    done = work = 0
    certified = top == 0 or len(links) == 0
    batch = top
    while done < cap and batch > 0 and (done < top or work <= budget):
        chosen = order[done : min(cap, done + batch)]
        impact[chosen], spent = _exact(network, pressure, links[chosen], is_source, prep)
        work += spent if done >= top else 0
        exact[chosen] = True
        done += len(chosen)
        kth = np.sort(impact[exact])[::-1][min(top, done) - 1]
        if done >= len(links) or (done >= top and estimate[order[done]] <= kth):
            certified = True
            break
        batch = max(1, top // 2)
    frame = pd.DataFrame({
        "link": links,
        "impact": impact,
        "impact_estimate": estimate,
        "impact_exact": exact,
    })
    final = np.lexsort((links, ~exact, -impact))
    frame = frame.iloc[final].reset_index(drop=True)
    frame.attrs["certified"] = bool(certified)
    frame.attrs["exact_evaluations"] = int(done)
    return frame
