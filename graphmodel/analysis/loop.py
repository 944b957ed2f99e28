"""The closed loop 知责明责 → 履责尽责 → 考责问责 per organization.

An organization's *incoming links* are all links into any of its responsibility nodes:
``principal:X``, ``first_person:X`` and every ``dual_duty:M@X`` for an organization bearing
``principal`` (so the secretary's talks with the team count for X), ``supervisory:D`` for a
discipline body. A stage shows when at least one of those links was fed by evidence on one of the
stage's channels (DESIGN §2): ``know`` — responsibility letters; ``perform`` — meetings, talks,
reports; ``assess`` — assessments, inspections, accountability.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.network import Network
from graphmodel.vocabulary import CHANNEL_STAGE, CHANNELS, ORG_KINDS, STAGES

__all__ = ["LOOP_COLUMNS", "closed_loop", "loop_by_level"]

LOOP_COLUMNS = ("org", *STAGES)
"""The leading columns of the ``loop`` table; explanatory columns follow."""


def closed_loop(network: Network) -> pd.DataFrame:
    """Which stages of the closed loop each organization's incoming links show.

    Returns
    -------
    pandas.DataFrame
        ``org, know, perform, assess`` (booleans), then ``complete`` (all three), ``kind``,
        ``level``, ``incoming`` (its incoming links, the structural one excluded) and
        ``know_evidence``, ``perform_evidence``, ``assess_evidence`` (the summed counts on each
        stage's channels). One row per organization that bears a responsibility, in dataset order.

    Examples
    --------
    A receives a responsibility letter from R (know), and its secretary t talks with its member
    m (perform); nothing is assessed; nothing flows into R, the top.

    >>> from graphmodel.analysis._examples import example_network
    >>> net = example_network(
    ...     [("R", "committee", ""), ("A", "committee", "R")],
    ...     posts=[("s", "R", "secretary"), ("t", "A", "secretary"), ("m", "A", "member")],
    ...     evidence=[("R", "A", "responsibility_letter", 1), ("t", "m", "talk", 2)])
    >>> closed_loop(net)[["org", "know", "perform", "assess"]].values.tolist()
    [['R', False, False, False], ['A', True, True, False]]
    """
    tree = network.tree
    n_orgs = len(tree)
    target_org = network.node_org[network.edge_dst]
    evidence = np.zeros((n_orgs, len(STAGES)))
    for i, channel in enumerate(CHANNELS):
        s = STAGES.index(CHANNEL_STAGE[channel])
        evidence[:, s] += np.bincount(target_org, weights=network.edge_counts[:, i], minlength=n_orgs)
    incoming = np.bincount(target_org[~network.edge_structural], minlength=n_orgs)
    bearing = np.zeros(n_orgs, dtype=bool)
    bearing[network.node_org] = True
    orgs = np.flatnonzero(bearing)
    shows = evidence[orgs] > 0
    frame = pd.DataFrame({"org": _text(tree.ids[orgs])})
    for s, stage in enumerate(STAGES):
        frame[stage] = shows[:, s]
    frame["complete"] = shows.all(axis=1)
    frame["kind"] = pd.Categorical.from_codes(tree.kind[orgs], categories=list(ORG_KINDS))
    frame["level"] = tree.level[orgs]
    frame["incoming"] = incoming[orgs]
    for s, stage in enumerate(STAGES):
        frame[f"{stage}_evidence"] = evidence[orgs, s]
    return frame


def loop_by_level(table: pd.DataFrame) -> pd.DataFrame:
    """Per level: organizations, and the share showing each stage and the whole loop.

    Examples
    --------
    >>> table = pd.DataFrame({"level": [0, 1, 1], "know": [True, True, False],
    ...     "perform": [True, False, False], "assess": [False, False, True],
    ...     "complete": [False, False, False]})
    >>> loop_by_level(table)[["level", "organizations", "know"]].values.tolist()
    [[0.0, 1.0, 1.0], [1.0, 2.0, 0.5]]
    """
    grouped = table.groupby("level", sort=True)
    frame = grouped.size().rename("organizations").reset_index()
    means = grouped[[*STAGES, "complete"]].mean().reset_index(drop=True)
    return pd.concat([frame, means], axis=1)


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
