"""Small networks for the analyses' docstring examples (not part of the public API)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from graphmodel.model.network import PP_LINK, Network, _generations, build_network
from graphmodel.model.tree import OrgTree
from graphmodel.vocabulary import CHANNELS

__all__ = ["example_network", "chain_network"]


def example_network(
    orgs: Sequence[tuple[str, str, str]],
    posts: Sequence[tuple[str, str, str]] = (),
    duties: Sequence[tuple[str, str]] = (),
    evidence: Sequence[tuple[str, str, str, float]] = (),
    supervision: Sequence[tuple[str, str]] | None = None,
) -> Network:
    """The network of a dataset given as rows: orgs (id, kind, parent_id), posts (cadre, org,
    role), duties (cadre, org), evidence (from, to, channel, count), supervision (discipline, org)
    or None for the default. The rows go through a dataset folder and ``read_dataset``.

    Examples
    --------
    >>> example_network([("R", "committee", "")], [("s", "R", "secretary")]).n_nodes
    2
    """
    from graphmodel.dataset.reader import read_dataset  # noqa: PLC0415

    cadres = sorted({c for c, _, _ in posts} | {c for c, _ in duties})
    tables: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {
        "organizations": (["id", "name", "kind", "parent_id"], [(i, i, k, p) for i, k, p in orgs]),
        "cadres": (["id", "name"], [(c, c) for c in cadres]),
        "posts": (["cadre_id", "org_id", "role"], list(posts)),
        "duties": (["cadre_id", "org_id"], list(duties)),
        "evidence": (["from_id", "to_id", "channel", "count"], list(evidence)),
    }
    if supervision is not None:
        tables["supervision"] = (["discipline_id", "org_id"], list(supervision))
    with tempfile.TemporaryDirectory() as tmp:
        for name, (header, rows) in tables.items():
            with open(Path(tmp) / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                writer.writerows(rows)
        return build_network(read_dataset(tmp))


def chain_network(weights: Sequence[float]) -> Network:
    """A bare chain of committees o0 → o1 → … whose principal links have the given weights.

    Examples
    --------
    >>> chain_network([0.5, 0.4]).edge_weight.tolist()
    [0.5, 0.4]
    """
    n = len(weights) + 1
    ids = [f"o{i}" for i in range(n)]
    tree = OrgTree.from_frame(pd.DataFrame({
        "id": ids, "kind": ["committee"] * n, "parent_id": [""] + ids[:-1],
    }))
    src, dst = np.arange(n - 1), np.arange(1, n)
    order, bounds = _generations(n, src, dst)
    return Network(
        tree, np.zeros(0, dtype=object), np.zeros(n, dtype=np.int8), np.arange(n),
        np.arange(n), tree.level.copy(), src, dst, np.full(n - 1, PP_LINK, dtype=np.int8),
        np.zeros((n - 1, len(CHANNELS))), np.asarray(weights, dtype=np.float64),
        order, bounds,
    )
