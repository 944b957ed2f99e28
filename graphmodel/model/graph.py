"""The networkx view of a responsibility network, for researchers.

The analysis path never builds it (a million organizations make a graph of several GB); it is
for notebooks and for checking the vectorized kernels against plain graph code.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from graphmodel.model.network import Network
from graphmodel.vocabulary import CHANNELS, LINK_TYPES, RESPONSIBILITY_KINDS

__all__ = ["to_networkx"]


def to_networkx(network: Network, pressure: np.ndarray | None = None) -> nx.DiGraph:
    """A ``networkx.DiGraph`` keyed by responsibility id.

    Node attributes: ``kind`` (principal, first_person, dual_duty, supervisory), ``holder``
    (organization or cadre id), ``org`` (organization id), ``level``, and ``pressure`` when
    given. Edge attributes: ``weight``, ``structural``, ``type`` (an entry of
    ``vocabulary.LINK_TYPES``), ``source_entity`` and ``target_entity`` (the ids an evidence
    row names to feed the link) and one count per evidence channel that fed it.

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> from graphmodel.model.network import build_network
    >>> net = build_network(read_dataset(sample_path()))
    >>> graph = to_networkx(net)
    >>> graph.number_of_edges() == net.n_links, nx.is_directed_acyclic_graph(graph)
    (True, True)
    """
    ids = network.node_ids()
    holders = network.entity_ids(network.node_holder)
    orgs = network.tree.ids[network.node_org]
    graph = nx.DiGraph()
    for i, node in enumerate(ids):
        attrs = {
            "kind": RESPONSIBILITY_KINDS[network.node_kind[i]],
            "holder": holders[i],
            "org": orgs[i],
            "level": int(network.node_level[i]),
        }
        if pressure is not None:
            attrs["pressure"] = float(pressure[i])
        graph.add_node(node, **attrs)
    src_entities = network.entity_ids(network.edge_from)
    dst_entities = network.entity_ids(network.edge_to)
    for e in range(network.n_links):
        attrs = {
            "weight": float(network.edge_weight[e]),
            "structural": bool(network.edge_structural[e]),
            "type": LINK_TYPES[network.edge_type[e]],
            "source_entity": src_entities[e],
            "target_entity": dst_entities[e],
        }
        counts = network.edge_counts[e]
        attrs.update({c: float(counts[k]) for k, c in enumerate(CHANNELS) if counts[k]})
        graph.add_edge(ids[network.edge_src[e]], ids[network.edge_dst[e]], **attrs)
    return graph
