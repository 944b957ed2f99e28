"""一岗双责 holders: who is cut off from the secretary above, or from the organizations below.

One entry per ``dual_duty:M@X`` node (one per membership of a member or deputy secretary M of X)
with the list of its statuses (DESIGN §5):

- ``no_duty``: it has no duty link (M is in charge of nothing below X);
- ``cut_off_above``: the link from ``first_person:X`` is not active, or X has no secretary;
- ``cut_off_below``: it has duty links, none of them active;
- ``isolated``: no active link in and none out.

A holder with an active link in and an active duty link out has an empty list.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from graphmodel.analysis.links import active_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.tree import DISCIPLINE
from graphmodel.model.network import DUAL_DUTY, DUTY_LINK, FD_LINK, Network

__all__ = ["DUAL_DUTY_STATUSES", "DUAL_DUTY_COLUMNS", "holder_status", "holder_shares"]

DUAL_DUTY_STATUSES = ("no_duty", "cut_off_above", "cut_off_below", "isolated")
DUAL_DUTY_COLUMNS = ("cadre", "org", "status")
"""The DESIGN §6 columns, first in that order; explanatory columns follow."""


def _flags(network: Network, tau_weak: float) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The dual_duty nodes, their (nodes × statuses) flags, and the per-node facts behind them."""
    nodes = np.flatnonzero(network.node_kind == DUAL_DUTY)
    n = network.n_nodes
    active = active_mask(network.edge_weight, tau_weak)
    fd = np.flatnonzero(network.edge_type == FD_LINK)
    in_weight = np.full(n, np.nan)
    in_weight[network.edge_dst[fd]] = network.edge_weight[fd]
    active_in = np.zeros(n, dtype=bool)
    active_in[network.edge_dst[fd]] = active[fd]
    duty = network.edge_type == DUTY_LINK
    out_links = np.bincount(network.edge_src[duty], minlength=n)[nodes]
    out_active = np.bincount(network.edge_src[duty & active], minlength=n)[nodes]
    above = ~active_in[nodes]
    flags = np.stack([out_links == 0, above, (out_links > 0) & (out_active == 0), above & (out_active == 0)], axis=1)
    facts = {"secretary_link_weight": in_weight[nodes], "duty_links": out_links, "active_duty_links": out_active}
    return nodes, flags, facts


def holder_status(
    network: Network,
    parameters: Parameters | None = None,
    pressure: np.ndarray | None = None,
) -> pd.DataFrame:
    """The statuses of every 一岗双责 holder.

    Parameters
    ----------
    network : the responsibility network.
    parameters : τ_weak comes from here (default: the contract's).
    pressure : the cascade's pressure per node, to show each holder's (optional).

    Returns
    -------
    pandas.DataFrame
        ``cadre, org, status`` (DESIGN §6; ``status`` a list in the order ``no_duty``,
        ``cut_off_above``, ``cut_off_below``, ``isolated``; the node is
        ``dual_duty:{cadre}@{org}``), then ``level``, ``leaf`` (the organization has no
        organization below it bearing principal responsibility, so its holders cannot be in
        charge of anything and always show ``no_duty``), ``secretary_link_weight`` (of first_person:X → it; null when X has no
        secretary), ``duty_links``, ``active_duty_links`` and, when given, ``pressure``. One row
        per node, in network order.

    Examples
    --------
    R's secretary s talks with m (w 0.55, active) but not with n; m is in charge of A, with one
    meeting (w 0.33, weak); n is in charge of nothing.

    >>> from graphmodel.analysis._examples import example_network
    >>> net = example_network(
    ...     [("R", "committee", ""), ("A", "committee", "R")],
    ...     posts=[("s", "R", "secretary"), ("m", "R", "member"), ("n", "R", "member")],
    ...     duties=[("m", "A")],
    ...     evidence=[("s", "m", "talk", 1), ("m", "A", "meeting", 1)])
    >>> holder_status(net)[["cadre", "status"]].values.tolist()
    [['m', ['cut_off_below']], ['n', ['no_duty', 'cut_off_above', 'isolated']]]
    """
    params = parameters or Parameters()
    nodes, flags, facts = _flags(network, params.tau_weak)
    bits = flags.astype(np.int64) @ (1 << np.arange(len(DUAL_DUTY_STATUSES)))
    table = np.empty(1 << len(DUAL_DUTY_STATUSES), dtype=object)
    for code in range(len(table)):
        table[code] = [s for i, s in enumerate(DUAL_DUTY_STATUSES) if code >> i & 1]
    tree = network.tree
    below = (tree.parent >= 0) & (tree.kind != DISCIPLINE)
    has_child = np.bincount(tree.parent[below], minlength=len(tree)) > 0
    frame = pd.DataFrame({
        "cadre": _text(network.entity_ids(network.node_holder[nodes])),
        "org": _text(network.tree.ids[network.node_org[nodes]]),
        "status": table[bits],
        "level": network.node_level[nodes],
        "leaf": ~has_child[network.node_org[nodes]],
        **facts,
    })
    if pressure is not None:
        frame["pressure"] = pressure[nodes]
    return frame


def holder_shares(
    network: Network,
    parameters: Parameters | None = None,
    by: Literal["org", "level"] = "org",
) -> pd.DataFrame:
    """Per organization (or per level) the number and share of isolated and cut-off holders.

    Parameters
    ----------
    network : the responsibility network.
    parameters : τ_weak comes from here (default: the contract's).
    by : ``"org"`` (organizations with at least one holder) or ``"level"``.

    Returns
    -------
    pandas.DataFrame
        ``org`` and ``level`` (or ``level`` alone), ``holders``, the count of each status
        (``no_duty``, ``cut_off_above``, ``cut_off_below``, ``isolated``), ``cut_off`` (holders
        cut off above or below), ``isolated_share`` and ``cut_off_share``.

    Examples
    --------
    >>> from graphmodel.analysis._examples import example_network
    >>> net = example_network(
    ...     [("R", "committee", ""), ("A", "committee", "R")],
    ...     posts=[("s", "R", "secretary"), ("m", "R", "member"), ("n", "R", "member")],
    ...     duties=[("m", "A")],
    ...     evidence=[("s", "m", "talk", 1), ("m", "A", "meeting", 1)])
    >>> holder_shares(net, by="level")[["level", "holders", "isolated_share", "cut_off_share"]].values.tolist()
    [[0.0, 2.0, 0.5, 1.0]]
    """
    if by not in ("org", "level"):
        raise ValueError(f"by must be 'org' or 'level', not {by!r}")
    params = parameters or Parameters()
    nodes, flags, _ = _flags(network, params.tau_weak)
    key = network.node_org[nodes] if by == "org" else network.node_level[nodes]
    size = int(key.max()) + 1 if len(key) else 0
    holders = np.bincount(key, minlength=size)
    groups = np.flatnonzero(holders)
    counts = {"holders": holders[groups]}
    cut = flags[:, 1] | flags[:, 2]
    for name, flag in [*zip(DUAL_DUTY_STATUSES, flags.T), ("cut_off", cut)]:
        counts[name] = np.bincount(key, weights=flag, minlength=size)[groups].astype(np.int64)
    head: dict[str, np.ndarray] = (
        {"org": network.tree.ids[groups], "level": network.tree.level[groups]} if by == "org" else {"level": groups}
    )
    frame = pd.DataFrame({**head, **counts})
    frame["isolated_share"] = frame["isolated"] / frame["holders"]
    frame["cut_off_share"] = frame["cut_off"] / frame["holders"]
    return frame


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
