"""The responsibility network of DESIGN §4 as compact arrays, built vectorized from a dataset.

Nodes are responsibilities (``principal:X``, ``first_person:X``, ``dual_duty:M@X``,
``supervisory:D``); links are the expected transmission links, each weighted by the evidence
that feeds it: ``w = 1 − exp(−Σ λ_channel × count)``. Entities (organizations and cadres) are
coded as integers: an organization is its position in the tree, a cadre is ``n_orgs`` plus its
position in ``cadre_ids``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.dataset.keys import string_keys
from graphmodel.dataset.reader import org_tree_of
from graphmodel.dataset.validate import arrow_strings, entity_table, vocabulary_codes
from graphmodel.errors import DatasetError, NetworkError, Problem
from graphmodel.memory import release_after
from graphmodel.model.tree import DISCIPLINE, OrgTree
from graphmodel.vocabulary import CHANNEL_LAMBDA, CHANNELS, LINK_TYPES, RESPONSIBILITY_KINDS

__all__ = [
    "Network",
    "build_network",
    "concat_ranges",
    "csr_pointers",
    "link_weights",
    "node_id_text",
    "PRINCIPAL",
    "FIRST_PERSON",
    "DUAL_DUTY",
    "SUPERVISORY",
    "STRUCTURAL_LINK",
]

PRINCIPAL, FIRST_PERSON, DUAL_DUTY, SUPERVISORY = range(4)
"""Codes of ``Network.node_kind``, in ``vocabulary.RESPONSIBILITY_KINDS`` order."""

(
    PP_LINK,
    STRUCTURAL_LINK,
    FD_LINK,
    FF_LINK,
    DUTY_LINK,
    SP_LINK,
    SS_LINK,
) = range(len(LINK_TYPES))


@dataclass(frozen=True, eq=False)
class Network:
    """Responsibility nodes and expected links as aligned numpy arrays.

    Attributes
    ----------
    tree : the organization tree.
    cadre_ids : cadre ids (the cadres frame's own array of ``str``, shared, not copied: indexing it
        with positions gives ids); cadre ``i`` has entity code ``len(tree) + i``.
    node_kind, node_org, node_holder, node_level : per node; ``node_kind`` codes follow
        ``RESPONSIBILITY_KINDS``; ``node_org`` is the organization position (for a
        ``supervisory`` node, the discipline body itself); ``node_holder`` the bearer's
        entity code (the organization for ``principal`` and ``supervisory``, the cadre
        otherwise).
    edge_src, edge_dst : node positions of each link.
    edge_type : index into ``vocabulary.LINK_TYPES``.
    edge_from, edge_to (properties) : entity codes an evidence row names to feed the link: the
        bearers of its two ends (``node_holder``).
    edge_counts : (links × channels) summed evidence counts, channels in ``CHANNELS`` order.
    edge_weight : the link weight; 1 for the structural link.
    node_order, generation_bounds : nodes in topological order, grouped in generations
        (a node's generation is the length of the longest path reaching it); generation ``g``
        is ``node_order[generation_bounds[g]:generation_bounds[g + 1]]``.
    skipped_evidence : evidence rows that matched no expected link (lenient reading only).
    evidence_pair, link_pair : the distinct evidence pair (from, to) of each evidence row (-1
        when it feeds no link) and of each link (-1 for the structural link): rows feed the links
        of their pair, so re-weighing a subset of the rows (one year's) needs no matching again.
    """

    tree: OrgTree
    cadre_ids: np.ndarray | pd.api.extensions.ExtensionArray
    node_kind: np.ndarray
    node_org: np.ndarray
    node_holder: np.ndarray
    node_level: np.ndarray
    edge_src: np.ndarray
    edge_dst: np.ndarray
    edge_type: np.ndarray
    edge_counts: np.ndarray
    edge_weight: np.ndarray
    node_order: np.ndarray
    generation_bounds: np.ndarray
    skipped_evidence: list[Problem] = field(default_factory=list)
    evidence_pair: np.ndarray | None = None
    link_pair: np.ndarray | None = None

    @property
    def n_nodes(self) -> int:
        return len(self.node_kind)

    @property
    def n_links(self) -> int:
        return len(self.edge_src)

    @property
    def edge_from(self) -> np.ndarray:
        """Entity code an evidence row names first to feed each link (the source's bearer)."""
        return self.node_holder[self.edge_src]

    @property
    def edge_to(self) -> np.ndarray:
        """Entity code an evidence row names second to feed each link (the target's bearer)."""
        return self.node_holder[self.edge_dst]

    @property
    def edge_structural(self) -> np.ndarray:
        return self.edge_type == STRUCTURAL_LINK

    def entity_ids(self, codes: np.ndarray) -> np.ndarray:
        """Organization or cadre ids of entity codes (object array)."""
        codes = np.asarray(codes, dtype=np.int64)
        n_orgs = len(self.tree)
        is_org = codes < n_orgs
        if is_org.all():
            return np.asarray(self.tree.ids[codes], dtype=object)
        if not is_org.any():
            return np.asarray(self.cadre_ids[codes - n_orgs], dtype=object)
        out = np.empty(len(codes), dtype=object)
        out[is_org] = self.tree.ids[codes[is_org]]
        out[~is_org] = self.cadre_ids[codes[~is_org] - n_orgs]
        return out

    def node_ids(self, nodes: np.ndarray | None = None) -> np.ndarray:
        """DESIGN §4 ids (``principal:X``, ``dual_duty:M@X`` …) of the given nodes (default: all)."""
        nodes = np.arange(self.n_nodes) if nodes is None else np.asarray(nodes, dtype=np.int64)
        kind = self.node_kind[nodes]
        dual = kind == DUAL_DUTY
        holders = np.full(len(nodes), None, dtype=object)
        holders[dual] = self.entity_ids(self.node_holder[nodes[dual]])
        text = node_id_text(kind, self.tree.ids[self.node_org[nodes]], holders)
        return np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)

    def node_index(self) -> pd.Index:
        """An index from node id to node position."""
        return pd.Index(self.node_ids())

    def with_weights(self, weights: np.ndarray) -> Network:
        """The same network with other link weights (a what-if)."""
        fields = dict(self.__dict__)
        fields["edge_weight"] = np.asarray(weights, dtype=np.float64)
        return Network(**fields)


def node_id_text(
    kind: np.ndarray, org: np.ndarray | pa.Array, holder: np.ndarray | pa.Array
) -> pa.Array:
    """DESIGN §4 node ids as Arrow text, from each node's kind code, organization id and holder id.

    ``org`` and ``holder`` are ids per node (object arrays of str, or Arrow text); ``holder`` is
    read only for ``dual_duty`` nodes (it may be null elsewhere). Joined by Arrow's string kernels,
    without a Python string per node.

    Examples
    --------
    >>> node_id_text(np.array([PRINCIPAL, DUAL_DUTY]), np.array(["A", "A"], dtype=object),
    ...              np.array([None, "m"], dtype=object)).to_pylist()
    ['principal:A', 'dual_duty:m@A']
    """
    text = pa.large_string()

    def as_text(values: np.ndarray | pa.Array) -> pa.Array:
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if isinstance(values, pa.Array):
            return values.cast(text)
        return pa.array(np.asarray(values, dtype=object), type=text, from_pandas=True)

    kind = np.asarray(kind)
    org, holder = as_text(org), as_text(holder)
    empty = pa.scalar("", text)
    order = np.argsort(kind, kind="stable")
    in_order = bool(np.all(order == np.arange(len(kind))))  # nodes come grouped by kind
    sizes = np.bincount(kind[order].astype(np.int64), minlength=len(RESPONSIBILITY_KINDS))
    parts = []
    for code, (name, start, size) in enumerate(zip(RESPONSIBILITY_KINDS, np.cumsum(sizes) - sizes, sizes)):
        if not size:
            continue
        rows = pa.array(order[start : start + size], type=pa.int64())
        orgs = org.slice(start, size) if in_order else org.take(rows)
        prefix = pa.scalar(f"{name}:", text)
        if code == DUAL_DUTY:
            holders = holder.slice(start, size) if in_order else holder.take(rows)
            parts.append(pc.binary_join_element_wise(prefix, holders, pa.scalar("@", text), orgs, empty))
        else:
            parts.append(pc.binary_join_element_wise(prefix, orgs, empty))
    joined = pa.concat_arrays(parts) if parts else pa.array([], type=text)
    if not in_order:
        inverse = np.empty(len(order), dtype=np.int64)
        inverse[order] = np.arange(len(order))
        joined = joined.take(pa.array(inverse, type=pa.int64()))
    return joined


def link_weights(
    counts: np.ndarray, edge_type: np.ndarray, channel_lambda: Mapping[str, float] | None = None
) -> np.ndarray:
    """Link weights ``1 − exp(−Σ λ·count)`` from channel counts; structural links weigh 1.

    Examples
    --------
    >>> counts = np.zeros((3, len(CHANNELS))); counts[0, CHANNELS.index("meeting")] = 1
    >>> counts[1, CHANNELS.index("talk")] = 1
    >>> link_weights(counts, np.array([0, 0, STRUCTURAL_LINK])).round(2).tolist()
    [0.33, 0.55, 1.0]
    """
    lam = dict(CHANNEL_LAMBDA)
    lam.update(channel_lambda or {})
    strengths = np.array([lam[c] for c in CHANNELS])
    counts = np.asarray(counts)
    weight = np.empty(len(counts), dtype=np.float64)
    for start in range(0, len(counts), 1 << 20):  # in float64, a block of links at a time
        block = slice(start, start + (1 << 20))
        weight[block] = counts[block].astype(np.float64) @ strengths
    np.negative(weight, out=weight)
    np.expm1(weight, out=weight)
    np.negative(weight, out=weight)
    weight[np.asarray(edge_type) == STRUCTURAL_LINK] = 1.0
    return weight


def build_network(
    dataset: object,
    *,
    lenient: bool = False,
    channel_lambda: Mapping[str, float] | None = None,
    tree: OrgTree | None = None,
) -> Network:
    """Build the responsibility network of a validated dataset.

    Parameters
    ----------
    dataset : a ``Dataset`` (see ``graphmodel.dataset.reader``) that passed validation.
    lenient : skip evidence rows that match no expected link and list them in
        ``Network.skipped_evidence``, instead of refusing the dataset.
    channel_lambda : strengths λ overriding the defaults of DESIGN §2.
    tree : the dataset's ``OrgTree`` when already built.

    Returns
    -------
    Network

    Raises
    ------
    DatasetError
        An evidence row matches no expected link (unless ``lenient``), or a duty or
        supervision row names an organization that bears no principal responsibility.
    NetworkError
        The links form a cycle (impossible for a dataset that passed validation).

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> net = build_network(read_dataset(sample_path()))
    >>> bool(net.n_links > net.n_nodes / 2)
    True
    """
    tree = tree or org_tree_of(dataset)
    n_orgs = len(tree)
    cadre_ids = dataset.cadres["id"].array  # type: ignore[attr-defined]  # shared with the dataset, no copy
    bears_principal = tree.kind != DISCIPLINE
    problems: list[Problem] = []

    posts = dataset.posts  # type: ignore[attr-defined]
    duties = dataset.duties  # type: ignore[attr-defined]
    sup = dataset.supervision  # type: ignore[attr-defined]
    evidence = dataset.evidence  # type: ignore[attr-defined]
    position = dataset.entity_positions if hasattr(dataset, "entity_positions") else _looked_up(dataset)
    post_org, post_cadre = position("posts.csv", "org_id"), position("posts.csv", "cadre_id")
    d_cadre, d_org = position("duties.csv", "cadre_id"), position("duties.csv", "org_id")
    s_d, s_y = position("supervision.csv", "discipline_id"), position("supervision.csv", "org_id")
    ev_from = position("evidence.csv", "from_id", compact=True)
    ev_to = position("evidence.csv", "to_id", compact=True)

    # Posts: secretaries and team members (entity codes).
    is_sec = (posts["role"] == "secretary").to_numpy(dtype=bool)
    secretary = np.full(n_orgs, -1, dtype=np.int64)
    secretary[post_org[is_sec]] = post_cadre[is_sec]
    disc_secretaries = np.unique(secretary[~bears_principal])
    team = (~is_sec) & bears_principal[post_org] & ~np.isin(post_cadre, disc_secretaries)
    team_org, team_cadre = post_org[team], post_cadre[team]

    # Nodes: principal, first_person, dual_duty, supervisory.
    p_orgs = np.flatnonzero(bears_principal)
    f_orgs = p_orgs[secretary[p_orgs] >= 0]
    s_orgs = np.flatnonzero(~bears_principal)
    node_kind = np.concatenate([
        np.full(len(p_orgs), PRINCIPAL), np.full(len(f_orgs), FIRST_PERSON),
        np.full(len(team_org), DUAL_DUTY), np.full(len(s_orgs), SUPERVISORY),
    ]).astype(np.int8)
    node_org = np.concatenate([p_orgs, f_orgs, team_org, s_orgs])
    node_holder = np.concatenate([p_orgs, secretary[f_orgs], team_cadre, s_orgs])
    node_level = tree.level[node_org]
    principal_of = np.full(n_orgs, -1, dtype=np.int64)
    principal_of[p_orgs] = np.arange(len(p_orgs))
    first_of = np.full(n_orgs, -1, dtype=np.int64)
    first_of[f_orgs] = len(p_orgs) + np.arange(len(f_orgs))
    dual_start = len(p_orgs) + len(f_orgs)
    dual_nodes = dual_start + np.arange(len(team_org))
    supervisory_of = np.full(n_orgs, -1, dtype=np.int64)
    supervisory_of[s_orgs] = dual_start + len(team_org) + np.arange(len(s_orgs))

    links: list[tuple[int, np.ndarray, np.ndarray]] = []

    def add(kind: int, src: np.ndarray, dst: np.ndarray) -> None:
        links.append((kind, src, dst))

    parent = tree.parent
    # principal:P -> principal:C
    c = p_orgs[parent[p_orgs] >= 0]
    add(PP_LINK, principal_of[parent[c]], principal_of[c])
    # principal:X -> first_person:X (structural)
    add(STRUCTURAL_LINK, principal_of[f_orgs], first_of[f_orgs])
    # first_person:X -> dual_duty:M@X
    has_sec = secretary[team_org] >= 0
    add(FD_LINK, first_of[team_org[has_sec]], dual_nodes[has_sec])
    # first_person:P -> first_person:C
    c = f_orgs[(parent[f_orgs] >= 0)]
    c = c[secretary[parent[c]] >= 0]
    add(FF_LINK, first_of[parent[c]], first_of[c])

    # dual_duty:M@X -> principal:Y, for every X above Y where M is on the team.
    if len(duties):
        bad = ~bears_principal[d_org]
        problems += [
            Problem("duties.csv", int(line), "org_id", f"'{oid}' is a discipline body, which bears no principal responsibility")
            for line, oid in zip(duties.index[bad], duties["org_id"][bad])
        ]
        # the distinct (cadre, org) pairs in that order, as one int64 key each
        pair_keys = np.unique(d_cadre[~bad].astype(np.int64) * n_orgs + d_org[~bad])
        pair_cadre, pair_org = pair_keys // n_orgs, pair_keys % n_orgs
        rows, anc = tree.ancestors(pair_org)
        team_keys = team_cadre.astype(np.int64) * n_orgs + team_org
        team_sorted = np.argsort(team_keys, kind="stable")
        sorted_keys = team_keys[team_sorted]
        wanted = pair_cadre[rows] * n_orgs + anc
        at = np.minimum(np.searchsorted(sorted_keys, wanted), max(len(team_keys) - 1, 0))
        ok = (sorted_keys[at] == wanted) if len(team_keys) else np.zeros(len(wanted), bool)
        rows, hit = rows[ok], team_sorted[at[ok]]
        add(DUTY_LINK, dual_nodes[hit], principal_of[pair_org[rows]])

    # supervisory:D -> principal:Y
    if "supervision.csv" in dataset.present:  # type: ignore[attr-defined]
        bad = ~bears_principal[s_y]
        problems += [
            Problem("supervision.csv", int(line), "org_id", f"'{oid}' is a discipline body: supervision links run to organizations bearing principal responsibility")
            for line, oid in zip(sup.index[bad], sup["org_id"][bad])
        ]
        pairs = np.unique(np.stack([s_d[~bad], s_y[~bad]], axis=1), axis=0)
        sup_d, sup_y = pairs[:, 0], pairs[:, 1]
    else:
        sup_d = s_orgs[tree.kind[parent[s_orgs]] != DISCIPLINE]
        sup_y = parent[sup_d]
    add(SP_LINK, supervisory_of[sup_d], principal_of[sup_y])

    # supervisory:D1 -> supervisory:D2: stationed (派驻), or the nearest 同级纪委 above.
    stationed = s_orgs[tree.kind[parent[s_orgs]] == DISCIPLINE]
    add(SS_LINK, supervisory_of[parent[stationed]], supervisory_of[stationed])
    same_level = s_orgs[tree.kind[parent[s_orgs]] != DISCIPLINE]
    jw_owner = parent[same_level]
    owners_sorted = np.argsort(jw_owner, kind="stable")
    owner_keys = jw_owner[owners_sorted]
    has_jw = np.zeros(n_orgs, dtype=bool)
    has_jw[jw_owner] = True
    rows = np.arange(len(same_level))
    up = parent[jw_owner]
    while len(rows):
        keep = up >= 0
        rows, up = rows[keep], up[keep]
        found = has_jw[up]
        f_rows, f_up = rows[found], up[found]
        lo = np.searchsorted(owner_keys, f_up, "left")
        hi = np.searchsorted(owner_keys, f_up, "right")
        reps = hi - lo
        d1 = same_level[owners_sorted[concat_ranges(lo, reps)]]
        d2 = np.repeat(same_level[f_rows], reps)
        add(SS_LINK, supervisory_of[d1], supervisory_of[d2])
        rows, up = rows[~found], parent[up[~found]]

    edge_type = np.concatenate([np.full(len(lk[1]), lk[0], dtype=np.int8) for lk in links])
    edge_src = np.concatenate([lk[1] for lk in links]).astype(np.int64, copy=False)
    edge_dst = np.concatenate([lk[2] for lk in links]).astype(np.int64, copy=False)
    del links

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphmodel-build") as pool:
        # the generations need only the links: worked out beside the evidence (numpy lets go of the GIL)
        generations = pool.submit(_generations, len(node_kind), edge_src, edge_dst)
        counts, unmatched, evidence_pair, link_pair = _evidence_counts(
            evidence, n_orgs + len(cadre_ids), ev_from, ev_to, node_holder, edge_src, edge_dst, edge_type)
        node_order, bounds = generations.result()
    skipped = [
        Problem("evidence.csv", int(line), "to_id", f"no expected link runs from '{f}' to '{t}'")
        for line, f, t in unmatched
    ]
    if skipped and not lenient:
        problems += skipped
    if problems:
        raise DatasetError(problems)
    weight = link_weights(counts, edge_type, channel_lambda)
    release_after(len(edge_src))
    return Network(
        tree, cadre_ids, node_kind, node_org, node_holder, node_level,
        edge_src, edge_dst, edge_type, counts, weight,
        node_order, bounds, skipped if lenient else [], evidence_pair, link_pair,
    )


def csr_pointers(keys: np.ndarray, n: int) -> np.ndarray:
    """CSR pointers of keys in [0, n): ``ptr[k]`` is how many keys are below ``k`` (``ptr[n]``: all),
    so the items of key ``k``, sorted by key, are ``ptr[k]:ptr[k + 1]``.

    Examples
    --------
    >>> csr_pointers(np.array([2, 0, 2]), 4).tolist()
    [0, 1, 1, 3, 3]
    """
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr


def _looked_up(dataset: Any) -> Callable[..., np.ndarray]:
    """``Dataset.entity_positions`` for a dataset-like object that has only the frames."""
    entities = entity_table(dataset.organizations["id"], dataset.cadres["id"])

    def position(file_name: str, column: str, compact: bool = False) -> np.ndarray:
        values = getattr(dataset, file_name.removesuffix(".csv"))[column]
        return entities.find(string_keys(arrow_strings(values)))

    return position


def concat_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``start, start + 1, …, start + length − 1`` of every range, concatenated.

    Examples
    --------
    >>> concat_ranges(np.array([10, 3]), np.array([2, 3])).tolist()
    [10, 11, 3, 4, 5]
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(np.asarray(starts, dtype=np.int64) - offsets, lengths) + np.arange(total, dtype=np.int64)


_BLOCK = 1 << 21
"""Evidence rows matched to their links at a time."""


def _evidence_counts(
    evidence: pd.DataFrame,
    n_entities: int,
    ev_from: np.ndarray,
    ev_to: np.ndarray,
    node_holder: np.ndarray,
    edge_src: np.ndarray,
    edge_dst: np.ndarray,
    edge_type: np.ndarray,
) -> tuple[np.ndarray, list[tuple[int, str, str]], np.ndarray, np.ndarray]:
    """Sum evidence counts per link and channel; list the rows that match no link.

    A link is fed by the evidence rows from its source's holder to its target's holder. Links
    that share such a pair (from, to) share their counts: the rows are summed once per distinct
    pair and the sums handed to every link of the pair.
    """
    counts = np.zeros((len(edge_src), len(CHANNELS)), dtype=np.float32)
    link_pair = np.full(len(edge_src), -1, dtype=np.int32)
    if not len(evidence):
        return counts, [], np.zeros(0, dtype=np.int32), link_pair
    matchable = np.flatnonzero(edge_type != STRUCTURAL_LINK)
    link_key = node_holder[edge_src[matchable]]
    link_key *= n_entities
    link_key += node_holder[edge_dst[matchable]]
    pairs, pair_of_link = np.unique(link_key, return_inverse=True)
    del link_key
    # Each row's pair among ``pairs`` (-1: none), block by block so that the temporaries stay small,
    # two blocks at a time (numpy lets go of the GIL).
    evidence_pair = np.full(len(evidence), -1, dtype=np.int32)

    def match(start: int) -> None:
        block = slice(start, start + _BLOCK)
        key = ev_from[block].astype(np.int64)
        key *= n_entities
        key += ev_to[block]
        key[(ev_from[block] < 0) | (ev_to[block] < 0)] = -1
        at = np.searchsorted(pairs, key)
        np.minimum(at, len(pairs) - 1, out=at)
        evidence_pair[block] = np.where(pairs[at] == key, at, -1)

    if len(pairs):
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphmodel-match") as pool:
            list(pool.map(match, range(0, len(evidence), _BLOCK)))
    miss = np.flatnonzero(evidence_pair < 0)
    channel = vocabulary_codes(evidence["channel"], CHANNELS).astype(np.int8)
    channel[miss] = -1
    count = evidence["count"].to_numpy(dtype=np.float64)
    per_pair = np.empty((len(pairs), len(CHANNELS)), dtype=np.float32)
    for c in range(len(CHANNELS)):  # channel by channel: the float64 sums of one channel at a time
        rows = np.flatnonzero(channel == c)
        per_pair[:, c] = np.bincount(evidence_pair[rows], weights=count[rows], minlength=len(pairs))
    del channel, rows
    for start in range(0, len(matchable), _BLOCK):  # whole rows, a block of links at a time
        block = slice(start, start + _BLOCK)
        counts[matchable[block]] = per_pair[pair_of_link[block]]
    del per_pair
    link_pair[matchable] = pair_of_link
    unmatched = [
        (int(evidence.index[i]), str(evidence["from_id"].iat[i]), str(evidence["to_id"].iat[i]))
        for i in miss
    ]
    return counts, unmatched, evidence_pair, link_pair


def _generations(n_nodes: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Topological generations by Kahn's algorithm, a whole frontier at a time."""
    small = np.int32 if n_nodes < 2**31 - 1 else np.int64  # half the memory for the temporaries
    out_dst = dst[np.argsort(src, kind="stable")].astype(small)
    indptr = csr_pointers(src, n_nodes)
    indegree = np.bincount(dst, minlength=n_nodes).astype(small)
    frontier = np.flatnonzero(indegree == 0)
    parts, bounds = [], [0]
    while len(frontier):
        parts.append(frontier)
        bounds.append(bounds[-1] + len(frontier))
        starts = indptr[frontier]
        lengths = indptr[frontier + 1] - starts
        targets = out_dst[concat_ranges(starts, lengths)]
        if not len(targets):
            break
        targets, hits = np.unique(targets, return_counts=True)
        indegree[targets] -= hits
        frontier = targets[indegree[targets] == 0]
    node_order = np.concatenate(parts).astype(np.int64, copy=False) if parts else np.zeros(0, dtype=np.int64)
    if len(node_order) < n_nodes:
        raise NetworkError(
            f"the responsibility links form a cycle through {n_nodes - len(node_order)} node(s); "
            "the dataset breaks the tree rules of DESIGN §3"
        )
    return node_order, np.asarray(bounds, dtype=np.int64)
