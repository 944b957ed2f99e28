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

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from graphmodel.analysis.ids import IdText, taken_text
from graphmodel.analysis.links import active_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.tree import DISCIPLINE
from graphmodel.model.network import DUAL_DUTY, DUTY_LINK, FD_LINK, Network

__all__ = ["DUAL_DUTY_STATUSES", "DUAL_DUTY_COLUMNS", "HolderFlags", "holder_flags", "holder_status", "holder_shares"]

DUAL_DUTY_STATUSES = ("no_duty", "cut_off_above", "cut_off_below", "isolated")
DUAL_DUTY_COLUMNS = ("cadre", "org", "status")
"""The DESIGN §6 columns, first in that order; explanatory columns follow."""


@dataclass(frozen=True, eq=False)
class HolderFlags:
    """The dual_duty nodes, their (nodes × statuses) flags, and the per-node facts behind them:
    what ``holder_status`` and ``holder_shares`` read, computed once by ``holder_flags``."""

    nodes: np.ndarray
    flags: np.ndarray
    facts: dict[str, np.ndarray]


def holder_flags(network: Network, parameters: Parameters | None = None) -> HolderFlags:
    """The statuses of every 一岗双责 holder as flags (pass to ``holder_status`` and ``holder_shares``)."""
    tau_weak = (parameters or Parameters()).tau_weak
    nodes = np.flatnonzero(network.node_kind == DUAL_DUTY)
    n = network.n_nodes
    active = active_mask(network.edge_weight, tau_weak)
    fd = np.flatnonzero(network.edge_type == FD_LINK)
    in_weight = np.full(n, np.nan)
    in_weight[network.edge_dst[fd]] = network.edge_weight[fd]
    active_in = np.zeros(n, dtype=bool)
    active_in[network.edge_dst[fd]] = active[fd]
    duty = np.flatnonzero(network.edge_type == DUTY_LINK)
    duty_src = network.edge_src[duty]
    out_links = np.bincount(duty_src, minlength=n)[nodes]
    out_active = np.bincount(duty_src[active[duty]], minlength=n)[nodes]
    above = ~active_in[nodes]
    flags = np.stack([out_links == 0, above, (out_links > 0) & (out_active == 0), above & (out_active == 0)], axis=1)
    facts = {"secretary_link_weight": in_weight[nodes], "duty_links": out_links, "active_duty_links": out_active}
    return HolderFlags(nodes, flags, facts)


def holder_status(
    network: Network,
    parameters: Parameters | None = None,
    pressure: np.ndarray | None = None,
    *,
    flags: HolderFlags | None = None,
    ids: IdText | None = None,
) -> pd.DataFrame:
    """The statuses of every 一岗双责 holder.

    Parameters
    ----------
    network : the responsibility network.
    parameters : τ_weak comes from here (default: the contract's).
    pressure : the cascade's pressure per node, to show each holder's (optional).
    flags : the network's ``holder_flags`` (with the same τ_weak), when already computed.

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
    prepared = flags or holder_flags(network, parameters)
    nodes, facts = prepared.nodes, prepared.facts
    bits = _bits(prepared.flags)
    table = np.empty(1 << len(DUAL_DUTY_STATUSES), dtype=object)
    for code in range(len(table)):
        table[code] = [s for i, s in enumerate(DUAL_DUTY_STATUSES) if code >> i & 1]
    tree = network.tree
    below = (tree.parent >= 0) & (tree.kind != DISCIPLINE)
    has_child = np.bincount(tree.parent[below], minlength=len(tree)) > 0
    org = network.node_org[nodes]
    frame = pd.DataFrame({
        "cadre": _text(network.entity_ids(network.node_holder[nodes])) if ids is None else taken_text(ids.node_holders, nodes),
        "org": _text(network.tree.ids[org]) if ids is None else taken_text(ids.node_orgs, nodes),
        "status": table[bits],
        "level": network.node_level[nodes],
        "leaf": ~has_child[org],
        **{name: value.copy() for name, value in facts.items()},
    }, copy=False)
    if pressure is not None:
        frame["pressure"] = pressure[nodes]
    return frame


def holder_shares(
    network: Network,
    parameters: Parameters | None = None,
    by: Literal["org", "level"] = "org",
    *,
    flags: HolderFlags | None = None,
    ids: IdText | None = None,
) -> pd.DataFrame:
    """Per organization (or per level) the number and share of isolated and cut-off holders.

    Parameters
    ----------
    network : the responsibility network.
    parameters : τ_weak comes from here (default: the contract's).
    by : ``"org"`` (organizations with at least one holder) or ``"level"``.
    flags : the network's ``holder_flags`` (with the same τ_weak), when already computed.
    ids : the network's ``IdText``, to take the organization ids from.

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
    prepared = flags or holder_flags(network, parameters)
    nodes, flag = prepared.nodes, prepared.flags
    key = network.node_org[nodes] if by == "org" else network.node_level[nodes]
    size = int(key.max()) + 1 if len(key) else 0
    holders = np.bincount(key, minlength=size)
    groups = np.flatnonzero(holders)
    counts = {"holders": holders[groups]}
    cut = flag[:, 1] | flag[:, 2]
    for name, column in [*zip(DUAL_DUTY_STATUSES, flag.T), ("cut_off", cut)]:
        counts[name] = np.bincount(key, weights=column, minlength=size)[groups].astype(np.int64)
    head: dict[str, Any] = {"level": groups}
    if by == "org":
        org = network.tree.ids[groups] if ids is None else taken_text(ids.orgs, groups)
        head = {"org": org, "level": network.tree.level[groups]}
    frame = pd.DataFrame({**head, **counts})
    frame["isolated_share"] = frame["isolated"] / frame["holders"]
    frame["cut_off_share"] = frame["cut_off"] / frame["holders"]
    return frame


def _bits(flags: np.ndarray) -> np.ndarray:
    """Each row of (nodes × statuses) flags as a number: bit i set for status i."""
    bits = np.zeros(len(flags), dtype=np.int64)
    for i in range(flags.shape[1]):
        bits |= flags[:, i].astype(np.int64) << i
    return bits


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
