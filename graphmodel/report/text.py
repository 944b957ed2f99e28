"""The briefing page's own words, in Chinese (default) and English.

Figure texts and the contract's vocabulary (主体责任, 缺失 …) come from
``graphmodel.render.labels``; this module holds what only the page says: section titles,
table headings, and the sentences of the top findings, some of them format strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import pandas as pd

from graphmodel.render.labels import check_lang

__all__ = ["PAGE_TEXT", "page_text", "number", "ecology_item", "ecology_reasons", "flagged_items"]

PAGE_TEXT: Final[Mapping[str, Mapping[str, str]]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "责任网络分析简报",
        "subtitle": "全面从严治党“四责协同”机制 · 压力传导分析",
        "dataset_line": "数据：{organizations}个组织、{responsibilities}项责任、{links}条传导链、{levels}个层级",
        "source_line": "数据来源：{source}",
        "findings": "主要发现",
        "figures": "图表",
        "tables": "明细表",
        "levels_table": "逐级压力",
        "repair_table": "修复清单（前{count}条，按影响排序）",
        "vacancies_table": "空缺（前{count}项）",
        "coordination_table": "四责协同最弱的单位（前{count}个）",
        "drops_table": "压力断崖（前{count}处，按落差排序）",
        "more_rows": "另有{count}行，见 {file}。",
        "files": "文件",
        "files_note": "图表另存为 PNG、SVG、PDF（figures/ 文件夹），全部结果表为 CSV（data/ 文件夹）。",
        "download": "下载：",
        "col_rank": "序号",
        "col_level": "层级",
        "col_count": "责任数",
        "col_mean": "均值",
        "col_median": "中位数",
        "col_p10": "第10百分位",
        "col_attenuation": "衰减率",
        "col_source": "来源",
        "col_target": "去向",
        "col_category": "类别",
        "col_weight": "权重",
        "col_impact": "影响",
        "col_org": "单位",
        "col_parent": "上级单位",
        "col_kind": "类型",
        "col_vacancy": "空缺",
        "col_pressure": "压力",
        "col_parent_pressure": "上级压力",
        "col_fall": "落差",
        "col_index": "协同指数",
        "col_weakest": "最弱环节",
        "col_ecology_index": "政治生态指数",
        "col_reason": "原因",
        "generated_by": "由 graphmodel 生成。本页自成一体：图表与字体均内嵌，不引用任何外部资源。",
        "fig_level_profile": "逐级压力传导：均值、中位数与第10百分位；红带为热，蓝带为冷，阴影为中梗阻。",
        "fig_org_tree": "组织树：各单位所受主体责任压力，断链以紫色（缺失）和琥珀色（偏弱）标出。",
        "fig_repair_list": "修复清单：修复后全网压力总和增加最多的断链。",
        "fig_coordination": "四责协同：各层级四项责任得分的均值与协同指数。",
        "fig_org_network": "{org}的责任网络：上游、本单位与下游责任及各链权重。",
        "fig_ecology_trees": "政治生态树木：指数或某项指标异常的单位。",
        # findings in plain words
        "f_cooling_yes": "压力呈“上热中温下冷”：第{top}级均值{top_mean:.2f}（达到热线{hot:.2f}），"
                         "最深的第{deep}级均值仅{deep_mean:.2f}（低于冷线{cold:.2f}）。",
        "f_cooling_no": "未见“上热中温下冷”：第{top}级均值{top_mean:.2f}，最深的第{deep}级均值{deep_mean:.2f}"
                        "（热线{hot:.2f}、冷线{cold:.2f}）。",
        "f_blockage": "压力在第{level}级传导受阻（中梗阻）：该级衰减率{r:.2f}，远低于其他层级的中位数{median:.2f}"
                      "（第{level}级均值{mean:.2f}，第{next}级仅{next_mean:.2f}）。",
        "f_no_blockage": "各中间层级均未出现中梗阻（衰减率不低于其他层级中位数的{factor:.0%}）。",
        "f_broken": "共有{broken}条传导链断裂或偏弱（缺失{missing}条、偏弱{weak}条）。",
        "f_broken_top": "修复影响最大的是 {source} → {target}（{category}，权重{weight:.2f}）：单独修复后全网压力总和增加{impact:.1f}。",
        "f_no_broken": "所有预期传导链均已有效传导（权重不低于{tau:.2f}）。",
        "f_drops": "{count}个单位所受主体责任压力不足上级的{rho:.0%}（压力断崖），其中第{level}级最多（{level_count}个）。",
        "f_vacancies": "空缺{count}处：{parts}。",
        "f_vacancy_part": "{label}{count}个",
        "f_dual_duty": "一岗双责：{holders}个岗位中{cut_off}个与上游或下游断联、{isolated}个完全孤立；"
                       "断联比例最高的是第{level}级（{share:.0%}）。",
        "f_coordination": "四责协同：{orgs}个单位中{zero}个协同指数为0（至少一项责任缺位）；"
                          "最常见的最弱环节是{weakest}（{weakest_count}个单位）。",
        "f_loop": "责任闭环（知责、履责、考责俱全）的单位占{complete:.0%}；最薄弱的是第{level}级的{stage}环节（{share:.0%}）。",
        "f_ecology": "政治生态：{orgs}个单位的指数均值{mean:.1f}（满分100），{trees}个单位的指数或某项指标明显偏离同类（树木）。",
        "f_ecology_relation_pos": "政治生态指数与所受主体责任压力同向：等级相关系数ρ={rho:.2f}（{n}个单位），压力传导到位的单位政治生态也更好。",
        "f_ecology_relation_neg": "政治生态指数与所受主体责任压力反向：等级相关系数ρ={rho:.2f}（{n}个单位）。",
        "f_ecology_relation_none": "政治生态指数与所受主体责任压力关系不明显：等级相关系数ρ={rho:.2f}（{n}个单位）。",
        "f_lists": "三张清单（截至{as_of}）：{problems}个问题中{without}个尚无整改项目；{projects}个项目中{unowned}个没有责任人、"
                   "{not_in_charge}个的责任人不分管该单位、{overdue}个逾期。",
        "f_cases": "一案双查：{cases}起案件中{implicated}起在责任链上查出失责环节，最常被牵连的是{kind}（{kind_cases}起）。",
        "ecology_table": "政治生态异常单位（前{count}个，指数由低到高）",
        "overdue_table": "逾期整改项目（前{count}个，逾期由长到短）",
        "col_project": "项目",
        "col_owner": "责任人",
        "col_status": "状态",
        "col_due": "期限",
        "col_days_overdue": "逾期天数",
        "status_open": "未启动",
        "status_in_progress": "推进中",
        "status_done": "已完成",
        "ecology_item_index": "政治生态指数",
        "ecology_reason": "{item} {value}（同类中位数{median}，稳健z {z:+.1f}）",
        "reason_sep": "；",
        "fig_ecology_forest": "政治生态森林：各层级政治生态指数的分布。",
        "stage_know": "知责明责",
        "stage_perform": "履责尽责",
        "stage_assess": "考责问责",
        "list_sep": "、",
    },
    "en": {
        "html_lang": "en",
        "title": "Responsibility network briefing",
        "subtitle": "The four-responsibility mechanism (四责协同) · pressure transmission",
        "dataset_line": "Data: {organizations} organizations, {responsibilities} responsibilities, {links} links, {levels} levels",
        "source_line": "Source: {source}",
        "findings": "Top findings",
        "figures": "Figures",
        "tables": "Tables",
        "levels_table": "Pressure by level",
        "repair_table": "Repair list (top {count} by impact)",
        "vacancies_table": "Vacancies (first {count})",
        "coordination_table": "Weakest coordination (bottom {count} units)",
        "drops_table": "Pressure drops (top {count} by fall)",
        "more_rows": "{count} more rows in {file}.",
        "files": "Files",
        "files_note": "Figures are also saved as PNG, SVG and PDF (figures/), every result table as CSV (data/).",
        "download": "Download: ",
        "col_rank": "#",
        "col_level": "Level",
        "col_count": "Responsibilities",
        "col_mean": "Mean",
        "col_median": "Median",
        "col_p10": "10th pct.",
        "col_attenuation": "Attenuation",
        "col_source": "From",
        "col_target": "To",
        "col_category": "Category",
        "col_weight": "Weight",
        "col_impact": "Impact",
        "col_org": "Unit",
        "col_parent": "Parent",
        "col_kind": "Kind",
        "col_vacancy": "Vacancy",
        "col_pressure": "Pressure",
        "col_parent_pressure": "Parent pressure",
        "col_fall": "Fall",
        "col_index": "Index",
        "col_weakest": "Weakest",
        "col_ecology_index": "Ecology index",
        "col_reason": "Reason",
        "generated_by": "Made by graphmodel. This page is self-contained: figures and font are embedded; nothing external is referenced.",
        "fig_level_profile": "Pressure by level: mean, median and 10th percentile; red band hot, blue band cold, shading marks a blockage.",
        "fig_org_tree": "Organization tree: principal pressure received per unit; broken links in purple (missing) and amber (weak).",
        "fig_repair_list": "Repair list: the broken links whose repair raises total pressure most.",
        "fig_coordination": "Coordination: mean score of the four responsibilities and the index, per level.",
        "fig_org_network": "Responsibility network of {org}: upstream, own and downstream responsibilities with link weights.",
        "fig_ecology_trees": "Political ecology, the trees: units whose index or an indicator is an outlier.",
        "f_cooling_yes": "Hot top, cold bottom (上热中温下冷): level {top} averages {top_mean:.2f} (hot from {hot:.2f}), "
                         "the deepest level {deep} only {deep_mean:.2f} (cold below {cold:.2f}).",
        "f_cooling_no": "No hot-top-cold-bottom pattern: level {top} averages {top_mean:.2f}, the deepest level {deep} "
                        "{deep_mean:.2f} (hot from {hot:.2f}, cold below {cold:.2f}).",
        "f_blockage": "Transmission is blocked at level {level} (中梗阻): its attenuation is {r:.2f}, far below the other "
                      "levels' median of {median:.2f} (level {level} averages {mean:.2f}, level {next} only {next_mean:.2f}).",
        "f_no_blockage": "No middle level is blocked (every attenuation is at least {factor:.0%} of the other levels' median).",
        "f_broken": "{broken} transmission links are broken ({missing} missing, {weak} weak).",
        "f_broken_top": "The most valuable repair is {source} → {target} ({category}, weight {weight:.2f}): "
                        "repaired alone it raises total pressure by {impact:.1f}.",
        "f_no_broken": "Every expected link transmits (weight at least {tau:.2f}).",
        "f_drops": "{count} units receive less than {rho:.0%} of their parent's principal pressure (drops), most of "
                   "them at level {level} ({level_count}).",
        "f_vacancies": "{count} vacancies: {parts}.",
        "f_vacancy_part": "{count} {label}",
        "f_dual_duty": "Dual duty (一岗双责): of {holders} posts, {cut_off} are cut off above or below and {isolated} "
                       "are isolated; the highest cut-off share is at level {level} ({share:.0%}).",
        "f_coordination": "Coordination (四责协同): {zero} of {orgs} units score 0 (a responsibility is absent); the most "
                          "frequent weakest component is {weakest} ({weakest_count} units).",
        "f_loop": "{complete:.0%} of units show the whole loop (know, perform, assess); the weakest stage is "
                  "{stage} at level {level} ({share:.0%}).",
        "f_ecology": "Political ecology: the index averages {mean:.1f} (of 100) over {orgs} units; {trees} units stand out "
                     "from their peers in the index or an indicator (the trees).",
        "f_ecology_relation_pos": "The ecology index rises with the principal pressure a unit receives: rank correlation "
                                  "ρ={rho:.2f} over {n} units.",
        "f_ecology_relation_neg": "The ecology index falls as the principal pressure a unit receives rises: rank correlation "
                                  "ρ={rho:.2f} over {n} units.",
        "f_ecology_relation_none": "The ecology index shows no clear relation to received pressure: rank correlation "
                                   "ρ={rho:.2f} over {n} units.",
        "f_lists": "Three lists (as of {as_of}): {without} of {problems} problems have no project; of {projects} projects "
                   "{unowned} have no owner, {not_in_charge} an owner not in charge of the unit, and {overdue} are overdue.",
        "f_cases": "Accountability tracing (一案双查): {implicated} of {cases} cases reveal a failing link in the chain "
                   "of responsibility; most often implicated: {kind} ({kind_cases} cases).",
        "ecology_table": "Political ecology outliers (first {count}, lowest index first)",
        "overdue_table": "Overdue projects (first {count}, longest overdue first)",
        "col_project": "Project",
        "col_owner": "Owner",
        "col_status": "Status",
        "col_due": "Due",
        "col_days_overdue": "Days overdue",
        "status_open": "open",
        "status_in_progress": "in progress",
        "status_done": "done",
        "ecology_item_index": "ecology index",
        "ecology_reason": "{item} {value} (peers' median {median}, robust z {z:+.1f})",
        "reason_sep": "; ",
        "fig_ecology_forest": "Political ecology, the forest: the index by level.",
        "stage_know": "know",
        "stage_perform": "perform",
        "stage_assess": "assess",
        "list_sep": ", ",
    },
}
"""The page's texts by language and key; ``f_*`` keys are the sentences of the top findings."""


def page_text(key: str, lang: str = "zh", **values: object) -> str:
    """The page text ``key`` in ``lang``, formatted with ``values``.

    Examples
    --------
    >>> page_text("more_rows", count=3, file="drops.csv")
    '另有3行，见 drops.csv。'
    >>> page_text("findings", "en")
    'Top findings'
    """
    template = PAGE_TEXT[check_lang(lang)][key]
    return template.format(**values) if values else template


def number(value: object, digits: int = 2) -> str:
    """A table cell for a number: fixed digits, an empty cell for a missing value.

    Examples
    --------
    >>> number(0.38321), number(float("nan")), number(None), number(12, 0)
    ('0.38', '', '', '12')
    """
    if value is None:
        return ""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if x != x:
        return ""
    return f"{x:.{digits}f}"


def ecology_item(item: object, lang: str = "zh") -> str:
    """A 政治生态 item: ``index`` is the index itself; an indicator keeps the dataset's name.

    Examples
    --------
    >>> ecology_item("index"), ecology_item("audit_findings"), ecology_item("index", "en")
    ('政治生态指数', 'audit_findings', 'ecology index')
    """
    return page_text("ecology_item_index", lang) if str(item) == "index" else str(item)


def flagged_items(flagged: object, lang: str = "zh") -> str:
    """The items an organization is flagged for, as one short text.

    Examples
    --------
    >>> flagged_items(["assessment_score", "index"])
    'assessment_score；政治生态指数'
    """
    items = [flagged] if isinstance(flagged, str) else list(flagged) if isinstance(flagged, Iterable) else []
    return page_text("reason_sep", lang).join(ecology_item(i, lang) for i in items)


def ecology_reasons(outliers: pd.DataFrame | None, lang: str = "zh") -> dict[str, str]:
    """Organization → why the 政治生态 portrait flags it, from its ``outliers`` table.

    Examples
    --------
    >>> outliers = pd.DataFrame({"org": ["a"], "item": ["index"], "value": [44.66],
    ...     "peer_median": [76.81], "robust_z": [-6.2]})
    >>> ecology_reasons(outliers)["a"]
    '政治生态指数 44.66（同类中位数76.81，稳健z -6.2）'
    """
    if outliers is None:
        return {}
    texts: dict[str, list[str]] = {}
    for r in outliers.itertuples(index=False):
        texts.setdefault(str(r.org), []).append(page_text(
            "ecology_reason", lang, item=ecology_item(r.item, lang), value=f"{float(r.value):.4g}",
            median=f"{float(r.peer_median):.4g}", z=float(r.robust_z)))
    return {org: page_text("reason_sep", lang).join(items) for org, items in texts.items()}
