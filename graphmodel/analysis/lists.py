"""The three lists 问题、责任、项目: problems, the responsibility for them, and the projects that fix them.

“问题共同找、责任共同定、项目共同推”: each problem found (in an inspection, an audit, an
assessment, a case …) should become a project with an owner who answers for it — the secretary
of the problem's organization or a team member in charge of it (分管) — and be finished in time.
``three_lists`` reads problems.csv and projects.csv and lists where that chain breaks
(DESIGN §5):

- ``problems_without_project``: problems that no project addresses;
- ``projects_without_owner``: projects whose ``owner_id`` is empty;
- ``owners_not_in_charge``: projects whose owner is neither the secretary of the problem's
  organization nor a member in charge of it (a duties.csv row for that cadre and exactly that
  organization);
- ``overdue``: projects not ``done`` whose ``due`` date is before ``as_of``;

and, per organization with problems, the share of its problems that have a finished project.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.analysis.ids import positions_in, text_codes, text_column
from graphmodel.dataset.reader import org_tree_of
from graphmodel.dataset.validate import arrow_strings
from graphmodel.errors import GraphModelError
from graphmodel.model.tree import OrgTree
from graphmodel.vocabulary import ORG_KINDS

__all__ = ["LIST_NAMES", "ThreeLists", "three_lists", "parse_as_of"]

LIST_NAMES = ("problems_without_project", "projects_without_owner", "owners_not_in_charge", "overdue", "by_org")
"""The tables of ``ThreeLists``, in this order (findings.json ``lists`` members, CSV ``lists_<name>.csv``)."""


@dataclass
class ThreeLists:
    """What the three lists show.

    Attributes
    ----------
    as_of : the date overdue projects are judged against.
    problems_without_project : ``problem, org, source, severity, description``.
    projects_without_owner : ``project, problem, org, status, due``.
    owners_not_in_charge : ``project, problem, org, owner, owner_role`` — the owner's role in
        the problem's organization (``member``, ``deputy_secretary``) or ``""`` when he holds no
        post there.
    overdue : ``project, problem, org, owner, status, due, days_overdue``, most overdue first.
    by_org : ``org, kind, level, problems, with_project, done, share_done`` — per organization
        with at least one problem: how many of its problems have a project, how many a ``done``
        one, and that share.
    """

    as_of: dt.date
    problems_without_project: pd.DataFrame
    projects_without_owner: pd.DataFrame
    owners_not_in_charge: pd.DataFrame
    overdue: pd.DataFrame
    by_org: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The five tables by name (``LIST_NAMES`` order)."""
        return {name: getattr(self, name) for name in LIST_NAMES}

    def summary(self) -> dict[str, Any]:
        """JSON-ready counts: problems, projects, and the length of each list."""
        out: dict[str, Any] = {"as_of": self.as_of.isoformat(), **self.counts}
        for name in LIST_NAMES[:-1]:
            out[name] = int(len(getattr(self, name)))
        done = self.by_org["done"].sum() if len(self.by_org) else 0
        problems = self.by_org["problems"].sum() if len(self.by_org) else 0
        out["share_done"] = float(done / problems) if problems else None
        return out


def parse_as_of(as_of: dt.date | str | None) -> dt.date:
    """The ``as_of`` date: a ``date``, a ``YYYY-MM-DD`` string, or today when ``None``.

    Raises
    ------
    GraphModelError
        A string that is not a date.

    Examples
    --------
    >>> parse_as_of("2024-12-31")
    datetime.date(2024, 12, 31)
    >>> parse_as_of("31.12.2024")
    Traceback (most recent call last):
    ...
    graphmodel.errors.GraphModelError: as_of must be a date as YYYY-MM-DD, not '31.12.2024'
    """
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise GraphModelError(f"as_of must be a date as YYYY-MM-DD, not {as_of!r}") from None


def _text(values: Any) -> np.ndarray:
    """Values as an object array of Python strings (Arrow arrays converted once)."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return np.asarray(values.to_pylist() if len(values) < 64 else values.to_numpy(zero_copy_only=False),
                          dtype=object)
    return np.asarray(values, dtype=object)


def three_lists(dataset: Any, *, as_of: dt.date | str | None = None, tree: OrgTree | None = None) -> ThreeLists:
    """The three lists of a dataset.

    Parameters
    ----------
    dataset : a ``Dataset`` that passed validation (problems.csv and projects.csv may be absent:
        the lists are then empty).
    as_of : projects not done with a due date before this day are overdue (default: today).
    tree : the dataset's ``OrgTree`` when already built.

    Returns
    -------
    ThreeLists

    Examples
    --------
    >>> from graphmodel.dataset.reader import read_dataset
    >>> from graphmodel.dataset.sample import sample_path
    >>> lists = three_lists(read_dataset(sample_path()), as_of="2024-12-31")
    >>> sorted(lists.tables()) == sorted(LIST_NAMES), bool(lists.by_org["share_done"].between(0, 1).all())
    (True, True)
    """
    day = parse_as_of(as_of)
    tree = tree or org_tree_of(dataset)
    problems, projects = dataset.problems, dataset.projects
    prob = {c: arrow_strings(problems[c]) for c in ("id", "org_id", "source", "severity", "description")}
    proj = {c: arrow_strings(projects[c]) for c in ("id", "problem_id", "owner_id", "status", "due")}
    n_prob, n_proj = len(problems), len(projects)
    # validated: every project names a problem
    proj_pos = _numbers(pc.index_in(proj["problem_id"], value_set=prob["id"].combine_chunks()), n_proj)
    proj_org = prob["org_id"].take(pa.array(proj_pos)) if n_proj else pa.chunked_array([], pa.string())
    proj["org"] = proj_org
    done = _flags(pc.equal(proj["status"], "done"), n_proj)

    # problems without a project; per organization, with a project and with a done one
    has_project = np.zeros(n_prob, dtype=bool)
    has_project[proj_pos] = True
    has_done = np.zeros(n_prob, dtype=bool)
    has_done[proj_pos[done]] = True
    without_project = _rows(prob, ~has_project, {"problem": "id", "org": "org_id", "source": "source",
                                                 "severity": "severity", "description": "description"})

    # projects without an owner
    no_owner = _flags(pc.equal(proj["owner_id"], ""), n_proj)
    without_owner = _rows(proj, no_owner, {"project": "id", "problem": "problem_id", "org": "org", "status": "status",
                                           "due": "due"})

    # owners neither the secretary of the problem's organization nor a member in charge of it
    wrong, role_there = _not_in_charge(dataset, proj_org, proj["owner_id"], ~no_owner)
    not_in_charge = _rows(proj, wrong, {"project": "id", "problem": "problem_id", "org": "org", "owner": "owner_id"})
    not_in_charge["owner_role"] = role_there

    # overdue: not done, due before as_of
    dated = ~done & ~_flags(pc.equal(proj["due"], ""), n_proj)
    lag = np.zeros(n_proj, dtype=np.int64)
    if dated.any():
        due = pc.strptime(proj["due"].filter(pa.array(dated)), format="%Y-%m-%d", unit="s")
        due_day = due.to_numpy().astype("datetime64[D]")
        lag[dated] = (np.datetime64(day, "D") - due_day).astype(np.int64)
    late = dated & (lag > 0)
    overdue = _rows(proj, late, {"project": "id", "problem": "problem_id", "org": "org", "owner": "owner_id",
                                 "status": "status", "due": "due"})
    overdue["days_overdue"] = lag[late]
    overdue = overdue.sort_values(["days_overdue", "project"], ascending=[False, True], kind="stable").reset_index(drop=True)

    by_org = _by_org(tree, prob["org_id"], has_project, has_done)
    counts = {"problems": int(n_prob), "projects": int(n_proj)}
    return ThreeLists(day, without_project, without_owner, not_in_charge, overdue, by_org, counts)


def _flags(mask: pa.ChunkedArray | pa.Array, n: int) -> np.ndarray:
    """A boolean Arrow result as numpy (nulls are False)."""
    if n == 0:
        return np.zeros(0, dtype=bool)
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False).astype(bool)


def _numbers(values: pa.ChunkedArray | pa.Array, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    return pc.fill_null(values, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _rows(columns: dict[str, pa.ChunkedArray], mask: np.ndarray, names: dict[str, str]) -> pd.DataFrame:
    """The rows of ``mask`` as a frame of object columns named ``names`` (new name → column)."""
    keep = pa.array(np.asarray(mask, dtype=bool))
    if not np.any(mask):  # no rows: object columns, as pandas makes of empty object arrays
        return pd.DataFrame({new: _text(columns[old].filter(keep)) for new, old in names.items()})
    return pd.DataFrame({new: text_column(columns[old].filter(keep)) for new, old in names.items()})


def _keys(cadre: pa.ChunkedArray | pa.Array, org: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One string per (cadre, organization) pair."""
    kind = pa.large_string()
    joined = pc.binary_join_element_wise(cadre.cast(kind), org.cast(kind), pa.scalar("\x1f", kind))
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


def _not_in_charge(dataset: Any, proj_org: pa.ChunkedArray, owner: pa.ChunkedArray,
                   owned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which projects' owners are neither the secretary of the org nor in charge of it, and (for
    those) the owner's role in that organization ("" when he holds no post there)."""
    n = len(owned)
    if n == 0 or not owned.any():
        return np.zeros(n, dtype=bool), np.zeros(0, dtype=object)
    posts, duties = dataset.posts, dataset.duties
    key = _keys(owner, proj_org)
    cadre, org, role = (arrow_strings(posts[c]) for c in ("cadre_id", "org_id", "role"))
    secretary = pc.equal(role, "secretary")
    sec_keys = _keys(cadre.filter(secretary), org.filter(secretary))
    duty_keys = _keys(arrow_strings(duties["cadre_id"]), arrow_strings(duties["org_id"]))
    # the secretaries' and the duties' pairs looked up among the projects' distinct pairs: Arrow
    # builds its hash table on the smaller side (building costs far more than probing)
    key_codes, distinct = text_codes(key)
    found = _numbers(pc.index_in(pa.chunked_array([sec_keys, duty_keys], type=sec_keys.type),
                                 value_set=distinct.cast(sec_keys.type)), len(sec_keys) + len(duty_keys))
    in_charge = np.zeros(len(distinct) + 1, dtype=bool)  # the last entry: a null pair (code -1)
    in_charge[found[found >= 0]] = True
    wrong = owned & ~in_charge[key_codes]
    if not wrong.any():
        return wrong, np.zeros(0, dtype=object)
    wrong_keys = key.filter(pa.array(wrong))
    mine = pc.is_in(cadre, value_set=pc.unique(owner.filter(pa.array(wrong))))
    there = _keys(cadre.filter(mine), org.filter(mine))
    hit = _numbers(pc.index_in(wrong_keys, value_set=there), len(wrong_keys))
    roles = _text(role.filter(mine))
    role_there = np.where(hit >= 0, roles[np.maximum(hit, 0)] if len(roles) else "", "").astype(object)
    return wrong, role_there


def _by_org(tree: OrgTree, prob_org: pa.ChunkedArray, has_project: np.ndarray, has_done: np.ndarray) -> pd.DataFrame:
    if len(prob_org) == 0:
        return pd.DataFrame({"org": pd.Series([], dtype=object), "kind": pd.Series([], dtype=object),
                             "level": pd.Series([], dtype=np.int64), "problems": pd.Series([], dtype=np.int64),
                             "with_project": pd.Series([], dtype=np.int64), "done": pd.Series([], dtype=np.int64),
                             "share_done": pd.Series([], dtype=np.float64)})
    pos = positions_in(prob_org, tree.ids)
    orgs, inverse = np.unique(pos, return_inverse=True)
    problems = np.bincount(inverse, minlength=len(orgs))
    with_project = np.bincount(inverse, weights=has_project, minlength=len(orgs)).astype(np.int64)
    done = np.bincount(inverse, weights=has_done, minlength=len(orgs)).astype(np.int64)
    return pd.DataFrame({
        "org": _text(tree.ids[orgs]),
        "kind": np.asarray(ORG_KINDS, dtype=object)[tree.kind[orgs]],
        "level": tree.level[orgs],
        "problems": problems,
        "with_project": with_project,
        "done": done,
        "share_done": done / problems,
    })
