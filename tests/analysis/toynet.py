"""Toy datasets and random networks for the analysis tests.

``toy_dataset`` builds the in-memory dataset that ``build_network`` reads (frames indexed by
physical line number, as the reader produces); ``dag_network`` wraps bare arrays into a
``Network``; the hypothesis strategies draw random valid datasets and random DAGs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from graphmodel.model.network import PP_LINK, Network, _generations, build_network
from graphmodel.model.tree import OrgTree
from graphmodel.vocabulary import CHANNELS

__all__ = ["toy_dataset", "dag_network", "datasets", "dags", "evidence_for", "with_evidence"]


def _frame(rows: Iterable[Sequence[object]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=columns, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def toy_dataset(
    orgs: Sequence[tuple[str, str, str]],
    posts: Sequence[tuple[str, str, str]] = (),
    duties: Sequence[tuple[str, str]] = (),
    supervision: Sequence[tuple[str, str]] | None = None,
    evidence: Sequence[tuple[str, str, str, float]] = (),
) -> SimpleNamespace:
    """A dataset: orgs (id, kind, parent_id), posts (cadre, org, role), duties (cadre, org),
    supervision (discipline, org) or None for the default, evidence (from, to, channel, count)."""
    cadres = sorted({c for c, _, _ in posts} | {c for c, _ in duties})
    present = {"organizations.csv", "cadres.csv", "posts.csv", "duties.csv", "evidence.csv"}
    if supervision is not None:
        present.add("supervision.csv")
    ev = _frame(evidence, ["from_id", "to_id", "channel", "count"])
    ev["count"] = ev["count"].astype(np.float64)
    return SimpleNamespace(
        organizations=_frame([(i, i, k, p) for i, k, p in orgs], ["id", "name", "kind", "parent_id"]),
        cadres=_frame([(c, c) for c in cadres], ["id", "name"]),
        posts=_frame(posts, ["cadre_id", "org_id", "role"]),
        duties=_frame(duties, ["cadre_id", "org_id"]),
        supervision=_frame(supervision or [], ["discipline_id", "org_id"]),
        evidence=ev,
        present=present,
    )


def with_evidence(dataset: SimpleNamespace, evidence: Sequence[tuple[str, str, str, float]]) -> SimpleNamespace:
    """The same dataset with other evidence rows."""
    ev = _frame(evidence, ["from_id", "to_id", "channel", "count"])
    ev["count"] = ev["count"].astype(np.float64)
    return SimpleNamespace(**{**vars(dataset), "evidence": ev})


def evidence_for(network: Network) -> list[tuple[str, str]]:
    """The (from_id, to_id) pair that feeds each link of the network (None for structural)."""
    ids_from = network.entity_ids(network.edge_from)
    ids_to = network.entity_ids(network.edge_to)
    structural = network.edge_structural
    return [None if s else (f, t) for f, t, s in zip(ids_from, ids_to, structural)]  # type: ignore[misc]


def dag_network(n: int, src: Sequence[int], dst: Sequence[int], weight: Sequence[float]) -> Network:
    """A bare network of ``n`` principal nodes (a chain of committees) with arbitrary DAG links."""
    ids = [f"o{i}" for i in range(n)]
    tree = OrgTree.from_frame(pd.DataFrame({"id": ids, "kind": ["committee"] * n, "parent_id": [""] + ids[:-1]}))
    src_a = np.asarray(src, dtype=np.int64)
    dst_a = np.asarray(dst, dtype=np.int64)
    order, bounds = _generations(n, src_a, dst_a)
    m = len(src_a)
    return Network(
        tree, np.zeros(0, dtype=object), np.zeros(n, dtype=np.int8), np.arange(n), np.arange(n),
        tree.level.copy(), src_a, dst_a, np.full(m, PP_LINK, dtype=np.int8),
        np.zeros((m, len(CHANNELS))), np.asarray(weight, dtype=np.float64), order, bounds,
    )


weights = st.one_of(st.just(0.0), st.just(1.0), st.floats(0.0, 1.0))


@st.composite
def dags(draw: st.DrawFn, max_nodes: int = 12, polytree: bool = False) -> tuple[Network, dict[int, float]]:
    """A random DAG network (nodes numbered in a topological order) and its sources.

    With ``polytree`` the underlying undirected graph is a forest: each node gets at most one
    link to an earlier node of another component (union–find), so no two paths reconverge.
    """
    n = draw(st.integers(2, max_nodes))
    src: list[int] = []
    dst: list[int] = []
    comp = list(range(n))

    def find(a: int) -> int:
        while comp[a] != a:
            a = comp[a]
        return a

    for v in range(1, n):
        parents = draw(st.lists(st.integers(0, v - 1), max_size=3, unique=True))
        for u in parents:
            if polytree:
                ru, rv = find(u), find(v)
                if ru == rv:
                    continue
                comp[ru] = rv
            src.append(u)
            dst.append(v)
    w = draw(st.lists(weights, min_size=len(src), max_size=len(src)))
    net = dag_network(n, src, dst, w)
    roots = [v for v in range(n) if v not in set(dst)]
    extra = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
    chosen = sorted(set(roots[:1]) | set(extra))
    sources = {v: draw(st.floats(0.0, 1.0)) if v != roots[0] else 1.0 for v in chosen}
    return net, sources


@st.composite
def datasets(draw: st.DrawFn, max_orgs: int = 9, evidence: bool = True) -> SimpleNamespace:
    """A random valid dataset: an org tree with 同级纪委 and 派驻 bodies, posts, duties and
    evidence rows on randomly chosen expected links (random channels and counts)."""
    n = draw(st.integers(1, max_orgs))
    orgs: list[tuple[str, str, str]] = [("o0", "committee", "")]
    for i in range(1, n):
        parent = draw(st.integers(0, i - 1))
        kind = draw(st.sampled_from(["committee", "committee", "leading_group", "branch"]))
        orgs.append((f"o{i}", kind, f"o{parent}"))
    committees = [o for o, k, _ in orgs if k == "committee"]
    disc: list[tuple[str, str, str]] = []
    for c in committees:
        if c == "o0" or draw(st.booleans()):
            disc.append((f"jw_{c}", "discipline", c))
            if draw(st.integers(0, 3)) == 0:
                disc.append((f"pz_{c}", "discipline", f"jw_{c}"))
    posts: list[tuple[str, str, str]] = []
    team: dict[str, list[str]] = {}
    for o, _, _ in orgs:
        if draw(st.integers(0, 4)) > 0:
            posts.append((f"s_{o}", o, "secretary"))
        for j in range(draw(st.integers(0, 3))):
            role = draw(st.sampled_from(["member", "deputy_secretary"]))
            posts.append((f"m{j}_{o}", o, role))
            team.setdefault(o, []).append(f"m{j}_{o}")
    secretaries = {o for _, o, r in posts if r == "secretary"}
    for o, _, p in orgs[1:]:
        if o in secretaries and draw(st.integers(0, 3)) == 0:
            posts.append((f"s_{o}", p, "member"))  # a child's secretary on the parent's team
            team.setdefault(p, []).append(f"s_{o}")
    for d, _, _ in disc:
        if draw(st.booleans()):
            posts.append((f"s_{d}", d, "secretary"))
    parent_of = {o: p for o, _, p in orgs}

    def below(x: str) -> list[str]:
        out = []
        for y, _, _ in orgs:
            p = parent_of[y]
            while p:
                if p == x:
                    out.append(y)
                    break
                p = parent_of[p]
        return out

    duties: list[tuple[str, str]] = []
    for x, members in team.items():
        targets = below(x)
        for m in members:
            if targets and draw(st.booleans()):
                duties.append((m, draw(st.sampled_from(targets))))
    supervision = None
    if draw(st.booleans()):
        supervision = []
        for d, _, p in disc:
            committee = p if not p.startswith("jw_") else p[3:]
            scope = [committee] + below(committee)
            for y in draw(st.lists(st.sampled_from(scope), max_size=3, unique=True)):
                supervision.append((d, y))
    data = toy_dataset(orgs + disc, posts, duties, supervision)
    if not evidence:
        return data
    pairs = [pair for pair in evidence_for(build_network(data)) if pair is not None]
    rows = []
    for pair in pairs:
        for _ in range(draw(st.integers(0, 2))):
            channel = draw(st.sampled_from(CHANNELS))
            count = draw(st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0]))
            rows.append((pair[0], pair[1], channel, count))
    return with_evidence(data, rows)


def hand_dataset() -> SimpleNamespace:
    """The worked example of the analysis tests (pressures computed by hand in their comments).

    R (committee, root) has its 纪委 jw and children A (committee) and C (leading group); B is a
    branch under A without a secretary. R's team: m (member, in charge of A and B) and d (deputy,
    in charge of C); A's team: a1 (in charge of B); B's: b1; C has a secretary and no team.
    """
    return toy_dataset(
        [("R", "committee", ""), ("jw", "discipline", "R"), ("A", "committee", "R"),
         ("B", "branch", "A"), ("C", "leading_group", "R")],
        posts=[("sR", "R", "secretary"), ("m", "R", "member"), ("d", "R", "deputy_secretary"),
               ("sA", "A", "secretary"), ("a1", "A", "member"), ("b1", "B", "member"),
               ("sC", "C", "secretary"), ("sJ", "jw", "secretary")],
        duties=[("m", "A"), ("m", "B"), ("d", "C"), ("a1", "B")],
        evidence=[
            ("R", "A", "talk", 1),                    # principal R → A: 0.5507
            ("R", "C", "meeting", 1),                 # principal R → C: 0.3297 weak
            ("sR", "m", "responsibility_letter", 1),  # first_person R → m@R: 0.6988
            ("sR", "d", "meeting", 1),                # first_person R → d@R: 0.3297 weak
            ("sR", "sA", "talk", 1),                  # first_person R → A: 0.5507
            ("m", "A", "report", 1),                  # m@R → principal A: 0.3935 weak
            ("d", "C", "assessment", 1),              # d@R → principal C: 0.5507
            ("a1", "B", "inspection", 2),             # a1@A → principal B: 0.7981
            ("jw", "R", "inspection", 1),             # supervisory jw → principal R: 0.5507
        ],  # missing: A → B, sR → sC, sA → a1, m → B
    )
