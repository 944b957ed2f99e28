"""The briefing's tables: the head of each result table, with names and labels a reader understands.

Each table is a :class:`BriefTable` of formatted text cells — ids turned into names,
categories into words, numbers rounded — ready for the page, which escapes every cell. Long
tables are cut to their ``top`` rows, and the page says how many more the CSV holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.render.labels import (
    VACANCY_LABELS,
    category_label,
    check_lang,
    kind_label,
    level_label,
    org_kind_label,
    responsibility_label,
)
from graphmodel.report.sections import csv_name, part
from graphmodel.report.text import ecology_reasons, number, page_text
from graphmodel.vocabulary import RESPONSIBILITY_KINDS

__all__ = ["BriefTable", "brief_tables"]


@dataclass(frozen=True)
class BriefTable:
    """One table of the page.

    Attributes
    ----------
    key : the findings table it shows (``levels``, ``broken_links`` …).
    title : its heading.
    columns : column headings.
    styles : per column, ``num`` (a number: right-aligned, never wrapped), ``tag`` (a short
        label, never wrapped) or ``text`` (names and sentences, wrapped when long).
    rows : the cells, as text.
    flagged : per row, whether it is marked (a blocked level).
    more : rows of the full table not shown.
    file : the CSV holding the full table, relative to the report folder.
    """

    key: str
    title: str
    columns: list[str]
    styles: list[str]
    rows: list[list[str]]
    flagged: list[bool] = field(default_factory=list)
    more: int = 0
    file: str = ""


def _file(key: str) -> str:
    return "data/" + csv_name(key)


def _name(org: object, names: Mapping[str, str]) -> str:
    return names.get(str(org), str(org))


def _levels(levels: pd.DataFrame, blockages: list[int], lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    rows, flagged = [], []
    for row in levels.itertuples(index=False):
        rows.append([level_label(row.level, lang), str(int(row.count)), number(row.mean, 3), number(row.median, 3),
                     number(row.p10, 3), number(getattr(row, "attenuation", None), 2)])
        flagged.append(int(row.level) in blockages)
    return BriefTable("levels", t("levels_table"),
                      [t("col_level"), t("col_count"), t("col_mean"), t("col_median"), t("col_p10"), t("col_attenuation")],
                      ["tag", "num", "num", "num", "num", "num"], rows, flagged, 0, _file("levels"))


def _repair(broken: pd.DataFrame, names: Mapping[str, str], top: int, lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    order = np.argsort(-broken["impact"].to_numpy(dtype=np.float64), kind="stable")
    head = broken.iloc[order[:top]]
    rows = [[str(i + 1), responsibility_label(str(r.source), lang, names), responsibility_label(str(r.target), lang, names),
             category_label(r.category, lang), number(r.weight), number(r.impact)]
            for i, r in enumerate(head.itertuples(index=False))]
    return BriefTable("broken_links", page_text("repair_table", lang, count=len(head)),
                      [t("col_rank"), t("col_source"), t("col_target"), t("col_category"), t("col_weight"), t("col_impact")],
                      ["num", "text", "text", "tag", "num", "num"], rows, [], len(broken) - len(head), _file("broken_links"))


def _vacancies(vacancies: pd.DataFrame, names: Mapping[str, str], top: int, lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    table = vacancies
    if "level" in table.columns:
        table = table.iloc[np.argsort(table["level"].to_numpy(), kind="stable")]
    head = table.head(top)
    labels = VACANCY_LABELS[lang]
    rows = []
    for r in head.itertuples(index=False):
        level = getattr(r, "level", None)
        kind = getattr(r, "kind", None)
        rows.append([_name(r.org, names), "" if level is None else level_label(level, lang),
                     "" if kind is None else org_kind_label(kind, lang), labels.get(str(r.category), str(r.category))])
    return BriefTable("vacancies", page_text("vacancies_table", lang, count=len(head)),
                      [t("col_org"), t("col_level"), t("col_kind"), t("col_vacancy")],
                      ["text", "tag", "tag", "tag"], rows, [], len(vacancies) - len(head), _file("vacancies"))


def _coordination(coordination: pd.DataFrame, names: Mapping[str, str], top: int, lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    components = list(RESPONSIBILITY_KINDS)
    mean = coordination[components].to_numpy(dtype=np.float64).mean(axis=1)
    # Lowest index first; among equal indices (many units score 0) the higher level first — a
    # district at 0 weighs more in a briefing than a village branch — then the weaker components.
    level = coordination["level"].to_numpy(dtype=np.float64) if "level" in coordination.columns else np.zeros(len(mean))
    order = np.lexsort((coordination["org"].astype(str).to_numpy(), mean, level,
                        coordination["index"].to_numpy(dtype=np.float64)))
    head = coordination.iloc[order[:top]]
    has_level = "level" in head.columns
    rows = []
    for r in head.itertuples(index=False):
        cells = [_name(r.org, names)] + ([level_label(r.level, lang)] if has_level else [])
        cells += [number(getattr(r, c)) for c in components]
        cells += [number(r.index), kind_label(r.weakest, lang) if "weakest" in head.columns else ""]
        rows.append(cells)
    columns = [t("col_org")] + ([t("col_level")] if has_level else [])
    columns += [kind_label(c, lang) for c in components] + [t("col_index"), t("col_weakest")]
    styles = ["text"] + (["tag"] if has_level else []) + ["num"] * 5 + ["tag"]
    return BriefTable("coordination", page_text("coordination_table", lang, count=len(head)), columns, styles,
                      rows, [], len(coordination) - len(head), _file("coordination"))


def _drops(drops: pd.DataFrame, names: Mapping[str, str], top: int, lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    fall = drops["parent_pressure"].to_numpy(dtype=np.float64) - drops["pressure"].to_numpy(dtype=np.float64)
    order = np.lexsort((drops["org"].astype(str).to_numpy(), -fall))
    head = drops.iloc[order[:top]]
    has_level = "level" in head.columns
    rows = []
    for r, f in zip(head.itertuples(index=False), fall[order[:top]]):
        rows.append([_name(r.org, names), _name(r.parent, names)] + ([level_label(r.level, lang)] if has_level else [])
                    + [number(r.pressure), number(r.parent_pressure), number(f)])
    columns = [t("col_org"), t("col_parent")] + ([t("col_level")] if has_level else [])
    columns += [t("col_pressure"), t("col_parent_pressure"), t("col_fall")]
    styles = ["text", "text"] + (["tag"] if has_level else []) + ["num"] * 3
    return BriefTable("drops", page_text("drops_table", lang, count=len(head)), columns, styles, rows, [],
                      len(drops) - len(head), _file("drops"))


def _ecology(trees: pd.DataFrame, outliers: pd.DataFrame | None, names: Mapping[str, str], top: int,
             lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    table = trees.iloc[np.argsort(trees["index"].to_numpy(dtype=np.float64), kind="stable")]
    head = table.head(top)
    reasons = ecology_reasons(outliers, lang)
    has_level = "level" in head.columns
    rows = []
    for r in head.itertuples(index=False):
        name = names.get(str(r.org)) or str(getattr(r, "name", "") or r.org)
        reason = reasons.get(str(r.org)) or str(getattr(r, "reason", ""))
        rows.append([name] + ([level_label(r.level, lang)] if has_level else []) + [number(r.index, 1), reason])
    columns = [t("col_org")] + ([t("col_level")] if has_level else []) + [t("col_ecology_index"), t("col_reason")]
    styles = ["text"] + (["tag"] if has_level else []) + ["num", "text"]
    return BriefTable("ecology_trees", page_text("ecology_table", lang, count=len(head)), columns, styles, rows, [],
                      len(trees) - len(head), "data/" + csv_name("ecology", "trees"))


def _overdue(overdue: pd.DataFrame, names: Mapping[str, str], top: int, lang: str) -> BriefTable:
    t = lambda k: page_text(k, lang)  # noqa: E731
    order = np.lexsort((overdue["project"].astype(str).to_numpy(), -overdue["days_overdue"].to_numpy(dtype=np.float64)))
    head = overdue.iloc[order[:top]]
    status = {s: t(f"status_{s}") for s in ("open", "in_progress", "done")}
    rows = [[str(r.project), _name(r.org, names), _name(r.owner, names) if str(r.owner) else "",
             status.get(str(r.status), str(r.status)), str(r.due), str(int(r.days_overdue))]
            for r in head.itertuples(index=False)]
    return BriefTable("lists_overdue", page_text("overdue_table", lang, count=len(head)),
                      [t("col_project"), t("col_org"), t("col_owner"), t("col_status"), t("col_due"), t("col_days_overdue")],
                      ["tag", "text", "tag", "tag", "tag", "num"], rows, [], len(overdue) - len(head),
                      "data/" + csv_name("lists", "overdue"))


def brief_tables(findings: Any, names: Mapping[str, str] | None = None, lang: str = "zh", top: int = 15) -> list[BriefTable]:
    """The page's tables, each when its findings table is present and not empty.

    In order: levels (blocked levels flagged), the head of the repair list (by impact),
    vacancies (by level), the weakest 四责协同 units (lowest index, then higher level, then the
    lower mean of the four components), the largest drops (parent's pressure minus the unit's),
    the 政治生态 trees (lowest index first, with why each is flagged) and the overdue projects
    of the three lists (longest overdue first).

    Parameters
    ----------
    findings : a ``Findings``.
    names : organization and cadre ids → display names.
    lang : ``"zh"`` (default) or ``"en"``.
    top : the most rows a table shows.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> drops = pd.DataFrame({"org": ["b", "a"], "parent": ["r", "r"], "pressure": [0.1, 0.0],
    ...     "parent_pressure": [0.5, 0.9], "level": [1, 1]})
    >>> [table] = brief_tables(SimpleNamespace(tables={"drops": drops}, values={}), {"a": "甲<区>"})
    >>> table.rows[0]
    ['甲<区>', 'r', '第1级', '0.00', '0.90', '0.90']
    """
    check_lang(lang)
    names = names or {}
    tables = findings.tables
    patterns = findings.values.get("patterns") or {}
    out: list[BriefTable] = []
    if "levels" in tables and not tables["levels"].empty:
        out.append(_levels(tables["levels"], [int(k) for k in patterns.get("blockages", [])], lang))
    builders = [("broken_links", _repair), ("vacancies", _vacancies), ("coordination", _coordination), ("drops", _drops)]
    for key, build in builders:
        if key in tables and not tables[key].empty:
            out.append(build(tables[key], names, top, lang))
    eco = part(findings, "ecology")
    trees = None if eco is None else eco.table("trees", "org", "index")
    if eco is not None and trees is not None:
        out.append(_ecology(trees, eco.table("outliers", "org", "item", "value", "peer_median", "robust_z"), names, top, lang))
    lists = part(findings, "lists")
    overdue = None if lists is None else lists.table("overdue", "project", "org", "owner", "status", "due", "days_overdue")
    if overdue is not None:
        out.append(_overdue(overdue, names, top, lang))
    return out
