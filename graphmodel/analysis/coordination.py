"""四责协同: how well an organization's four responsibilities work together.

Per organization X bearing ``principal`` (DESIGN §5), four component scores:

- ``principal``: p(principal:X);
- ``first_person``: p(first_person:X) × the share of X's 一岗双责 nodes with an active link from it;
- ``dual_duty``: the mean p of X's 一岗双责 nodes × the share of them with an active duty link;
- ``supervisory``: the best p(D)·w(D→X) over the discipline bodies D that supervise X;

a missing secretary, team or supervisor scores 0. The ``index`` is their geometric mean (0 when
any is 0) and ``weakest`` names the first minimum in that order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.analysis.links import active_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.model.network import (
    DUAL_DUTY,
    DUTY_LINK,
    FD_LINK,
    FIRST_PERSON,
    PRINCIPAL,
    SP_LINK,
    Network,
)
from graphmodel.vocabulary import ORG_KINDS, RESPONSIBILITY_KINDS

__all__ = ["COORDINATION_COLUMNS", "coordination", "weakest_by_level"]

COORDINATION_COLUMNS = ("org", *RESPONSIBILITY_KINDS, "index", "weakest")
"""The DESIGN §6 columns, first in that order; explanatory columns follow."""


def coordination(network: Network, pressure: np.ndarray, parameters: Parameters | None = None) -> pd.DataFrame:
    """The four component scores, the index and the weakest component of every organization.

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node.
    parameters : τ_weak comes from here (default: the contract's).

    Returns
    -------
    pandas.DataFrame
        ``org, principal, first_person, dual_duty, supervisory, index, weakest`` (DESIGN §6),
        then ``kind``, ``level``, ``team`` (its 一岗双责 nodes), ``team_reached`` (share with an
        active link from first_person:X), ``team_in_charge`` (share with an active duty link)
        and ``supervisors`` (supervision links into it). One row per organization bearing
        ``principal``, in dataset order.

    Examples
    --------
    The root R with its 纪委 jw (both sources, pressure 1), secretary s and two members: s talks
    with m only (w 0.55), nobody is in charge of anything, jw has no evidence on R.

    >>> from graphmodel.analysis._examples import example_network
    >>> from graphmodel.analysis.cascade import cascade
    >>> net = example_network(
    ...     [("R", "committee", ""), ("jw", "discipline", "R")],
    ...     posts=[("s", "R", "secretary"), ("m", "R", "member"), ("n", "R", "member")],
    ...     evidence=[("s", "m", "talk", 1)])
    >>> table = coordination(net, cascade(net))
    >>> table[["principal", "first_person", "dual_duty", "supervisory"]].round(3).values.tolist()
    [[1.0, 0.5, 0.0, 0.0]]
    >>> table[["index", "weakest"]].values.tolist()  # no member is in charge of anything
    [[0.0, 'dual_duty']]
    """
    params = parameters or Parameters()
    tree = network.tree
    n_orgs = len(tree)
    kind, org = network.node_kind, network.node_org
    active = active_mask(network.edge_weight, params.tau_weak)
    src, dst, etype = network.edge_src, network.edge_dst, network.edge_type

    def per_org(nodes: np.ndarray, values: np.ndarray) -> np.ndarray:
        out = np.zeros(n_orgs)
        out[org[nodes]] = values
        return out

    principal_nodes = np.flatnonzero(kind == PRINCIPAL)
    p_principal = per_org(principal_nodes, pressure[principal_nodes])
    first_nodes = np.flatnonzero(kind == FIRST_PERSON)
    p_first = per_org(first_nodes, pressure[first_nodes])

    dual_nodes = np.flatnonzero(kind == DUAL_DUTY)
    dual_org = org[dual_nodes]
    team = np.bincount(dual_org, minlength=n_orgs)
    reached_node = np.zeros(network.n_nodes, dtype=bool)
    reached_node[dst[(etype == FD_LINK) & active]] = True
    in_charge_node = np.zeros(network.n_nodes, dtype=bool)
    in_charge_node[src[(etype == DUTY_LINK) & active]] = True
    with np.errstate(invalid="ignore", divide="ignore"):
        reached = np.bincount(dual_org, weights=reached_node[dual_nodes], minlength=n_orgs) / team
        in_charge = np.bincount(dual_org, weights=in_charge_node[dual_nodes], minlength=n_orgs) / team
        mean_p = np.bincount(dual_org, weights=pressure[dual_nodes], minlength=n_orgs) / team
    has_team = team > 0
    first_score = np.where(has_team, p_first * np.nan_to_num(reached), 0.0)
    dual_score = np.where(has_team, np.nan_to_num(mean_p) * np.nan_to_num(in_charge), 0.0)

    sp = np.flatnonzero(etype == SP_LINK)
    supervisory = np.zeros(n_orgs)
    np.maximum.at(supervisory, org[dst[sp]], pressure[src[sp]] * network.edge_weight[sp])
    supervisors = np.bincount(org[dst[sp]], minlength=n_orgs)

    orgs = org[principal_nodes]
    scores = np.stack([p_principal[orgs], first_score[orgs], dual_score[orgs], supervisory[orgs]], axis=1)
    index = np.where(scores.min(axis=1) > 0, np.prod(scores, axis=1) ** 0.25, 0.0)
    weakest = np.argmin(scores, axis=1)
    frame = pd.DataFrame({
        "org": _text(tree.ids[orgs]),
        **{name: scores[:, i] for i, name in enumerate(RESPONSIBILITY_KINDS)},
        "index": index,
        "weakest": pd.Categorical.from_codes(weakest, categories=list(RESPONSIBILITY_KINDS)),
        "kind": pd.Categorical.from_codes(tree.kind[orgs], categories=list(ORG_KINDS)),
        "level": tree.level[orgs],
        "team": team[orgs],
        "team_reached": reached[orgs],
        "team_in_charge": in_charge[orgs],
        "supervisors": supervisors[orgs],
    })
    return frame


def weakest_by_level(table: pd.DataFrame) -> pd.DataFrame:
    """How often each component is the weakest, per level, and which one most often.

    Parameters
    ----------
    table : the ``coordination`` table.

    Returns
    -------
    pandas.DataFrame
        ``level``, ``organizations``, one count column per component (``principal``,
        ``first_person``, ``dual_duty``, ``supervisory``), ``most_often`` (the first component
        with the largest count, in that order) and ``mean_index``.

    Examples
    --------
    >>> table = pd.DataFrame({"level": [0, 1, 1, 1], "index": [0.9, 0.5, 0.1, 0.0],
    ...     "weakest": ["supervisory", "dual_duty", "first_person", "dual_duty"]})
    >>> weakest_by_level(table)[["level", "dual_duty", "most_often"]].values.tolist()
    [[0, 0, 'supervisory'], [1, 2, 'dual_duty']]
    """
    names = list(RESPONSIBILITY_KINDS)
    weakest = pd.Categorical(table["weakest"], categories=names)
    levels, inverse = np.unique(table["level"].to_numpy(), return_inverse=True)
    counts = np.zeros((len(levels), len(names)), dtype=np.int64)
    np.add.at(counts, (inverse, weakest.codes), 1)
    frame = pd.DataFrame({"level": levels, "organizations": counts.sum(axis=1)})
    for i, name in enumerate(names):
        frame[name] = counts[:, i]
    frame["most_often"] = np.asarray(names, dtype=object)[np.argmax(counts, axis=1)]
    index_sum = np.bincount(inverse, weights=table["index"].to_numpy(dtype=np.float64), minlength=len(levels))
    frame["mean_index"] = index_sum / np.maximum(frame["organizations"].to_numpy(), 1)
    return frame


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
