"""一案双查: for a case, who bore the responsibility, and which weak links reached them.

“完善一案双查制度，把板子打到该打的人身上”: a case (cases.csv) puts two questions — the cadre
involved, and the holders of leadership responsibility for the organization where it occurred.
The trace lists, step by step up the tree (DESIGN §5):

- step 0, the case's organization X: the cadre involved (when cases.csv names one), X's secretary
  (``first_person:X``), the members in charge of X (each ``dual_duty:M@P`` with a duty link to
  ``principal:X``), the committee (``principal:X``) and the supervising discipline bodies (each
  ``supervisory:D`` with a supervision link to X);
- step k + 1, the parent P of the step-k organization Z, when a party-line link from P into Z
  (``principal:P → principal:Z`` or ``first_person:P → first_person:Z``) is weak or missing: the
  same holders of P; and so on up, while the links above are weak.

Each holder comes with the weak or missing links (w < τ_weak, DESIGN §5 broken links) that
*reached it* (its incoming links) and its own weak or missing link *toward the case* (the link by
which it should pass pressure on down the trace: the duty link of a member in charge, the
supervision link of a discipline body, the party-line link of the parent's committee and
secretary into the child, the secretary's link to the cadre involved). A holder is *implicated*
when either list is not empty. A vacant secretary is listed as ``vacant``.

A case in a discipline body D lists D's ``supervisory:D`` and climbs the discipline line along
its first weak link into D.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.analysis.ids import IdText, positions_in
from graphmodel.analysis.links import broken_mask
from graphmodel.analysis.parameters import Parameters
from graphmodel.errors import GraphModelError
from graphmodel.model.network import (
    DUAL_DUTY,
    DUTY_LINK,
    FD_LINK,
    FF_LINK,
    FIRST_PERSON,
    PP_LINK,
    PRINCIPAL,
    SP_LINK,
    SS_LINK,
    SUPERVISORY,
    Network,
    csr_pointers,
)
from graphmodel.model.tree import DISCIPLINE
from graphmodel.vocabulary import LINK_TYPES, RESPONSIBILITY_KINDS

__all__ = [
    "TRACE_ROLES",
    "CaseTrace",
    "CaseTraces",
    "trace_cases",
    "trace_case",
    "implicated_kinds",
]

TRACE_ROLES = ("cadre", "first_person", "dual_duty", "principal", "supervisory")
"""The holders' roles in a trace, in the order DESIGN §5 names them: the cadre involved, then the
four responsibility kinds."""
_CADRE, _FIRST, _DUAL, _PRINCIPAL, _SUPERVISORY = range(len(TRACE_ROLES))
_RELATIONS = ("reached_by", "toward_case")


@dataclass
class CaseTraces:
    """The traces of many cases, as two long tables.

    Attributes
    ----------
    holders : one row per holder per step: ``case, step, org, role, holder, responsibility,
        pressure, reached_by`` (how many weak or missing links reached it), ``failed_to_pass``
        (its own link toward the case is weak or missing), ``implicated``, ``vacant`` (a secretary
        that does not exist).
    links : one row per weak or missing link of a holder: ``case, step, org, role,
        responsibility, relation`` (``reached_by`` or ``toward_case``), ``source, target,
        link_type, category, weight``.
    cases : the number of cases traced.
    """

    holders: pd.DataFrame
    links: pd.DataFrame
    cases: int


@dataclass
class CaseTrace:
    """The trace of one case (see the module docstring).

    Attributes
    ----------
    case : the case's row of cases.csv (``id, org_id, cadre_id, date, kind``).
    holders, links : its rows of ``CaseTraces`` (``holders`` adds ``org_name`` and ``holder_name``).
    implicated : the responsibility kinds with at least one implicated holder.
    """

    case: dict[str, str]
    holders: pd.DataFrame
    links: pd.DataFrame
    implicated: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the case, the implicated kinds and every holder with its links.

        Examples
        --------
        >>> trace = _example()
        >>> out = trace.to_dict()
        >>> [h["role"] for h in out["holders"]][:2], out["holders"][1]["links"][0]["relation"]
        (['cadre', 'first_person'], 'toward_case')
        """
        holders = []
        for row in self.holders.itertuples(index=False):
            mine = self.links[(self.links["step"] == row.step) & (self.links["responsibility"] == row.responsibility)
                              & (self.links["role"] == row.role)]
            record = {k: _plain(v) for k, v in row._asdict().items()}
            record["links"] = [
                {k: _plain(v) for k, v in link.items()}
                for link in mine[["relation", "source", "target", "link_type", "category", "weight"]].to_dict("records")
            ] if row.responsibility else []
            holders.append(record)
        return {"case": dict(self.case), "implicated": list(self.implicated), "holders": holders}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


class _Index:
    """Look-ups from organizations to responsibilities and to the links the trace follows."""

    def __init__(self, network: Network, tau_weak: float) -> None:
        net = network
        self.n_orgs = n_orgs = len(net.tree)
        kind, org = net.node_kind, net.node_org
        self.node_of = {}
        for code in (PRINCIPAL, FIRST_PERSON, SUPERVISORY):
            table = np.full(n_orgs, -1, dtype=np.int64)
            nodes = np.flatnonzero(kind == code)
            table[org[nodes]] = nodes
            self.node_of[code] = table
        dual = np.flatnonzero(kind == DUAL_DUTY)
        self.dual_ptr, self.dual_nodes = _csr(org[dual], dual, n_orgs)
        self.broken = broken_mask(net, tau_weak)
        src, dst, etype = net.edge_src, net.edge_dst, net.edge_type
        b = np.flatnonzero(self.broken)
        self.in_ptr, self.in_edges = _csr(dst[b], b, net.n_nodes)
        duty, sp, pp, ff = (np.flatnonzero(etype == t) for t in (DUTY_LINK, SP_LINK, PP_LINK, FF_LINK))
        self.duty_ptr, self.duty_edges = _csr(org[dst[duty]], duty, n_orgs)
        self.sp_ptr, self.sp_edges = _csr(org[dst[sp]], sp, n_orgs)
        ss = np.flatnonzero((etype == SS_LINK) & self.broken)
        self.ss_ptr, self.ss_edges = _csr(org[dst[ss]], ss, n_orgs)
        self.pp_in = _only_in(org[dst[pp]], pp, n_orgs)
        self.ff_in = _only_in(org[dst[ff]], ff, n_orgs)
        fd = np.flatnonzero(etype == FD_LINK)
        self.fd_in = _only_in(dst[fd], fd, net.n_nodes)
        self.src = src

    def broken_edge(self, edges: np.ndarray) -> np.ndarray:
        """Each edge id where it is broken, else -1 (also -1 for -1)."""
        edges = np.asarray(edges, dtype=np.int64)
        ok = edges >= 0
        out = np.full(len(edges), -1, dtype=np.int64)
        out[ok] = np.where(self.broken[edges[ok]], edges[ok], -1)
        return out


def _only_in(keys: np.ndarray, edges: np.ndarray, n: int) -> np.ndarray:
    """Per key in [0, n), its one incoming link of a kind (-1 for none)."""
    out = np.full(n, -1, dtype=np.int64)
    out[keys] = edges
    return out


def _csr(keys: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    return csr_pointers(keys, n), np.asarray(values, dtype=np.int64)[order]


def _expand(ptr: np.ndarray, items: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each key, its CSR items: (position of the key, item)."""
    starts = ptr[keys]
    lengths = ptr[keys + 1] - starts
    owner = np.repeat(np.arange(len(keys)), lengths)
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return owner, items[starts[owner] + offsets]


class _Rows:
    """Holder rows accumulated step by step (aligned lists of arrays)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[np.ndarray]] = {k: [] for k in ("case", "step", "org", "role", "holder", "node", "toward")}

    def add(self, case: np.ndarray, step: int, org: np.ndarray, role: int, holder: np.ndarray, node: np.ndarray,
            toward: np.ndarray) -> None:
        n = len(case)
        for name, values in (("case", case), ("step", np.full(n, step)), ("org", org), ("role", np.full(n, role)),
                             ("holder", holder), ("node", node), ("toward", toward)):
            self.parts[name].append(np.asarray(values, dtype=np.int64))

    def arrays(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate(v) if v else np.zeros(0, dtype=np.int64) for k, v in self.parts.items()}


def trace_cases(
    network: Network,
    pressure: np.ndarray,
    cases: pd.DataFrame,
    parameters: Parameters | None = None,
    *,
    node_ids: np.ndarray | IdText | None = None,
) -> CaseTraces:
    """Trace every case of a cases table (vectorized over cases, one pass per step up the tree).

    Parameters
    ----------
    network : the responsibility network.
    pressure : the cascade's pressure per node.
    cases : the cases frame of a dataset (``id, org_id, cadre_id`` …).
    parameters : τ_weak comes from here (default: the contract's).
    node_ids : every node's id (``network.node_ids()``, or an ``IdText``), when already computed.

    Returns
    -------
    CaseTraces

    Examples
    --------
    A case in branch B (see ``_example_dataset``): the link from A's committee into B is missing,
    so the trace climbs to A, where the committee failed to pass pressure on and the secretary,
    reached by strong links, did not.

    >>> traces = _example_traces()
    >>> traces.holders[["step", "org", "role", "implicated"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[0, 'B', 'cadre', True], [0, 'B', 'first_person', True], [0, 'B', 'dual_duty', True],
     [0, 'B', 'principal', True], [1, 'A', 'first_person', False], [1, 'A', 'principal', True]]
    """
    params = parameters or Parameters()
    ix = _Index(network, params.tau_weak)
    tree = network.tree
    case_ids = np.asarray(cases["id"], dtype=object)
    org0 = positions_in(cases["org_id"], tree.ids)
    if (org0 < 0).any():
        bad = case_ids[org0 < 0][0]
        raise GraphModelError(f"case {bad!r} names an organization that is not in the network")
    cadre_text = np.asarray(cases["cadre_id"], dtype=object) if "cadre_id" in cases.columns else np.full(len(cases), "", dtype=object)

    rows = _Rows()
    # the cadre involved: his responsibility at the case's organization (a 一岗双责 node of its
    # team, or its first_person as secretary), found among that organization's holders
    with_cadre = np.flatnonzero(cadre_text != "")
    c_org, c_text = org0[with_cadre], cadre_text[with_cadre]
    c_node = np.full(len(with_cadre), -1, dtype=np.int64)
    owner, node = _expand(ix.dual_ptr, ix.dual_nodes, c_org)
    match = _cadre_ids(network, network.node_holder[node]) == c_text[owner]
    c_node[owner[match]] = node[match]
    first = ix.node_of[FIRST_PERSON][c_org]
    is_secretary = (c_node < 0) & (first >= 0)
    is_secretary[is_secretary] = _cadre_ids(network, network.node_holder[first[is_secretary]]) == c_text[is_secretary]
    c_node = np.where(is_secretary, first, c_node)
    c_code = np.where(c_node >= 0, network.node_holder[np.maximum(c_node, 0)], -1)
    rows.add(with_cadre, 0, c_org, _CADRE, c_code, c_node, np.full(len(with_cadre), -1))
    cadre_dual = np.full(len(cases), -1, dtype=np.int64)  # the cadre's dual_duty node at X, if any
    is_dual = (c_node >= 0) & ~is_secretary
    cadre_dual[with_cadre[is_dual]] = c_node[is_dual]

    active = np.arange(len(cases))
    cur, child, via = org0.copy(), np.full(len(cases), -1), np.full(len(cases), -1)
    step = 0
    while len(active):
        y, z = cur, child
        party = tree.kind[y] != DISCIPLINE
        pa, py, pz = active[party], y[party], z[party]
        # the secretary: toward the child's secretary (up the tree) or the cadre involved (step 0)
        f_node = ix.node_of[FIRST_PERSON][py]
        toward = np.where(pz >= 0, ix.ff_in[np.maximum(pz, 0)], ix.fd_in[np.maximum(cadre_dual[pa], 0)])
        toward = np.where((pz >= 0) | (cadre_dual[pa] >= 0), toward, -1)
        holder = np.where(f_node >= 0, network.node_holder[np.maximum(f_node, 0)], -1)
        rows.add(pa, step, py, _FIRST, holder, f_node, toward)
        # the members in charge of y
        owner, edge = _expand(ix.duty_ptr, ix.duty_edges, py)
        node = network.edge_src[edge]
        rows.add(pa[owner], step, py[owner], _DUAL, network.node_holder[node], node, edge)
        # the committee: toward the child's principal
        p_node = ix.node_of[PRINCIPAL][py]
        toward = np.where(pz >= 0, ix.pp_in[np.maximum(pz, 0)], -1)
        rows.add(pa, step, py, _PRINCIPAL, py, p_node, toward)
        # the discipline bodies supervising y
        owner, edge = _expand(ix.sp_ptr, ix.sp_edges, py)
        node = network.edge_src[edge]
        rows.add(pa[owner], step, py[owner], _SUPERVISORY, network.node_holder[node], node, edge)
        # a discipline body: its supervisory responsibility, toward the body below on the trace
        da, dy = active[~party], y[~party]
        rows.add(da, step, dy, _SUPERVISORY, dy, ix.node_of[SUPERVISORY][dy], via[~party])

        # up: the parent when a party-line link into y is weak; the discipline line likewise
        pp, ff = ix.pp_in[py], ix.ff_in[py]
        weak_above = ((pp >= 0) & ix.broken[np.maximum(pp, 0)]) | ((ff >= 0) & ix.broken[np.maximum(ff, 0)])
        go = weak_above & (tree.parent[py] >= 0)
        n_up = ix.ss_ptr[dy + 1] - ix.ss_ptr[dy]
        d_go = n_up > 0
        first_ss = ix.ss_edges[np.minimum(ix.ss_ptr[dy], max(len(ix.ss_edges) - 1, 0))] if len(ix.ss_edges) else np.zeros(len(dy), np.int64)
        active = np.concatenate([pa[go], da[d_go]])
        cur = np.concatenate([tree.parent[py[go]], network.node_org[ix.src[first_ss[d_go]]]])
        child = np.concatenate([py[go], dy[d_go]])
        via = np.concatenate([np.full(int(go.sum()), -1), first_ss[d_go]])
        order = np.argsort(active, kind="stable")
        active, cur, child, via = active[order], cur[order], child[order], via[order]
        step += 1

    return _tables(network, pressure, ix, rows.arrays(), case_ids, cadre_text, node_ids, len(cases))


def _obj(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of many strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)


def _cadre_ids(network: Network, codes: np.ndarray) -> np.ndarray:
    """Cadre ids of entity codes (object array)."""
    return network.cadre_ids[np.asarray(codes, dtype=np.int64) - len(network.tree)]


def _tables(network: Network, pressure: np.ndarray, ix: _Index, r: dict[str, np.ndarray], case_ids: np.ndarray,
            cadre_text: np.ndarray, node_ids: np.ndarray | IdText | None, n_cases: int) -> CaseTraces:
    order = np.lexsort((r["role"], r["step"], r["case"]))
    r = {k: v[order] for k, v in r.items()}
    node, toward = r["node"], r["toward"]
    has = node >= 0
    ids = node_ids if node_ids is not None else None
    responsibility = np.full(len(node), "", dtype=object)
    if has.any():
        responsibility[has] = ids[node[has]] if ids is not None else network.node_ids(node[has])
    reached = np.zeros(len(node), dtype=np.int64)
    reached[has] = ix.in_ptr[node[has] + 1] - ix.in_ptr[node[has]]
    bad_toward = ix.broken_edge(toward)
    failed = bad_toward >= 0
    holder = np.full(len(node), "", dtype=object)
    known = r["holder"] >= 0
    holder[known] = network.entity_ids(r["holder"][known])
    unborne = (r["role"] == _CADRE) & ~known  # a cadre involved who bears nothing at the organization
    holder[unborne] = cadre_text[r["case"][unborne]]
    p = np.full(len(node), np.nan)
    p[has] = pressure[node[has]]
    roles = np.asarray(TRACE_ROLES, dtype=object)
    holders = pd.DataFrame({
        "case": _obj(case_ids[r["case"]]),
        "step": r["step"],
        "org": _obj(network.tree.ids[r["org"]]),
        "role": _obj(roles[r["role"]]),
        "holder": _obj(holder),
        "responsibility": _obj(responsibility),
        "pressure": p,
        "reached_by": reached,
        "failed_to_pass": failed,
        "implicated": (reached > 0) | failed,
        "vacant": (r["role"] == _FIRST) & ~has,
    })
    # the links, long: every broken in-link of each holder's node, then its broken toward link
    row_in, edge_in = _expand(ix.in_ptr, ix.in_edges, np.where(has, node, 0))
    keep = has[row_in]
    row_in, edge_in = row_in[keep], edge_in[keep]
    row_out = np.flatnonzero(failed)
    link_row = np.concatenate([row_in, row_out])
    link_edge = np.concatenate([edge_in, bad_toward[row_out]])
    relation = np.concatenate([np.zeros(len(row_in), np.int8), np.ones(len(row_out), np.int8)])
    order = np.lexsort((relation, link_row))
    link_row, link_edge, relation = link_row[order], link_edge[order], relation[order]
    src, dst = network.edge_src[link_edge], network.edge_dst[link_edge]
    weight = network.edge_weight[link_edge]
    links = pd.DataFrame({
        "case": _obj(holders["case"].to_numpy()[link_row]),
        "step": r["step"][link_row],
        "org": _obj(holders["org"].to_numpy()[link_row]),
        "role": _obj(holders["role"].to_numpy()[link_row]),
        "responsibility": _obj(responsibility[link_row]),
        "relation": _obj(np.asarray(_RELATIONS, dtype=object)[relation]),
        "source": _obj(node_ids[src] if node_ids is not None else network.node_ids(src)),
        "target": _obj(node_ids[dst] if node_ids is not None else network.node_ids(dst)),
        "link_type": _obj(np.asarray(LINK_TYPES, dtype=object)[network.edge_type[link_edge]]),
        "category": _obj(np.where(weight > 0, "weak", "missing").astype(object)),
        "weight": weight,
    })
    return CaseTraces(holders, links, n_cases)


def trace_case(
    network: Network,
    pressure: np.ndarray,
    dataset: Any,
    case_id: str,
    parameters: Parameters | None = None,
) -> CaseTrace:
    """The 一案双查 trace of one case.

    Parameters
    ----------
    network : the responsibility network of ``dataset``.
    pressure : the cascade's pressure per node.
    dataset : the dataset (its ``cases`` frame, and the names of organizations and cadres).
    case_id : the case's id in cases.csv.
    parameters : τ_weak comes from here (default: the contract's).

    Returns
    -------
    CaseTrace

    Raises
    ------
    GraphModelError
        No case has that id.

    Examples
    --------
    >>> trace = _example()
    >>> trace.implicated
    ['principal', 'first_person', 'dual_duty']
    >>> trace.holders[["role", "holder", "responsibility", "implicated"]].values.tolist()[:2]
    [['cadre', 'b1', 'dual_duty:b1@B', True], ['first_person', 'sB', 'first_person:B', True]]
    """
    cases = dataset.cases
    match = np.flatnonzero(np.asarray(cases["id"], dtype=object) == case_id)
    if len(match) == 0:
        known = len(cases)
        raise GraphModelError(f"no case {case_id!r} in cases.csv ({known} case(s) there)")
    row = cases.iloc[match[:1]]
    traces = trace_cases(network, pressure, row, parameters)
    holders = traces.holders.copy()
    org_names = _names(dataset, "organizations")
    cadre_names = _names(dataset, "cadres")
    holders.insert(3, "org_name", holders["org"].map(org_names).fillna("").astype(object))
    names = holders["holder"].map(org_names).fillna(holders["holder"].map(cadre_names)).fillna("")
    holders.insert(6, "holder_name", names.astype(object))
    case = {k: str(v) for k, v in row.iloc[0].items()}
    return CaseTrace(case, holders, traces.links, _kinds_implicated(holders))


def _names(dataset: Any, table: str) -> dict[str, str]:
    frame = getattr(dataset, table, None)
    if frame is None or "name" not in frame.columns:
        return {}
    return dict(zip(np.asarray(frame["id"], dtype=object), np.asarray(frame["name"], dtype=object)))


def _kinds_implicated(holders: pd.DataFrame) -> list[str]:
    found = set(holders.loc[holders["implicated"].to_numpy(dtype=bool), "role"])
    return [k for k in RESPONSIBILITY_KINDS if k in found]


def implicated_kinds(traces: CaseTraces) -> pd.DataFrame:
    """How often each responsibility kind is implicated, over all traced cases.

    Returns
    -------
    pandas.DataFrame
        One row per kind (``RESPONSIBILITY_KINDS`` order): ``kind``, ``cases`` (cases in which a
        holder of that kind is implicated), ``share`` (of the cases traced), ``failed_to_pass``
        (cases in which one's own link toward the case is weak or missing), ``reached_weakly``
        (cases in which weak or missing links reached one), ``holders`` (implicated holder rows).
        ``attrs["most_often"]`` names the kind implicated in most cases (the first in that order
        on a tie; ``None`` when none is).

    Examples
    --------
    >>> table = implicated_kinds(_example_traces())
    >>> table[["kind", "cases"]].values.tolist()
    [['principal', 1], ['first_person', 1], ['dual_duty', 1], ['supervisory', 0]]
    >>> table.attrs["most_often"]
    'principal'
    """
    h = traces.holders
    kinds = list(RESPONSIBILITY_KINDS)
    role = pd.Index(kinds).get_indexer(h["role"]).astype(np.int64)  # -1: the cadre involved
    case = pd.factorize(h["case"])[0].astype(np.int64)
    bearer = role >= 0
    implicated = h["implicated"].to_numpy(dtype=bool) & bearer

    def cases_with(flag: np.ndarray) -> np.ndarray:
        """Per kind, the number of cases with a holder of that kind for which ``flag`` holds."""
        pairs = np.unique(case[flag] * len(kinds) + role[flag])
        return np.bincount(pairs % len(kinds), minlength=len(kinds)).astype(np.int64)

    out = pd.DataFrame({"kind": kinds})
    out["cases"] = cases_with(implicated)
    out["share"] = out["cases"] / traces.cases if traces.cases else np.nan
    out["failed_to_pass"] = cases_with(h["failed_to_pass"].to_numpy(dtype=bool) & bearer)
    out["reached_weakly"] = cases_with((h["reached_by"].to_numpy() > 0) & bearer)
    out["holders"] = np.bincount(role[implicated], minlength=len(kinds)).astype(np.int64)
    best = int(np.argmax(out["cases"].to_numpy())) if len(out) else 0
    out.attrs["most_often"] = kinds[best] if len(out) and out["cases"].iat[best] > 0 else None
    return out


def _example_dataset() -> Any:
    """A committee R over A over branch B; a1 (on A's team) is in charge of B; a case in B
    involving b1, a member of B. Missing: principal:A → principal:B and first_person:B →
    dual_duty:b1@B; weak: first_person:A → dual_duty:a1@A (a lone meeting)."""
    from types import SimpleNamespace

    def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
        out = pd.DataFrame(rows, columns=columns, dtype=object)
        out.index = pd.RangeIndex(2, 2 + len(out))
        return out

    evidence = frame([("R", "A", "talk", 1.0), ("sR", "sA", "talk", 1.0), ("sA", "a1", "meeting", 1.0),
                      ("a1", "B", "talk", 1.0), ("sA", "sB", "talk", 1.0), ("jw", "R", "inspection", 1.0)],
                     ["from_id", "to_id", "channel", "count"])
    evidence["count"] = evidence["count"].astype(float)
    return SimpleNamespace(
        organizations=frame([("R", "市委", "committee", ""), ("jw", "市纪委", "discipline", "R"),
                             ("A", "区委", "committee", "R"), ("B", "支部", "branch", "A")],
                            ["id", "name", "kind", "parent_id"]),
        cadres=frame([(c, c) for c in ("sR", "sA", "a1", "sB", "b1")], ["id", "name"]),
        posts=frame([("sR", "R", "secretary"), ("sA", "A", "secretary"), ("a1", "A", "member"),
                     ("sB", "B", "secretary"), ("b1", "B", "member")], ["cadre_id", "org_id", "role"]),
        duties=frame([("a1", "B")], ["cadre_id", "org_id"]),
        supervision=frame([], ["discipline_id", "org_id"]),
        evidence=evidence,
        cases=frame([("K1", "B", "b1", "2024-05-01", "违纪")], ["id", "org_id", "cadre_id", "date", "kind"]),
        present={"organizations.csv", "cadres.csv", "posts.csv", "duties.csv", "evidence.csv", "cases.csv"},
    )


def _example_parts() -> tuple[Network, np.ndarray, Any]:
    from graphmodel.analysis.cascade import cascade
    from graphmodel.model.network import build_network

    data = _example_dataset()
    net = build_network(data)
    return net, cascade(net), data


def _example_traces() -> CaseTraces:
    net, pressure, data = _example_parts()
    return trace_cases(net, pressure, data.cases)


def _example() -> CaseTrace:
    net, pressure, data = _example_parts()
    return trace_case(net, pressure, data, "K1")
