"""Broken transmission links (中梗阻 in the small): the repair list.

A non-structural link is *broken* when its weight is below τ_weak: ``missing`` when no evidence
feeds it (w = 0), ``weak`` otherwise. Each broken link carries its ``impact`` — the rise of the
total pressure Σp if that link alone got w = 1 — and the list is sorted by it, so its head says
which links to fix first and what each would gain (see ``graphmodel.analysis.impact``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from graphmodel.analysis.ids import IdText
from graphmodel.analysis.impact import ImpactPlan, rank_impact
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.network import Network
from graphmodel.vocabulary import CHANNELS, LINK_TYPES

__all__ = [
    "BROKEN_CATEGORIES",
    "BROKEN_LINK_COLUMNS",
    "active_mask",
    "broken_mask",
    "broken_links",
    "channel_lists",
]

BROKEN_CATEGORIES = ("missing", "weak")
BROKEN_LINK_COLUMNS = ("source", "target", "category", "weight", "impact")
"""The DESIGN §6 columns, first in that order; explanatory columns follow."""


def active_mask(weight: np.ndarray, tau_weak: float = 0.5) -> np.ndarray:
    """Which weights make a link *active*: w ≥ τ_weak and w > 0 (a link without evidence is
    never active, even with τ_weak = 0).

    Examples
    --------
    >>> active_mask(np.array([0.0, 0.3, 0.5]), 0.5).tolist(), active_mask(np.array([0.0]), 0.0).tolist()
    ([False, False, True], [False])
    """
    weight = np.asarray(weight)
    return (weight >= tau_weak) & (weight > 0)


def broken_mask(network: Network, tau_weak: float = 0.5) -> np.ndarray:
    """Which links are broken: not structural and not active (w = 0, or w < τ_weak).

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> broken_mask(chain_network([0.0, 0.3, 0.5, 0.9])).tolist()
    [True, True, False, False]
    """
    return ~network.edge_structural & ~active_mask(network.edge_weight, tau_weak)


def channel_lists(counts: np.ndarray) -> np.ndarray:
    """Per row of a (links × channels) count matrix, the list of channels with a positive count.

    One list object per distinct combination (shared by the rows that have it): treat as read-only.

    Examples
    --------
    >>> counts = np.zeros((2, len(CHANNELS))); counts[1, [1, 3]] = 1
    >>> channel_lists(counts).tolist()
    [[], ['meeting', 'report']]
    """
    bits = (np.asarray(counts) > 0).astype(np.int64) @ (1 << np.arange(len(CHANNELS)))
    table = np.empty(1 << len(CHANNELS), dtype=object)
    for code in range(len(table)):
        table[code] = [c for i, c in enumerate(CHANNELS) if code >> i & 1]
    return table[bits]


def broken_links(
    network: Network,
    pressure: np.ndarray,
    parameters: Parameters | None = None,
    *,
    sources: Mapping[int, float] | None = None,
    top: int = 50,
    prepared: ImpactPlan | None = None,
    node_ids: np.ndarray | IdText | None = None,
) -> pd.DataFrame:
    """The broken links, sorted by impact: the repair list.

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node (computed with ``sources``).
    parameters : τ_weak comes from here (default: the contract's).
    sources : node position → pressure of the cascade's sources (default: ``default_sources``).
    top : how many links at the head get an exact what-if (the rest carry the estimate, an upper
        bound); see ``rank_impact``.
    prepared : the network's ``impact_plan``, when already built.
    node_ids : every node's id (``network.node_ids()``, or an ``IdText``), when already computed.

    Returns
    -------
    pandas.DataFrame
        ``source, target, category, weight, impact`` (DESIGN §6), then ``link_type``,
        ``source_entity`` and ``target_entity`` (the ids an evidence row names to feed the link),
        ``level`` (the target's), ``channels`` (the channels that fed it, a list), ``evidence``
        (the total count), ``source_pressure``, ``target_pressure``, ``impact_estimate`` (the
        linearized gain) and ``impact_exact`` (whether ``impact`` is the exact what-if).
        ``attrs["certified"]`` tells whether the exact head is proven to be the true top.

    Examples
    --------
    >>> from graphmodel.analysis.cascade import cascade
    >>> from graphmodel.analysis._examples import chain_network
    >>> net = chain_network([0.9, 0.3, 0.0])
    >>> table = broken_links(net, cascade(net, sources={0: 1.0}), sources={0: 1.0})
    >>> table[["source", "target", "category", "weight"]].values.tolist()
    [['principal:o1', 'principal:o2', 'weak', 0.3], ['principal:o2', 'principal:o3', 'missing', 0.0]]
    >>> table["impact"].round(2).tolist()  # 0.9·0.7 for o2 (nothing flows on to o3); 0.27 for o3
    [0.63, 0.27]
    """
    params = parameters or Parameters()
    links = np.flatnonzero(broken_mask(network, params.tau_weak))
    ranked = rank_impact(network, pressure, links, sources, prepared, top=top)
    links = ranked["link"].to_numpy()
    src, dst = network.edge_src[links], network.edge_dst[links]
    weight = network.edge_weight[links]
    if node_ids is None:
        source_ids, target_ids = network.node_ids(src), network.node_ids(dst)
    else:
        source_ids, target_ids = node_ids[src], node_ids[dst]
    counts = network.edge_counts[links]
    table = pd.DataFrame({
        "source": _text(source_ids),
        "target": _text(target_ids),
        "category": pd.Categorical.from_codes((weight > 0).astype(np.int8), categories=list(BROKEN_CATEGORIES)),
        "weight": weight,
        "impact": ranked["impact"].to_numpy(),
        "link_type": pd.Categorical.from_codes(network.edge_type[links], categories=list(LINK_TYPES)),
        "source_entity": _text(network.entity_ids(network.node_holder[src])),  # edge_from of the links
        "target_entity": _text(network.entity_ids(network.node_holder[dst])),  # edge_to of the links
        "level": network.node_level[dst],
        "channels": channel_lists(counts),
        "evidence": counts.sum(axis=1),
        "source_pressure": pressure[src],
        "target_pressure": pressure[dst],
        "impact_estimate": ranked["impact_estimate"].to_numpy(),
        "impact_exact": ranked["impact_exact"].to_numpy(),
    })
    table.attrs.update(ranked.attrs)
    return table


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
