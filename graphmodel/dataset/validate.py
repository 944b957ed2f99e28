"""The rules of DESIGN §3 checked over the text frames of a dataset folder, every problem located.

Every check is vectorized: ids are matched through ``keys.KeyTable`` (two machine words per
string), vocabularies with ``isin``, numbers and dates through the distinct values of their
column. Python runs once per *problem*, never once per row.

Checks that need a file that could not be read (absent, empty, a required column missing) are
skipped rather than reported row by row: a broken ``cadres.csv`` is one problem, not one per
post. The "below" rules of duties and supervision need a valid tree and are skipped until the
organizations are right.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.dataset.keys import KeyTable, PairTable, int_keys, string_keys
from graphmodel.dataset.resolved import Resolved
from graphmodel.errors import Problem
from graphmodel.model.tree import DISCIPLINE, OrgTree, root_distances
from graphmodel.vocabulary import CHANNELS, ORG_KINDS, PROBLEM_SOURCES, PROJECT_STATUSES, ROLES

__all__ = [
    "validate_tables",
    "check_tables",
    "parse_numbers",
    "date_faults",
    "arrow_strings",
    "distinct_codes",
    "entity_table",
    "vocabulary_codes",
    "DIRECTIONS",
    "SEVERITIES",
    "NUMBER_PATTERN",
]

NUMBER_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
"""A number as the dataset writes it: decimal, optional sign, fraction and exponent."""

DIRECTIONS = ("+", "-", "\u2212")
"""Indicator directions: ``+`` (higher is better) and ``-`` or ``−`` (lower is better)."""

SEVERITIES = ("1", "2", "3")

_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_YEAR_PATTERN = r"^[0-9]+$"
_ORGS, _CADRES, _POSTS = "organizations.csv", "cadres.csv", "posts.csv"
_COMMITTEE = ORG_KINDS.index("committee")
_TEAM_ROLES = ("member", "deputy_secretary")
_CYCLE_SHOWN = 12


def arrow_strings(values: pd.Series) -> pa.ChunkedArray:
    """The column as an Arrow string array (no copy for Arrow-backed ``str`` columns).

    Examples
    --------
    >>> arrow_strings(pd.Series(["a", "b"])).to_pylist()
    ['a', 'b']
    """
    try:
        arr = pa.array(values.array)
    except (TypeError, pa.ArrowInvalid):
        arr = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr], type=arr.type)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.string())
    return arr


def distinct_codes(values: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """The distinct values of a column and, per row, the position of its value among them.

    Examples
    --------
    >>> values, codes = distinct_codes(pd.Series(["b", "a", "b"]))
    >>> values.to_pylist(), codes.tolist()
    (['b', 'a'], [0, 1, 0])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # already coded (see ``reader``)
        categories = pa.array(values.cat.categories.to_numpy(dtype=object), type=pa.large_string())
        return categories, values.cat.codes.to_numpy()
    arr = arrow_strings(values)
    if len(arr) == 0:
        return pa.array([], type=pa.string()), np.zeros(0, dtype=np.int64)
    chunks = arr.dictionary_encode().chunks  # Arrow gives every chunk the whole dictionary
    if any(len(c.dictionary) != len(chunks[0].dictionary) for c in chunks):
        chunks = [pc.dictionary_encode(arr.combine_chunks())]
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in chunks])
    return chunks[0].dictionary, codes.astype(np.int32 if len(chunks[0].dictionary) < 2**31 else np.int64)


def vocabulary_codes(values: pd.Series, words: Collection[str]) -> np.ndarray:
    """Each value's position in ``words`` (int64; -1 for a value not among them).

    Examples
    --------
    >>> vocabulary_codes(pd.Series(["b", "x", "a"], dtype="category"), ["a", "b"]).tolist()
    [1, -1, 0]
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        of_category = pd.Index(list(words)).get_indexer(values.cat.categories.astype(object))
        return np.append(of_category, -1).astype(np.int64)[values.cat.codes.to_numpy()]  # code -1 (missing) → -1
    found = pc.index_in(arrow_strings(values), value_set=pa.array(list(words), pa.string())).fill_null(-1)
    return found.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def parse_numbers(values: pd.Series) -> np.ndarray:
    """Each value as a float; NaN where it is not a number written as ``NUMBER_PATTERN`` says.

    Examples
    --------
    >>> parse_numbers(pd.Series(["1", "2.5", "-1e2", "", "x", "nan", "1,5"])).tolist()
    [1.0, 2.5, -100.0, nan, nan, nan, nan]
    """
    arr = arrow_strings(values)
    if len(arr) == 0:
        return np.zeros(0, dtype=np.float64)
    try:  # the common case: Arrow reads every value as a finite number (all such match the pattern)
        numbers = pc.cast(arr, pa.float64()).to_numpy()
        if np.isfinite(numbers).all():
            return numbers
    except pa.ArrowInvalid:
        pass
    distinct, codes = distinct_codes(values)
    valid = pc.match_substring_regex(distinct, NUMBER_PATTERN).to_numpy(zero_copy_only=False)
    numbers = np.full(len(distinct), np.nan)
    numbers[valid] = pc.cast(distinct.filter(pa.array(valid)), pa.float64()).to_numpy()
    return numbers[codes]


def date_faults(values: pd.Series) -> np.ndarray:
    """Per value: 0 when it is empty or a real date written YYYY-MM-DD, 1 when it is not written
    so, 2 when it is written so but no such day exists.

    Examples
    --------
    >>> date_faults(pd.Series(["2024-02-29", "", "2023-02-29", "2024-2-1", "2024-13-01"])).tolist()
    [0, 0, 2, 1, 2]
    """
    distinct, codes = distinct_codes(values)
    fault = np.zeros(len(distinct), dtype=np.int8)
    if len(distinct) == 0:
        return fault[codes]
    written = pc.match_substring_regex(distinct, _DATE_PATTERN).to_numpy(zero_copy_only=False)
    empty = pc.equal(distinct, "").to_numpy(zero_copy_only=False)
    fault[~written & ~empty] = 1
    dates = distinct.filter(pa.array(written))
    part = [
        pc.cast(pc.utf8_slice_codeunits(dates, a, b), pa.int64()).to_numpy() for a, b in ((0, 4), (5, 7), (8, 10))
    ]
    year, month, day = part
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[np.clip(month, 0, 12)]
    month_days = month_days + ((month == 2) & leap)
    real = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    fault[np.flatnonzero(written)[~real]] = 2
    return fault[codes]


def validate_tables(tables: Mapping[str, pd.DataFrame], *, unreadable: Collection[str] = ()) -> list[Problem]:
    """Check the rules of DESIGN §3 across a dataset's files.

    Parameters
    ----------
    tables : the files that were read, by file name, as text frames indexed by physical line,
        with every column of their spec (absent optional columns as ``""``).
    unreadable : files that are present but could not be read; rules that need them are
        skipped (their own problems say why).

    Returns
    -------
    list of Problem
        In no particular order.

    Examples
    --------
    >>> orgs = pd.DataFrame({"id": ["R", "A"], "name": ["", ""], "kind": ["committee", "branch"],
    ...     "parent_id": ["", "R"], "region": ["", ""]}, index=pd.Index([2, 3], name="line"))
    >>> cadres = pd.DataFrame({"id": ["c1"], "name": [""]}, index=pd.Index([2], name="line"))
    >>> posts = pd.DataFrame({"cadre_id": ["c1"], "org_id": ["B"], "role": ["boss"]},
    ...     index=pd.Index([2], name="line"))
    >>> for p in sorted(validate_tables({"organizations.csv": orgs, "cadres.csv": cadres, "posts.csv": posts})):
    ...     print(p)
    posts.csv:2: org_id: unknown organization 'B'
    posts.csv:2: role: unknown role 'boss' (expected secretary, deputy_secretary or member)
    """
    return check_tables(tables, unreadable=unreadable)[0]


def check_tables(
    tables: Mapping[str, pd.DataFrame],
    *,
    unreadable: Collection[str] = (),
    checked: Callable[[str], None] | None = None,
) -> tuple[list[Problem], Resolved]:
    """``validate_tables``, and what the checks resolved (the tree, the id look-ups) for reuse.

    ``checked(name)`` is called as soon as the rules of a file have run.
    """
    rules = _Rules(tables, unreadable)
    rules.checked = checked
    problems = rules.run()
    resolved = Resolved(rules.tree, tables[_ORGS] if rules.tree is not None else None)
    for (name, column), found in rules.found.items():
        resolved.add(name, column, tables[name][column], found)
    return problems, resolved


def entity_table(*ids: pd.Series) -> KeyTable:
    """The hash table of the entities: the organization ids, then the cadre ids (``KeyTable.find``
    gives entity positions; ``first`` the repeats).

    Examples
    --------
    >>> entity_table(pd.Series(["R", "A"]), pd.Series(["c1"])).find(string_keys(pa.array(["c1", "A", "x"]))).tolist()
    [2, 1, -1]
    """
    return KeyTable(string_keys([arrow_strings(column) for column in ids]))


def _resolve(entities: KeyTable, values: pd.Series, block: int = 1 << 18) -> np.ndarray:
    """Entity positions of a column's values (run in a worker thread).

    Block by block, so that the temporaries stay small and their memory is reused."""
    arr = arrow_strings(values)
    found = np.empty(len(arr), dtype=np.int32 if len(entities) < 2**31 - 1 else np.int64)  # int32: half the memory
    for start in range(0, len(arr), block):
        found[start : start + block] = entities.find(string_keys(arr.slice(start, block)))
    return found


def _first_of_triples(a: np.ndarray, b: np.ndarray, nb: int, c: np.ndarray, nc: int) -> np.ndarray | None:
    """For each triple of codes ``(a, b < nb, c < nc)``, the position of the first triple equal to it;
    ``None`` when every triple occurs once.

    Examples
    --------
    >>> _first_of_triples(np.array([0, 1, 0, 0]), np.array([1, 1, 1, 0]), 2, np.array([0, 0, 0, 0]), 1).tolist()
    [0, 1, 0, 3]
    >>> _first_of_triples(np.array([0, 1]), np.array([1, 1]), 2, np.array([0, 0]), 1) is None
    True
    """
    n_keys = (int(a.max()) + 1) * nb * nc if len(a) else 0
    if n_keys > 4 * len(a) + 1024:  # too sparse to count densely
        return KeyTable(int_keys(a, b * nc + c)).first
    key = a.astype(np.int64)
    key *= nb
    key += b
    key *= nc
    key += c
    seen = np.zeros(n_keys, dtype=bool)
    seen[key] = True
    if int(np.count_nonzero(seen)) == len(key):  # every triple once: the usual case, found in a byte per key
        return None
    del seen
    first = np.arange(len(key))
    again = np.flatnonzero(np.bincount(key, minlength=n_keys)[key] > 1)
    if len(again):
        _, head, group = np.unique(key[again], return_index=True, return_inverse=True)
        first[again] = again[head[group]]
    return first


def _choices(words: Collection[str]) -> str:
    words = list(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


class _Rules:
    """One pass of every rule; ``out`` collects the problems."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], unreadable: Collection[str]) -> None:
        self.tables = tables
        self.unreadable = unreadable
        self.out: list[Problem] = []
        self.tree: OrgTree | None = None
        self.org_kind = np.zeros(0, dtype=np.int8)
        self.problem_ids: KeyTable | None = None
        self._lookups: dict[tuple[str, str], Future[np.ndarray]] = {}
        self.found: dict[tuple[str, str], np.ndarray] = {}  # every lookup, once the rules ran
        self.checked: Callable[[str], None] | None = None
        self._pool: ThreadPoolExecutor

    # -- helpers -----------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.tables

    def checkable(self, name: str) -> bool:
        """References into ``name`` can be checked: it was read, or it is absent (so empty)."""
        return name not in self.unreadable

    def report(self, name: str, rows: np.ndarray, column: str, message: Callable[[int], str]) -> None:
        """One problem per row position in ``rows`` (ascending), ``message(row)`` saying what."""
        if len(rows) == 0:
            return
        lines = self.tables[name].index.to_numpy()
        self.out.extend(Problem(name, int(lines[r]), column, message(int(r))) for r in rows)

    def text(self, name: str, column: str) -> Callable[[int], str]:
        """Row position → the column's value in that row (for messages)."""
        series = self.tables[name][column]
        return lambda row: str(series.iat[row])

    def vocabulary(self, name: str, column: str, words: Collection[str], *, optional: bool = False) -> None:
        distinct, codes = distinct_codes(self.tables[name][column])
        known = pc.is_in(distinct, value_set=pa.array(list(words) + ([""] if optional else []), distinct.type))
        bad = ~known.to_numpy(zero_copy_only=False)[codes]
        value = self.text(name, column)
        self.report(name, np.flatnonzero(bad), column, lambda r: (
            f"empty {column}" if value(r) == "" else f"unknown {column} {value(r)!r} (expected {_choices(words)})"
        ))

    def dates(self, name: str, column: str) -> None:
        fault = date_faults(self.tables[name][column])
        value = self.text(name, column)
        self.report(name, np.flatnonzero(fault), column, lambda r: (
            f"{value(r)!r} is not a date written YYYY-MM-DD" if fault[r] == 1 else f"{value(r)!r} is not a real date"
        ))

    def unique_ids(self, name: str) -> KeyTable:
        """Report empty and repeated ids of a file; the table of its ids."""
        table = KeyTable(string_keys(arrow_strings(self.tables[name]["id"])))
        self.empty_values(name, "id")
        self.repeats(name, table.first)
        return table

    def empty_values(self, name: str, column: str) -> np.ndarray:
        empty = (self.tables[name][column] == "").to_numpy(dtype=bool)
        self.report(name, np.flatnonzero(empty), column, lambda r: f"empty {column}")
        return empty

    def repeats(self, name: str, first: np.ndarray) -> None:
        """Report each non-empty id equal to an earlier one (``first``: the row of the first)."""
        empty = (self.tables[name]["id"] == "").to_numpy(dtype=bool)
        lines = self.tables[name].index.to_numpy()
        ids = self.text(name, "id")
        later = np.flatnonzero((first != np.arange(len(first))) & ~empty)
        self.report(name, later, "id", lambda r: f"duplicate id {ids(r)!r} (first on line {lines[first[r]]})")

    # -- entities ------------------------------------------------------------------------------

    @cached_property
    def n_orgs(self) -> int:
        return len(self.tables[_ORGS]) if self.has(_ORGS) else 0

    @cached_property
    def n_cadres(self) -> int:
        return len(self.tables[_CADRES]) if self.has(_CADRES) else 0

    @cached_property
    def entities(self) -> KeyTable:
        """Organization ids then cadre ids (of the files that were read), with their repeats."""
        return entity_table(*(self.tables[n]["id"] for n in (_ORGS, _CADRES) if self.has(n)))

    def lookups(self, name: str, *columns: str) -> None:
        """Start resolving these columns in the worker threads (``positions`` collects them)."""
        self.entities  # built here, once, before any worker needs it
        for column in columns:
            if (name, column) not in self._lookups:
                self._lookups[(name, column)] = self._pool.submit(_resolve, self.entities, self.tables[name][column])

    def positions(self, name: str, column: str) -> np.ndarray:
        """Entity position of each value: < n_orgs an organization, ≥ n_orgs a cadre, -1 unknown."""
        self.lookups(name, column)
        return self._lookups[(name, column)].result()

    def references(self, name: str, column: str, target: str, *, optional: bool = False) -> np.ndarray:
        """Resolve a column of organization (``target="organization"``), cadre or entity ids;
        report empty (unless ``optional``) and unknown values; return positions (org, cadre or
        entity; -1 where unknown or empty)."""
        found = self.positions(name, column)
        n = self.n_orgs
        needed: tuple[str, ...]
        if target == "organization":
            ok, pos, needed = (found >= 0) & (found < n), found, (_ORGS,)
        elif target == "cadre":
            ok, pos, needed = found >= n, found - n, (_CADRES,)
        else:
            ok, pos, needed = found >= 0, found, (_ORGS, _CADRES)
        pos = np.where(ok, pos, -1)
        if not all(self.checkable(f) for f in needed):
            return pos
        values = self.tables[name][column]
        value = self.text(name, column)
        empty = (values == "").to_numpy(dtype=bool)
        if not optional:
            self.report(name, np.flatnonzero(empty), column, lambda r: f"empty {column}")
        wrong = np.flatnonzero(~ok & ~empty)

        def message(r: int) -> str:
            other = found[r]
            if target == "organization" and other >= n:
                return f"{value(r)!r} is a cadre, not an organization"
            if target == "cadre" and 0 <= other < n:
                return f"{value(r)!r} is an organization, not a cadre"
            return f"unknown {'organization or cadre' if target == 'entity' else target} {value(r)!r}"

        self.report(name, wrong, column, message)
        return pos

    # -- the rules -----------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="graphmodel-rules") as self._pool:
            self.rules()
        self.found = {key: job.result() for key, job in self._lookups.items()}
        return self.out

    def rules(self) -> None:
        for name, rule in (
            (_ORGS, self.organizations),
            (_CADRES, self.cadres),
            (_POSTS, self.posts),
            ("duties.csv", self.duties),
            ("supervision.csv", self.supervision),
            ("evidence.csv", self.evidence),
            ("problems.csv", self.problems),
            ("projects.csv", self.projects),
            ("cases.csv", self.cases),
            ("indicators.csv", self.indicators),
        ):
            if self.has(name):
                rule()
                if self.checked is not None:
                    self.checked(name)

    def organizations(self) -> None:
        before = len(self.out)
        orgs = self.tables[_ORGS]
        n = len(orgs)
        first = self.entities.first[:n]
        self.empty_values(_ORGS, "id")
        self.repeats(_ORGS, first)
        self.vocabulary(_ORGS, "kind", ORG_KINDS)
        kind = pd.Index(ORG_KINDS).get_indexer(orgs["kind"]).astype(np.int8)
        self.org_kind = kind
        parent_ids = orgs["parent_id"]
        no_parent = (parent_ids == "").to_numpy(dtype=bool)
        found = self.positions(_ORGS, "parent_id")
        known = (found >= 0) & (found < n)
        value = self.text(_ORGS, "parent_id")
        self.report(_ORGS, np.flatnonzero(~no_parent & ~known), "parent_id", lambda r: (
            f"parent {value(r)!r} is a cadre, not an organization" if found[r] >= n
            else f"unknown parent {value(r)!r}: no organization has this id"
        ))
        parent = np.where(no_parent, -1, np.where(known, found, -2)).astype(np.int64)
        self.cycles(parent)
        roots = np.flatnonzero(no_parent)
        ids = self.text(_ORGS, "id")
        lines = orgs.index.to_numpy()
        if len(roots) == 0:
            self.out.append(Problem(_ORGS, 1, "parent_id", "no root: every organization has a parent_id"))
        else:
            root = int(roots[0])
            self.report(_ORGS, roots[1:], "parent_id", lambda r: (
                f"a second root: {ids(r)!r} has no parent_id, nor has the root {ids(root)!r} (line {lines[root]})"
            ))
            if kind[root] not in (_COMMITTEE, -1):
                self.report(_ORGS, roots[:1], "kind", lambda r: f"the root {ids(r)!r} must be a committee, not a {ORG_KINDS[kind[r]]}")
        has_parent = parent >= 0
        parent_kind = np.where(has_parent, kind[np.maximum(parent, 0)], -1)
        bad_seat = (kind == DISCIPLINE) & has_parent & (parent_kind >= 0) & (parent_kind != _COMMITTEE) & (parent_kind != DISCIPLINE)
        self.report(_ORGS, np.flatnonzero(bad_seat), "parent_id", lambda r: (
            f"the discipline body {ids(r)!r} sits under {value(r)!r}, a {ORG_KINDS[parent_kind[r]]}: "
            "a discipline body's parent is a committee or a discipline body"
        ))
        under = (kind >= 0) & (kind != DISCIPLINE) & (parent_kind == DISCIPLINE)
        self.report(_ORGS, np.flatnonzero(under), "parent_id", lambda r: (
            f"{ids(r)!r} is a {ORG_KINDS[kind[r]]} under the discipline body {value(r)!r}: "
            "only discipline bodies sit under a discipline body"
        ))
        if len(self.out) == before:
            self.tree = OrgTree.from_arrays(
                orgs["id"].to_numpy(dtype=object), kind, parent, index=pd.Index(orgs["id"])
            )

    def cycles(self, parent: np.ndarray) -> None:
        """Report each cycle of parents once, on the line of its first member in the file."""
        caught = np.flatnonzero(root_distances(parent) < 0)
        if len(caught) == 0:
            return
        jump = np.arange(len(parent))
        jump[caught] = parent[caught]
        for _ in range(int(len(parent)).bit_length() + 1):
            jump = jump[jump]  # after ≥ n steps every caught organization has reached its cycle
        ids = self.text(_ORGS, "id")
        seen: set[int] = set()
        for start in np.unique(jump[caught]).tolist():
            if start in seen:
                continue
            cycle = [start]
            node = int(parent[start])
            while node != start:
                cycle.append(node)
                node = int(parent[node])
            seen.update(cycle)
            head = cycle.index(min(cycle))
            cycle = cycle[head:] + cycle[:head]
            names = [repr(ids(c)) for c in cycle[:_CYCLE_SHOWN]]
            more = f" → … ({len(cycle)} organizations)" if len(cycle) > _CYCLE_SHOWN else ""
            self.report(_ORGS, np.array(cycle[:1]), "parent_id", lambda r: (
                "parent cycle: " + " → ".join(names) + more + f" → {ids(cycle[0])!r}"
            ))

    def cadres(self) -> None:
        n = self.n_orgs
        first = self.entities.first[n:]
        self.empty_values(_CADRES, "id")
        own = np.arange(len(first)) + n
        ids = self.text(_CADRES, "id")
        lines = self.tables[_CADRES].index.to_numpy()
        org_lines = self.tables[_ORGS].index.to_numpy() if n else np.zeros(0, np.int64)
        empty = (self.tables[_CADRES]["id"] == "").to_numpy(dtype=bool)
        repeat = np.flatnonzero((first != own) & (first >= n) & ~empty)
        self.report(_CADRES, repeat, "id", lambda r: f"duplicate id {ids(r)!r} (first on line {lines[first[r] - n]})")
        clash = np.flatnonzero((first < n) & ~empty)
        self.report(_CADRES, clash, "id", lambda r: (
            f"{ids(r)!r} is also an organization id ({_ORGS} line {org_lines[first[r]]})"
        ))

    @cached_property
    def post_positions(self) -> tuple[np.ndarray, np.ndarray]:
        return (self.references(_POSTS, "cadre_id", "cadre"), self.references(_POSTS, "org_id", "organization"))

    def posts(self) -> None:
        posts = self.tables[_POSTS]
        self.lookups(_POSTS, "cadre_id", "org_id")
        cadre, org = self.post_positions
        self.vocabulary(_POSTS, "role", ROLES)
        known = np.flatnonzero((cadre >= 0) & (org >= 0))
        lines = posts.index.to_numpy()
        cadre_ids, org_ids = self.text(_POSTS, "cadre_id"), self.text(_POSTS, "org_id")
        pairs = PairTable(cadre[known], org[known], self.n_cadres)
        again = pairs.first != np.arange(len(known))
        self.report(_POSTS, known[again], "cadre_id", lambda r: (
            f"cadre {cadre_ids(r)!r} already holds a post in {org_ids(r)!r} "
            f"(line {lines[known[pairs.first[np.searchsorted(known, r)]]]})"
        ))
        is_secretary = (posts["role"] == "secretary").to_numpy(dtype=bool)
        distinct = known[~again]
        secretary = distinct[is_secretary[distinct]]
        first_row = np.full(max(self.n_orgs, 1), np.iinfo(np.int64).max)
        np.minimum.at(first_row, org[secretary], secretary)
        second = secretary[first_row[org[secretary]] != secretary]
        self.report(_POSTS, second, "role", lambda r: (
            f"{org_ids(r)!r} already has a secretary (line {lines[first_row[org[r]]]})"
        ))

    def duties(self) -> None:
        name = "duties.csv"
        self.lookups(name, "cadre_id", "org_id")
        cadre = self.references(name, "cadre_id", "cadre")
        org = self.references(name, "org_id", "organization")
        tree = self.tree
        if tree is None:
            return
        org_ids, cadre_ids = self.text(name, "org_id"), self.text(name, "cadre_id")
        known = (cadre >= 0) & (org >= 0)
        discipline = known & (tree.kind[np.maximum(org, 0)] == DISCIPLINE)
        self.report(name, np.flatnonzero(discipline), "org_id", lambda r: (
            f"{org_ids(r)!r} is a discipline body, which bears no principal responsibility"
        ))
        if not (self.has(_POSTS) and self.checkable(_CADRES)):
            return
        p_cadre, p_org = self.post_positions
        role = self.tables[_POSTS]["role"]
        team = ((p_cadre >= 0) & (p_org >= 0) & role.isin(list(_TEAM_ROLES)).to_numpy(dtype=bool))
        members = PairTable(p_cadre[team], p_org[team], self.n_cadres)
        # A cadre with a post whose organization or role is unknown may be on a team we cannot
        # see: their duties are not judged (that post's problem is reported).
        unsure = np.zeros(self.n_cadres + 1, dtype=bool)
        unclear = (p_cadre >= 0) & ((p_org < 0) | ~role.isin(list(ROLES)).to_numpy(dtype=bool))
        unsure[p_cadre[unclear]] = True
        known &= ~unsure[np.where(cadre >= 0, cadre, self.n_cadres)]
        rows = np.flatnonzero(known & ~discipline)
        upper = tree.parent[org[rows]]
        who = cadre[rows]
        satisfied = np.zeros(len(org), dtype=bool)
        while len(rows):
            live = upper >= 0
            rows, upper, who = rows[live], upper[live], who[live]
            hit = members.find(who, upper) >= 0
            satisfied[rows[hit]] = True
            rows, upper, who = rows[~hit], tree.parent[upper[~hit]], who[~hit]
        self.report(name, np.flatnonzero(known & ~discipline & ~satisfied), "org_id", lambda r: (
            f"cadre {cadre_ids(r)!r} is not a member or deputy secretary of any organization above {org_ids(r)!r}"
        ))

    def supervision(self) -> None:
        name = "supervision.csv"
        self.lookups(name, "discipline_id", "org_id")
        body = self.references(name, "discipline_id", "organization")
        org = self.references(name, "org_id", "organization")
        if not self.has(_ORGS):
            return
        kind = self.org_kind
        body_ids, org_ids = self.text(name, "discipline_id"), self.text(name, "org_id")
        not_body = (body >= 0) & (kind[np.maximum(body, 0)] != DISCIPLINE) & (kind[np.maximum(body, 0)] >= 0)
        self.report(name, np.flatnonzero(not_body), "discipline_id", lambda r: (
            f"{body_ids(r)!r} is a {ORG_KINDS[kind[body[r]]]}, not a discipline body"
        ))
        target_body = (org >= 0) & (kind[np.maximum(org, 0)] == DISCIPLINE)
        self.report(name, np.flatnonzero(target_body), "org_id", lambda r: (
            f"{org_ids(r)!r} is a discipline body, which bears no principal responsibility"
        ))
        tree = self.tree
        if tree is None:
            return
        check = (body >= 0) & (org >= 0) & ~not_body & ~target_body
        rows = np.flatnonzero(check)
        committee = tree.committee[body[rows]]
        node = org[rows]
        inside = np.zeros(len(org), dtype=bool)
        while len(rows):
            hit = node == committee
            inside[rows[hit]] = True
            up = tree.parent[node]
            go = ~hit & (up >= 0)
            rows, node, committee = rows[go], up[go], committee[go]
        self.report(name, np.flatnonzero(check & ~inside), "org_id", lambda r: (
            f"{org_ids(r)!r} is neither {tree.ids[tree.committee[body[r]]]!r}, the committee of "
            f"{body_ids(r)!r}, nor below it"
        ))

    def evidence(self) -> None:
        name = "evidence.csv"
        self.lookups(name, "from_id", "to_id")
        self.vocabulary(name, "channel", CHANNELS)
        values = self.tables[name]["count"]
        count = parse_numbers(values)
        given = (values != "").to_numpy(dtype=bool)
        text = self.text(name, "count")
        self.report(name, np.flatnonzero(given & np.isnan(count)), "count", lambda r: f"count {text(r)!r} is not a number")
        self.report(name, np.flatnonzero(given & np.isinf(count)), "count", lambda r: f"count {text(r)!r} is not finite")
        self.report(name, np.flatnonzero(given & np.isfinite(count) & (count < 0)), "count", lambda r: f"count {text(r)!r} is negative")
        self.dates(name, "date")
        self.references(name, "from_id", "entity")
        self.references(name, "to_id", "entity")

    def problems(self) -> None:
        name = "problems.csv"
        self.problem_ids = self.unique_ids(name)
        self.references(name, "org_id", "organization")
        self.vocabulary(name, "source", PROBLEM_SOURCES)
        self.vocabulary(name, "severity", SEVERITIES, optional=True)

    def projects(self) -> None:
        name = "projects.csv"
        self.unique_ids(name)
        if self.checkable("problems.csv"):
            values = self.tables[name]["problem_id"]
            if self.problem_ids is not None:
                found = self.problem_ids.find(string_keys(arrow_strings(values)))
            else:
                found = np.full(len(values), -1)
            empty = (values == "").to_numpy(dtype=bool)
            text = self.text(name, "problem_id")
            self.report(name, np.flatnonzero(empty), "problem_id", lambda r: "empty problem_id")
            self.report(name, np.flatnonzero((found < 0) & ~empty), "problem_id", lambda r: f"unknown problem {text(r)!r}")
        self.references(name, "owner_id", "cadre", optional=True)
        self.vocabulary(name, "status", PROJECT_STATUSES)
        self.dates(name, "due")

    def cases(self) -> None:
        name = "cases.csv"
        self.unique_ids(name)
        self.references(name, "org_id", "organization")
        self.references(name, "cadre_id", "cadre", optional=True)
        self.dates(name, "date")

    def indicators(self) -> None:
        name = "indicators.csv"
        frame = self.tables[name]
        org = self.references(name, "org_id", "organization")
        self.empty_values(name, "indicator")
        values = frame["value"]
        value = parse_numbers(values)
        text = self.text(name, "value")
        self.report(name, np.flatnonzero(np.isnan(value)), "value", lambda r: (
            "empty value" if text(r) == "" else f"value {text(r)!r} is not a number"
        ))
        self.report(name, np.flatnonzero(np.isinf(value)), "value", lambda r: f"value {text(r)!r} is not finite")
        years, year_code = distinct_codes(frame["year"])
        integer = pc.match_substring_regex(years, _YEAR_PATTERN).to_numpy(zero_copy_only=False)
        integer |= pc.equal(years, "").to_numpy(zero_copy_only=False)
        year_text = self.text(name, "year")
        self.report(name, np.flatnonzero(~integer[year_code]), "year", lambda r: (
            f"year {year_text(r)!r} is not an integer"
        ))
        self.vocabulary(name, "direction", DIRECTIONS, optional=True)
        indicators, indicator = distinct_codes(frame["indicator"])
        every = bool((org >= 0).all())  # the usual case: no copies of the columns
        known = None if every else np.flatnonzero(org >= 0)
        if known is not None and len(known) == 0:
            return
        pick = (lambda a: a) if known is None else (lambda a: a[known])
        first = _first_of_triples(pick(org), pick(indicator), len(indicators), pick(year_code), len(years))
        if first is None:
            return
        known = np.arange(len(org)) if known is None else known
        again = np.flatnonzero(first != np.arange(len(known)))
        lines = frame.index.to_numpy()
        ind, org_text = self.text(name, "indicator"), self.text(name, "org_id")
        self.report(name, known[again], "indicator", lambda r: (
            f"{ind(r)!r} of {org_text(r)!r} is given twice for the same year "
            f"(line {lines[known[first[np.searchsorted(known, r)]]]})"
        ))
