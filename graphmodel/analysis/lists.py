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
    tree = tree or OrgTree.from_frame(dataset.organizations)
    problems, projects = dataset.problems, dataset.projects
    prob_id = _text(problems["id"])
    prob_org = _text(problems["org_id"])
    proj_problem = _text(projects["problem_id"])
    proj_id = _text(projects["id"])
    status = _text(projects["status"])
    owner = _text(projects["owner_id"])
    due = _text(projects["due"])

    prob_index = pd.Index(prob_id)
    proj_pos = prob_index.get_indexer(proj_problem)  # validated: every project names a problem
    proj_org = prob_org[proj_pos] if len(prob_id) else np.zeros(0, dtype=object)

    # problems without a project; per organization, with a project and with a done one
    has_project = np.zeros(len(prob_id), dtype=bool)
    has_project[proj_pos] = True
    has_done = np.zeros(len(prob_id), dtype=bool)
    has_done[proj_pos[status == "done"]] = True
    orphan = ~has_project
    without_project = pd.DataFrame({
        "problem": prob_id[orphan],
        "org": prob_org[orphan],
        "source": _text(problems["source"])[orphan],
        "severity": _text(problems["severity"])[orphan],
        "description": _text(problems["description"])[orphan],
    })

    # projects without an owner
    no_owner = owner == ""
    without_owner = pd.DataFrame({
        "project": proj_id[no_owner], "problem": proj_problem[no_owner], "org": proj_org[no_owner],
        "status": status[no_owner], "due": due[no_owner],
    })

    # owners neither the secretary of the problem's organization nor a member in charge of it
    wrong, role_there = _not_in_charge(dataset, proj_org, owner)
    not_in_charge = pd.DataFrame({
        "project": proj_id[wrong], "problem": proj_problem[wrong], "org": proj_org[wrong],
        "owner": owner[wrong], "owner_role": role_there[wrong],
    })

    # overdue: not done, due before as_of
    late = np.zeros(len(proj_id), dtype=bool)
    days = np.zeros(len(proj_id), dtype=np.int64)
    dated = (due != "") & (status != "done")
    if dated.any():
        due_day = pd.to_datetime(pd.Series(due[dated]), format="%Y-%m-%d").to_numpy(dtype="datetime64[D]")
        lag = (np.datetime64(day, "D") - due_day).astype(np.int64)
        late[np.flatnonzero(dated)] = lag > 0
        days[np.flatnonzero(dated)] = lag
    overdue = pd.DataFrame({
        "project": proj_id[late], "problem": proj_problem[late], "org": proj_org[late], "owner": owner[late],
        "status": status[late], "due": due[late], "days_overdue": days[late],
    }).sort_values(["days_overdue", "project"], ascending=[False, True], kind="stable").reset_index(drop=True)

    by_org = _by_org(tree, prob_org, has_project, has_done)
    counts = {"problems": int(len(prob_id)), "projects": int(len(proj_id))}
    return ThreeLists(day, without_project, without_owner, not_in_charge, overdue, by_org, counts)


def _not_in_charge(dataset: Any, proj_org: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which projects' owners are neither the secretary of the org nor in charge of it, and the
    owner's role in that organization ("" when none)."""
    n = len(owner)
    role_there = np.full(n, "", dtype=object)
    if n == 0:
        return np.zeros(0, dtype=bool), role_there
    posts, duties = dataset.posts, dataset.duties
    post_key = pd.MultiIndex.from_arrays([_text(posts["cadre_id"]), _text(posts["org_id"])])
    key = pd.MultiIndex.from_arrays([owner, proj_org])
    hit = post_key.get_indexer(key) if post_key.is_unique else post_key.drop_duplicates().get_indexer(key)
    roles = _text(posts["role"])
    if not post_key.is_unique:  # pragma: no cover - validated: one post per cadre and organization
        roles = roles[~post_key.duplicated()]
    found = hit >= 0
    role_there[found] = roles[hit[found]]
    duty_key = pd.MultiIndex.from_arrays([_text(duties["cadre_id"]), _text(duties["org_id"])]).unique()
    in_charge = duty_key.get_indexer(key) >= 0
    wrong = (owner != "") & (role_there != "secretary") & ~in_charge
    return wrong, role_there


def _by_org(tree: OrgTree, prob_org: np.ndarray, has_project: np.ndarray, has_done: np.ndarray) -> pd.DataFrame:
    if len(prob_org) == 0:
        return pd.DataFrame({"org": pd.Series([], dtype=object), "kind": pd.Series([], dtype=object),
                             "level": pd.Series([], dtype=np.int64), "problems": pd.Series([], dtype=np.int64),
                             "with_project": pd.Series([], dtype=np.int64), "done": pd.Series([], dtype=np.int64),
                             "share_done": pd.Series([], dtype=np.float64)})
    pos = tree.positions(prob_org)
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
