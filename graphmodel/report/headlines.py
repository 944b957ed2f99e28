"""The top findings of an analysis in plain words, one sentence each, most telling first.

Each sentence is read off the findings' values and tables (DESIGN §5, §6) and says what a
reader of the briefing should take away, with the numbers that back it: the 上热中温下冷
pattern, each 中梗阻 level, the broken links and the most valuable repair, drops, vacancies,
一岗双责 holders cut off, 四责协同, the closed loop, and — when the findings carry them — the
政治生态 portrait, the three lists and 一案双查. A finding whose table is absent is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from graphmodel.render.labels import VACANCY_LABELS, category_label, check_lang, kind_label, responsibility_label
from graphmodel.report.sections import part
from graphmodel.report.text import page_text

__all__ = ["Headline", "headlines"]


@dataclass(frozen=True)
class Headline:
    """One finding: ``key`` names what it is about (``cooling``, ``blockage`` …), ``text`` says it."""

    key: str
    text: str


def _cooling(patterns: Mapping[str, Any], lang: str) -> Headline | None:
    detail = patterns.get("detail") or {}
    if "top_mean" not in detail:
        return None
    key = "f_cooling_yes" if patterns.get("cooling") else "f_cooling_no"
    return Headline("cooling", page_text(
        key, lang, top=detail["top_level"], top_mean=detail["top_mean"], deep=detail["deepest_level"],
        deep_mean=detail["deepest_mean"], hot=detail["theta_hot"], cold=detail["theta_cold"]))


def _blockages(patterns: Mapping[str, Any], levels: pd.DataFrame | None, factor: float, lang: str) -> list[Headline]:
    detail = patterns.get("detail") or {}
    rows = {int(row["level"]): row for row in detail.get("levels", [])}
    means = {} if levels is None else dict(zip(levels["level"].astype(int), levels["mean"].astype(float)))
    out = []
    for level in patterns.get("blockages", []):
        row = rows.get(int(level))
        if row is None or int(level) + 1 not in means:
            continue
        out.append(Headline("blockage", page_text(
            "f_blockage", lang, level=int(level), r=row["attenuation"], median=row["threshold"] / factor,
            mean=means[int(level)], next=int(level) + 1, next_mean=means[int(level) + 1])))
    if not out and detail.get("levels"):
        out.append(Headline("blockage", page_text("f_no_blockage", lang, factor=factor)))
    return out


def _broken(broken: pd.DataFrame, tau: float, names: Mapping[str, str], lang: str) -> list[Headline]:
    if broken.empty:
        return [Headline("broken_links", page_text("f_no_broken", lang, tau=tau))]
    category = broken["category"].astype(str)
    out = [Headline("broken_links", page_text(
        "f_broken", lang, broken=len(broken), missing=int((category == "missing").sum()),
        weak=int((category == "weak").sum())))]
    if "impact" in broken.columns:
        top = broken.iloc[int(np.argmax(broken["impact"].to_numpy(dtype=np.float64)))]
        out.append(Headline("repair", page_text(
            "f_broken_top", lang, source=responsibility_label(str(top["source"]), lang, names),
            target=responsibility_label(str(top["target"]), lang, names),
            category=category_label(top["category"], lang), weight=float(top["weight"]),
            impact=float(top["impact"]))))
    return out


def _drops(drops: pd.DataFrame, rho: float, lang: str) -> Headline | None:
    if drops.empty or "level" not in drops.columns:
        return None
    per_level = drops["level"].value_counts().sort_index(kind="stable")
    level = int(per_level.idxmax())
    return Headline("drops", page_text("f_drops", lang, count=len(drops), rho=rho, level=level,
                                       level_count=int(per_level.max())))


def _vacancies(vacancies: pd.DataFrame, lang: str) -> Headline | None:
    if vacancies.empty:
        return None
    counts = vacancies["category"].astype(str).value_counts()
    labels = VACANCY_LABELS[lang]
    parts = [page_text("f_vacancy_part", lang, label=labels.get(c, c), count=int(counts[c]))
             for c in [*labels, *sorted(set(counts.index) - set(labels))] if c in counts.index]
    return Headline("vacancies", page_text("f_vacancies", lang, count=len(vacancies),
                                           parts=page_text("list_sep", lang).join(parts)))


def _dual_duty(by_level: pd.DataFrame, lang: str) -> Headline | None:
    needed = {"level", "holders", "cut_off", "isolated"}
    if by_level.empty or not needed <= set(by_level.columns) or by_level["holders"].sum() == 0:
        return None
    share = by_level["cut_off"] / by_level["holders"].where(by_level["holders"] > 0)
    worst = int(share.fillna(-1.0).to_numpy().argmax())
    return Headline("dual_duty", page_text(
        "f_dual_duty", lang, holders=int(by_level["holders"].sum()), cut_off=int(by_level["cut_off"].sum()),
        isolated=int(by_level["isolated"].sum()), level=int(by_level["level"].iloc[worst]),
        share=float(share.iloc[worst])))


def _coordination(coordination: pd.DataFrame, lang: str) -> Headline | None:
    if coordination.empty or "weakest" not in coordination.columns:
        return None
    counts = coordination["weakest"].astype(str).value_counts(sort=True)
    weakest = str(counts.index[0])
    return Headline("coordination", page_text(
        "f_coordination", lang, orgs=len(coordination), zero=int((coordination["index"] <= 0).sum()),
        weakest=kind_label(weakest, lang), weakest_count=int(counts.iloc[0])))


def _loop(loop: pd.DataFrame, by_level: pd.DataFrame | None, lang: str) -> Headline | None:
    if loop.empty or "complete" not in loop.columns or by_level is None or by_level.empty:
        return None
    stages = [s for s in ("know", "perform", "assess") if s in by_level.columns]
    if not stages:
        return None
    shares = by_level[stages].to_numpy(dtype=np.float64)
    row, col = np.unravel_index(int(np.nanargmin(shares)), shares.shape)
    return Headline("loop", page_text(
        "f_loop", lang, complete=float(loop["complete"].mean()), level=int(by_level["level"].iloc[row]),
        stage=page_text(f"stage_{stages[col]}", lang), share=float(shares[row, col])))


def _ecology(findings: Any, lang: str) -> list[Headline]:
    eco = part(findings, "ecology")
    index = None if eco is None else eco.table("index", "index")
    if eco is None or index is None:
        return []
    trees = eco.table("trees", "org")
    out = [Headline("ecology", page_text("f_ecology", lang, orgs=len(index), mean=float(index["index"].mean()),
                                         trees=0 if trees is None else len(trees)))]
    relation = (eco.summary.get("relation") or {}).get("pressure") or {}
    rho = relation.get("spearman")
    if rho is not None:
        key = "f_ecology_relation_pos" if rho >= 0.3 else "f_ecology_relation_neg" if rho <= -0.3 else "f_ecology_relation_none"
        out.append(Headline("ecology_relation", page_text(key, lang, rho=float(rho), n=int(relation.get("n", len(index))))))
    return out


def _lists(findings: Any, lang: str) -> Headline | None:
    lists = part(findings, "lists")
    summary = {} if lists is None else lists.summary
    if not summary.get("problems"):
        return None
    return Headline("lists", page_text(
        "f_lists", lang, as_of=summary.get("as_of", ""), problems=int(summary["problems"]),
        without=int(summary.get("problems_without_project", 0)), projects=int(summary.get("projects", 0)),
        unowned=int(summary.get("projects_without_owner", 0)),
        not_in_charge=int(summary.get("owners_not_in_charge", 0)), overdue=int(summary.get("overdue", 0))))


def _cases(findings: Any, lang: str) -> Headline | None:
    cases = part(findings, "cases")
    summary = {} if cases is None else cases.summary
    if cases is None or not summary.get("cases"):
        return None
    kind = summary.get("most_implicated")
    implicated = cases.table("implicated", "kind", "cases")
    if not kind or implicated is None or not (implicated["kind"] == kind).any():
        return None
    kind_cases = int(implicated.loc[implicated["kind"] == kind, "cases"].iloc[0])
    return Headline("cases", page_text(
        "f_cases", lang, cases=int(summary["cases"]), implicated=int(summary.get("implicated_any", 0)),
        kind=kind_label(kind, lang), kind_cases=kind_cases))


def headlines(findings: Any, names: Mapping[str, str] | None = None, lang: str = "zh") -> list[Headline]:
    """The top findings of ``findings`` in plain words, most telling first.

    Parameters
    ----------
    findings : a ``Findings`` (``analyze``): its ``values`` (``patterns`` …) and ``tables``.
    names : organization and cadre ids → display names.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    list of Headline
        In this order, each when its table is present: cooling, blockage (one per blocked level,
        or one saying none is), broken links and the top repair, drops, vacancies, 一岗双责,
        四责协同, the closed loop, the 政治生态 portrait and its relation to the cascade, the
        three lists, 一案双查.

    Examples
    --------
    A profile that halves nothing until level 2 passes on only a quarter of its pressure:

    >>> from types import SimpleNamespace
    >>> from graphmodel.analysis.levels import patterns
    >>> from graphmodel.analysis.parameters import Parameters
    >>> means = np.array([1.0, 0.9, 0.8, 0.2, 0.18])
    >>> levels = pd.DataFrame({"level": range(5), "mean": means,
    ...     "attenuation": np.append(means[1:] / means[:-1], np.nan)})
    >>> findings = SimpleNamespace(tables={"levels": levels}, parameters=Parameters(),
    ...     values={"patterns": patterns(levels)})
    >>> for h in headlines(findings):
    ...     print(h.text)
    压力呈“上热中温下冷”：第0级均值1.00（达到热线0.80），最深的第4级均值仅0.18（低于冷线0.30）。
    压力在第2级传导受阻（中梗阻）：该级衰减率0.25，远低于其他层级的中位数0.90（第2级均值0.80，第3级仅0.20）。
    """
    check_lang(lang)
    names = names or {}
    values, tables = findings.values, findings.tables
    params = findings.parameters
    patterns = values.get("patterns") or {}
    out: list[Headline] = []
    cooling = _cooling(patterns, lang)
    if cooling is not None:
        out.append(cooling)
    out += _blockages(patterns, tables.get("levels"), params.blockage_factor, lang)
    if "broken_links" in tables:
        out += _broken(tables["broken_links"], params.tau_weak, names, lang)
    singles = [
        _drops(tables["drops"], params.rho_drop, lang) if "drops" in tables else None,
        _vacancies(tables["vacancies"], lang) if "vacancies" in tables else None,
        _dual_duty(tables["dual_duty_by_level"], lang) if "dual_duty_by_level" in tables else None,
        _coordination(tables["coordination"], lang) if "coordination" in tables else None,
        _loop(tables["loop"], tables.get("loop_by_level"), lang) if "loop" in tables else None,
    ]
    out += [h for h in singles if h is not None]
    out += _ecology(findings, lang)
    out += [h for h in (_lists(findings, lang), _cases(findings, lang)) if h is not None]
    return out
