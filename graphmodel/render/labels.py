"""Chinese and English labels of the contract's vocabulary and of every figure's text.

Figures speak Chinese by default (``lang="zh"``); ``lang="en"`` gives English. The vocabulary
follows DESIGN §1–§2: 主体责任, 第一责任人责任, 一岗双责, 监督责任; levels read 第0级, 第1级 …
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from graphmodel.errors import RenderError

__all__ = [
    "LANGS",
    "KIND_LABELS",
    "ORG_KIND_LABELS",
    "CATEGORY_LABELS",
    "STATUS_LABELS",
    "VACANCY_LABELS",
    "COMPONENT_LABELS",
    "TEXT",
    "check_lang",
    "text",
    "kind_label",
    "org_kind_label",
    "category_label",
    "level_label",
    "responsibility_label",
]

LANGS: Final = ("zh", "en")

KIND_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "principal": "主体责任",
        "first_person": "第一责任人责任",
        "dual_duty": "一岗双责",
        "supervisory": "监督责任",
    },
    "en": {
        "principal": "principal",
        "first_person": "first person",
        "dual_duty": "dual duty",
        "supervisory": "supervisory",
    },
}
"""Responsibility kinds (DESIGN §1)."""

ORG_KIND_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {"committee": "党委", "leading_group": "党组", "branch": "党总支/党支部", "discipline": "纪委"},
    "en": {"committee": "committee", "leading_group": "leading group", "branch": "branch",
           "discipline": "discipline body"},
}
"""Organization kinds (DESIGN §2)."""

CATEGORY_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {"missing": "缺失", "weak": "偏弱"},
    "en": {"missing": "missing", "weak": "weak"},
}
"""Broken-link categories (DESIGN §5)."""

STATUS_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {"no_duty": "无分管", "cut_off_above": "上游断联", "cut_off_below": "下游断联", "isolated": "孤立"},
    "en": {"no_duty": "no duty", "cut_off_above": "cut off above", "cut_off_below": "cut off below",
           "isolated": "isolated"},
}
"""一岗双责 holder statuses (DESIGN §5)."""

VACANCY_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {"secretary": "书记空缺", "supervision": "无监督", "members": "无班子成员"},
    "en": {"secretary": "no secretary", "supervision": "not supervised", "members": "no team members"},
}
"""Vacancy categories (DESIGN §6)."""

COMPONENT_LABELS: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {**KIND_LABELS["zh"], "index": "协同指数"},
    "en": {**KIND_LABELS["en"], "index": "index"},
}
"""The 四责协同 components and their index (DESIGN §5, §6 ``coordination``)."""

TEXT: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "level": "层级",
        "level_n": "第{level}级",
        "pressure": "压力",
        "received_pressure": "所受主体责任压力",
        "mean": "均值",
        "median": "中位数",
        "p10": "第10百分位",
        "hot": "热（≥{theta}）",
        "cold": "冷（<{theta}）",
        "blockage": "中梗阻",
        "cooling": "上热中温下冷",
        "attenuation": "r={value:.2f}",
        "level_profile_title": "逐级压力传导",
        "tree_title": "组织树与压力传导",
        "tree_aggregated_title": "组织树（按一级单位汇总）",
        "tree_edge": "隶属",
        "broken_missing": "断链（缺失）",
        "broken_weak": "弱链（偏弱）",
        "inside_broken": "单位内部断链",
        "no_pressure": "无数据",
        "branch_of": "一级单位",
        "root_column": "本级",
        "orgs_count": "{count}个",
        "broken_count": "断{count}",
        "broken_cells": "含断链（缺失或偏弱）",
        "repair_title": "修复清单（按影响排序）",
        "impact": "修复后压力总和增加（影响）",
        "weight": "w={value:.2f}",
        "coordination_title": "四责协同",
        "coordination_by_level": "四责协同（按层级）",
        "coordination_by_org": "四责协同（最弱的{count}个单位）",
        "score": "得分",
        "network_title": "{org}的责任网络",
        "incoming": "上游",
        "own": "本单位",
        "outgoing": "下游",
        "more": "……另有{count}项",
        "link_ok": "正常传导",
        "ecology_title": "政治生态森林",
        "ecology_index": "政治生态指数",
        "ecology_trees_title": "政治生态树木（异常单位）",
        "region": "区域",
        "kind": "类型",
        "comparison_title": "两年压力对比",
        "delta": "{value:+.2f}",
    },
    "en": {
        "level": "Level",
        "level_n": "Level {level}",
        "pressure": "Pressure",
        "received_pressure": "Received principal pressure",
        "mean": "mean",
        "median": "median",
        "p10": "10th percentile",
        "hot": "hot (≥{theta})",
        "cold": "cold (<{theta})",
        "blockage": "blockage",
        "cooling": "hot top, cold bottom",
        "attenuation": "r={value:.2f}",
        "level_profile_title": "Pressure by level",
        "tree_title": "Organization tree and pressure",
        "tree_aggregated_title": "Organization tree (by level-1 unit)",
        "tree_edge": "subordinate",
        "broken_missing": "broken link (missing)",
        "broken_weak": "broken link (weak)",
        "inside_broken": "broken inside the unit",
        "no_pressure": "no data",
        "branch_of": "Level-1 unit",
        "root_column": "top",
        "orgs_count": "{count}",
        "broken_count": "{count} broken",
        "broken_cells": "holds broken links (missing or weak)",
        "repair_title": "Repair list (by impact)",
        "impact": "Rise of total pressure when repaired (impact)",
        "weight": "w={value:.2f}",
        "coordination_title": "Coordination of the four responsibilities",
        "coordination_by_level": "Coordination by level",
        "coordination_by_org": "Coordination (the {count} weakest units)",
        "score": "Score",
        "network_title": "Responsibility network of {org}",
        "incoming": "upstream",
        "own": "this unit",
        "outgoing": "downstream",
        "more": "… {count} more",
        "link_ok": "transmitting",
        "ecology_title": "Political ecology: the forest",
        "ecology_index": "Political ecology index",
        "ecology_trees_title": "Political ecology: the trees (outliers)",
        "region": "Region",
        "kind": "Kind",
        "comparison_title": "Pressure by level, two years",
        "delta": "{value:+.2f}",
    },
}
"""Every other text of the figures, by key; some are format strings."""


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a known language, else raise ``RenderError``.

    Examples
    --------
    >>> check_lang("en")
    'en'
    """
    if lang not in LANGS:
        raise RenderError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return lang


def text(key: str, lang: str = "zh", **values: object) -> str:
    """The figure text ``key`` in ``lang``, formatted with ``values``.

    Examples
    --------
    >>> text("level_n", level=2)
    '第2级'
    >>> text("hot", "en", theta=0.8)
    'hot (≥0.8)'
    """
    template = TEXT[check_lang(lang)][key]
    return template.format(**values) if values else template


def _lookup(table: Mapping[str, Mapping[str, str]], code: object, lang: str) -> str:
    return table[check_lang(lang)].get(str(code), str(code))


def kind_label(kind: object, lang: str = "zh") -> str:
    """Label of a responsibility kind; an unknown code is returned as it is.

    Examples
    --------
    >>> kind_label("dual_duty"), kind_label("supervisory", "en")
    ('一岗双责', 'supervisory')
    """
    return _lookup(KIND_LABELS, kind, lang)


def org_kind_label(kind: object, lang: str = "zh") -> str:
    """Label of an organization kind.

    Examples
    --------
    >>> org_kind_label("leading_group")
    '党组'
    """
    return _lookup(ORG_KIND_LABELS, kind, lang)


def category_label(category: object, lang: str = "zh") -> str:
    """Label of a broken-link category.

    Examples
    --------
    >>> category_label("missing"), category_label("weak", "en")
    ('缺失', 'weak')
    """
    return _lookup(CATEGORY_LABELS, category, lang)


def level_label(level: object, lang: str = "zh") -> str:
    """Label of a level: 第0级 or Level 0.

    Examples
    --------
    >>> level_label(0), level_label(3, "en")
    ('第0级', 'Level 3')
    """
    return text("level_n", lang, level=int(level))  # type: ignore[call-overload]


def responsibility_label(
    node_id: str, lang: str = "zh", names: Mapping[str, str] | None = None
) -> str:
    """A readable label of a DESIGN §4 responsibility id.

    ``principal:X`` reads "X 主体责任", ``dual_duty:M@X`` reads "X M 一岗双责"; ``names`` maps
    organization and cadre ids to display names.

    Examples
    --------
    >>> responsibility_label("principal:pd", names={"pd": "浦东新区区委"})
    '浦东新区区委 主体责任'
    >>> responsibility_label("dual_duty:c7@pd", "en")
    'pd c7 dual duty'
    """
    names = names or {}
    kind, _, rest = node_id.partition(":")
    if not rest:
        return node_id
    if kind == "dual_duty" and "@" in rest:
        cadre, _, org = rest.rpartition("@")
        who = f"{names.get(org, org)} {names.get(cadre, cadre)}"
    else:
        who = names.get(rest, rest)
    return f"{who} {kind_label(kind, lang)}"
