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
    wrong, role_there = _not_in_charge(dataset, proj_pos, ~no_owner)
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

    kept = _kept_positions(dataset, "problems.csv", "org_id")  # an organization's entity position is its tree position
    prob_tree_pos = np.asarray(kept, dtype=np.int64) if kept is not None else positions_in(prob["org_id"], tree.ids)
    by_org = _by_org(tree, prob_tree_pos, has_project, has_done)
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


def _id_codes(dataset: Any, columns: list[tuple[str, str]]) -> list[np.ndarray]:
    """Integer codes of id columns (``(file, column)``) in one space, equal where the ids are
    equal (-1 for an empty or unknown id): validation's entity positions when the dataset kept
    them for every one of these columns, else codes of the columns' text (which needs neither the
    organizations nor the cadres: ``analyze`` may have let them go)."""
    kept = [_kept_positions(dataset, name, column) for name, column in columns]
    if all(k is not None for k in kept):
        return [np.asarray(k, dtype=np.int64) for k in kept]
    arrays = [arrow_strings(dataset.table(name)[column] if hasattr(dataset, "table") else
                            getattr(dataset, name.removesuffix(".csv"))[column]) for name, column in columns]
    text = pa.large_string()
    codes, distinct = text_codes(pa.chunked_array([c.cast(text) for a in arrays for c in a.chunks], type=text))
    empty = pc.index(distinct, pa.scalar("", distinct.type)).as_py()  # -1 when no id is empty
    codes = codes.astype(np.int64)
    if empty >= 0:
        codes[codes == empty] = -1
    bounds = np.cumsum([0] + [len(a) for a in arrays])
    return [codes[bounds[i] : bounds[i + 1]] for i in range(len(arrays))]


def _kept_positions(dataset: Any, name: str, column: str) -> np.ndarray | None:
    """Validation's entity positions of a column, when the dataset kept them for its very data."""
    resolved = getattr(dataset, "resolved", None)
    if resolved is None or not hasattr(dataset, "table"):
        return None
    found: np.ndarray | None = resolved.positions(name, column, dataset.table(name)[column])
    return found


def _pairs(cadre: np.ndarray, org: np.ndarray, space: int) -> np.ndarray:
    """One int64 key per (cadre, organization) pair of codes; negative where either is -1."""
    key = cadre * space + org
    key[(cadre < 0) | (org < 0)] = -1
    return key


def _not_in_charge(dataset: Any, proj_problem: np.ndarray, owned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which projects' owners are neither the secretary of the org nor in charge of it, and (for
    those) the owner's role in that organization ("" when he holds no post there).

    ``proj_problem``: each project's row in problems.csv. The (cadre, organization) pairs are
    compared as integer keys (``_id_codes``)."""
    n = len(owned)
    if n == 0 or not owned.any():
        return np.zeros(n, dtype=bool), np.zeros(0, dtype=object)
    owner, prob_org, post_cadre, post_org, duty_cadre, duty_org = _id_codes(dataset, [
        ("projects.csv", "owner_id"), ("problems.csv", "org_id"), ("posts.csv", "cadre_id"), ("posts.csv", "org_id"),
        ("duties.csv", "cadre_id"), ("duties.csv", "org_id")])
    space = 1 + max(int(c.max()) if len(c) else 0 for c in (owner, prob_org, post_cadre, post_org, duty_cadre, duty_org))
    key = _pairs(owner, prob_org[proj_problem], space)
    role = dataset.posts["role"]
    secretary = (role == "secretary").to_numpy(dtype=bool)
    in_charge = np.concatenate([_pairs(post_cadre[secretary], post_org[secretary], space), _pairs(duty_cadre, duty_org, space)])
    wrong = owned & ~_isin(key, in_charge)
    if not wrong.any():
        return wrong, np.zeros(0, dtype=object)
    # the owner's first post in that organization, if any
    wrong_keys = pd.Index(key[wrong])
    distinct = wrong_keys.unique()
    at = distinct.get_indexer(_pairs(post_cadre, post_org, space))  # each post: its pair among the wrong ones
    first = np.full(len(distinct), -1, dtype=np.int64)
    hit = np.flatnonzero(at >= 0)
    first[at[hit][::-1]] = hit[::-1]
    post_of = first[distinct.get_indexer(wrong_keys)]
    role_there = np.full(len(post_of), "", dtype=object)
    has_post = post_of >= 0
    role_there[has_post] = role.iloc[post_of[has_post]].astype(object).to_numpy()  # only those posts' roles as text
    return wrong, role_there


def _isin(keys: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Whether each key is among the keys >= 0 of ``among``: a hash table of the keys' distinct
    values, probed with ``among`` (building costs far more than probing)."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    found = pd.Index(distinct).get_indexer(among[among >= 0])
    mark = np.zeros(len(distinct), dtype=bool)
    mark[found[found >= 0]] = True
    return mark[inverse.ravel()]


def _by_org(tree: OrgTree, pos: np.ndarray, has_project: np.ndarray, has_done: np.ndarray) -> pd.DataFrame:
    """Per organization with problems (``pos``: each problem's organization, a tree position)."""
    if len(pos) == 0:
        return pd.DataFrame({"org": pd.Series([], dtype=object), "kind": pd.Series([], dtype=object),
                             "level": pd.Series([], dtype=np.int64), "problems": pd.Series([], dtype=np.int64),
                             "with_project": pd.Series([], dtype=np.int64), "done": pd.Series([], dtype=np.int64),
                             "share_done": pd.Series([], dtype=np.float64)})
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
