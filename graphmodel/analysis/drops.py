"""Drops: organizations where pressure falls hard in one step down the tree.

An organization X bearing ``principal`` drops when ``p(principal:X) < ρ_drop · p(principal:P)``,
P its parent: the points where a weak link into X was not made up for by any other channel
(a member in charge, a discipline body).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.analysis.links import active_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.network import PP_LINK, PRINCIPAL, Network

__all__ = ["DROP_COLUMNS", "drops"]

DROP_COLUMNS = ("org", "parent", "pressure", "parent_pressure")
"""The DESIGN §6 columns, first in that order; explanatory columns follow."""


def drops(network: Network, pressure: np.ndarray, parameters: Parameters | None = None) -> pd.DataFrame:
    """The organizations whose principal pressure is below ρ_drop × their parent's.

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node.
    parameters : ρ_drop and τ_weak come from here (default: the contract's).

    Returns
    -------
    pandas.DataFrame
        ``org, parent, pressure, parent_pressure`` (DESIGN §6), then ``level`` (the org's),
        ``ratio`` (pressure / parent_pressure), ``link_weight`` (of principal:parent →
        principal:org), ``incoming`` (links into principal:org, that one included) and
        ``active_incoming`` (of them, those with w ≥ τ_weak). Sorted by ratio, then level,
        then the organizations' order in the dataset.

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> net = chain_network([0.9, 0.3, 0.9])  # pressures 1, 0.9, 0.27, 0.243
    >>> from graphmodel.analysis.cascade import cascade
    >>> table = drops(net, cascade(net, sources={0: 1.0}))
    >>> table[["org", "parent", "ratio"]].values.tolist()
    [['o2', 'o1', 0.3]]
    """
    params = parameters or Parameters()
    tree = network.tree
    is_principal = network.node_kind == PRINCIPAL
    principal_of = np.full(len(tree), -1, dtype=np.int64)
    principal_of[network.node_org[is_principal]] = np.flatnonzero(is_principal)
    nodes = np.flatnonzero(is_principal)
    orgs = network.node_org[nodes]
    parents = tree.parent[orgs]
    keep = parents >= 0
    nodes, orgs, parents = nodes[keep], orgs[keep], parents[keep]
    parent_nodes = principal_of[parents]
    p, pp = pressure[nodes], pressure[parent_nodes]
    hit = p < params.rho_drop * pp
    nodes, orgs, parents, p, pp = nodes[hit], orgs[hit], parents[hit], p[hit], pp[hit]

    dropped = np.zeros(network.n_nodes, dtype=bool)
    dropped[nodes] = True
    into = np.flatnonzero(dropped[network.edge_dst])  # the links into a dropped principal node
    dst, weight = network.edge_dst[into], network.edge_weight[into]
    link_weight = np.full(network.n_nodes, np.nan)
    from_parent = network.edge_type[into] == PP_LINK
    link_weight[dst[from_parent]] = weight[from_parent]
    incoming = np.bincount(dst, minlength=network.n_nodes)
    active = np.bincount(dst, weights=active_mask(weight, params.tau_weak), minlength=network.n_nodes)
    ratio = p / pp
    order = np.lexsort((orgs, tree.level[orgs], ratio))
    table = pd.DataFrame({
        "org": _text(tree.ids[orgs]),
        "parent": _text(tree.ids[parents]),
        "pressure": p,
        "parent_pressure": pp,
        "level": tree.level[orgs],
        "ratio": ratio,
        "link_weight": link_weight[nodes],
        "incoming": incoming[nodes],
        "active_incoming": active[nodes].astype(np.int64),
    })
    return table.iloc[order].reset_index(drop=True)


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
