"""Readable names for a briefing: organization and cadre ids → their names, and the organizations table.

A report names organizations and cadres by what the dataset calls them. Without a dataset
(findings read back, a network built elsewhere) it falls back on the ids, and the
organizations table is rebuilt from the network's tree.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graphmodel.model.network import Network
from graphmodel.vocabulary import ORG_KINDS

__all__ = ["display_names", "organizations_frame"]


def _pairs(table: pd.DataFrame | None) -> dict[str, str]:
    if table is None or "id" not in table.columns or "name" not in table.columns:
        return {}
    ids = table["id"].astype(str).to_numpy()
    names = table["name"].fillna("").astype(str).to_numpy()
    return {i: n for i, n in zip(ids, names) if n}


def display_names(dataset: Any | None) -> dict[str, str]:
    """Organization and cadre id → name, from a dataset's ``organizations`` and ``cadres``.

    Ids without a name are left out (callers show the id). Organization and cadre ids never
    coincide (DESIGN §3), so one mapping serves both.

    Parameters
    ----------
    dataset : a ``Dataset`` (``read_dataset``, ``read_dataset_from_neo4j``) or ``None``.

    Returns
    -------
    dict

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> names = display_names(read_dataset(sample_path()))
    >>> names["O00000"]
    '中共上海市委员会'
    >>> display_names(None)
    {}
    """
    if dataset is None:
        return {}
    return _pairs(getattr(dataset, "organizations", None)) | _pairs(getattr(dataset, "cadres", None))


def organizations_frame(network: Network, dataset: Any | None = None) -> pd.DataFrame:
    """The organizations table (``id``, ``name``, ``kind``, ``parent_id``) for the tree figure.

    From the dataset when given, else from ``network.tree`` with each id as its name.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> net = build_network(read_dataset(sample_path()))
    >>> frame = organizations_frame(net)
    >>> frame.columns.tolist(), frame["parent_id"].iloc[0]
    (['id', 'name', 'kind', 'parent_id'], '')
    """
    if dataset is not None and getattr(dataset, "organizations", None) is not None:
        orgs = dataset.organizations
        frame = pd.DataFrame({
            "id": orgs["id"].astype(str).to_numpy(),
            "name": (orgs["name"] if "name" in orgs.columns else orgs["id"]).fillna("").astype(str).to_numpy(),
            "kind": orgs["kind"].astype(str).to_numpy(),
            "parent_id": orgs["parent_id"].fillna("").astype(str).to_numpy(),
        })
        return frame
    tree = network.tree
    ids = tree.ids.astype(str)
    parent = np.where(tree.parent >= 0, ids[np.maximum(tree.parent, 0)], "")
    return pd.DataFrame({
        "id": ids,
        "name": ids,
        "kind": np.asarray(ORG_KINDS, dtype=object)[tree.kind],
        "parent_id": parent.astype(object),
    })
