"""Every figure function: with and without a given Axes, in Chinese and English, drawing what its
tables say (positions, colours, order, labels), and refusing tables it cannot read."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, QuadMesh
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from graphmodel.errors import RenderError
from graphmodel.render import (
    plot_comparison,
    plot_coordination,
    plot_ecology_forest,
    plot_ecology_trees,
    plot_level_profile,
    plot_org_network,
    plot_org_tree,
    plot_repair_list,
)
from graphmodel.render.canvas import BROKEN_COLORS, KIND_COLORS, PRESSURE_CMAP
from graphmodel.render.tree import tree_layout, _org_tree

Draw = Callable[..., tuple[Figure, Axes]]


@pytest.fixture
def figures(organizations: pd.DataFrame, pressure: dict[str, float], broken_links: pd.DataFrame,
            levels: pd.DataFrame, coordination: pd.DataFrame, responsibilities: pd.DataFrame,
            links: pd.DataFrame, ecology_index: pd.DataFrame,
            ecology_outliers: pd.DataFrame) -> dict[str, Callable[..., tuple[Figure, Axes]]]:
    """Each figure function bound to its fixture tables; call with ``ax=`` and ``lang=``."""
    later = levels.assign(mean=levels["mean"] + 0.05)
    return {
        "level_profile": lambda **kw: plot_level_profile(levels, **kw),
        "org_tree": lambda **kw: plot_org_tree(organizations, pressure, broken_links, **kw),
        "org_tree_aggregated": lambda **kw: plot_org_tree(organizations, pressure, broken_links, max_orgs=3, **kw),
        "repair_list": lambda **kw: plot_repair_list(broken_links, **kw),
        "coordination_level": lambda **kw: plot_coordination(coordination, **kw),
        "coordination_org": lambda **kw: plot_coordination(coordination, by="org", **kw),
        "org_network": lambda **kw: plot_org_network(responsibilities, links, "a", **kw),
        "ecology_forest": lambda **kw: plot_ecology_forest(ecology_index, **kw),
        "ecology_trees": lambda **kw: plot_ecology_trees(ecology_outliers, **kw),
        "comparison": lambda **kw: plot_comparison(levels, later, "2023年", "2024年", **kw),
    }


NAMES = ["level_profile", "org_tree", "org_tree_aggregated", "repair_list", "coordination_level",
         "coordination_org", "org_network", "ecology_forest", "ecology_trees", "comparison"]

TITLES_EN = {
    "level_profile": "Pressure by level: hot top, cold bottom",
    "org_tree": "Organization tree and pressure",
    "org_tree_aggregated": "Organization tree (by level-1 unit)",
    "repair_list": "Repair list (by impact)",
    "coordination_level": "Coordination by level",
    "coordination_org": "Coordination (the 6 weakest units)",
    "org_network": "Responsibility network of a",
    "ecology_forest": "Political ecology: the forest",
    "ecology_trees": "Political ecology: the trees (outliers)",
    "comparison": "Pressure by level, two years",
}


def render(fig: Figure) -> None:
    """Draw with Agg (a plain Figure's own canvas draws nothing): fonts, glyphs, colour mapping."""
    fig.savefig(io.BytesIO(), format="png", dpi=40)


def all_text(fig: Figure) -> str:
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


@pytest.mark.parametrize("name", NAMES)
def test_draws_a_new_figure(figures: dict[str, Draw], name: str) -> None:
    fig, ax = figures[name]()
    assert isinstance(fig, Figure) and ax in fig.axes
    assert ax.get_title()
    render(fig)  # without a missing-glyph warning (warnings are errors)


@pytest.mark.parametrize("name", NAMES)
def test_draws_on_a_given_axes(figures: dict[str, Draw], name: str) -> None:
    fig = Figure(figsize=(12, 5))
    left, right = fig.subplots(1, 2)
    left.plot([0, 1], [0, 1])
    out_fig, out_ax = figures[name](ax=right)
    assert out_fig is fig and out_ax is right
    assert len(left.lines) == 1 and not left.get_title()  # the other Axes is untouched
    render(fig)


@pytest.mark.parametrize("name", NAMES)
def test_speaks_english_on_request(figures: dict[str, Draw], name: str) -> None:
    fig, ax = figures[name](lang="en")
    assert ax.get_title() == TITLES_EN[name]
    assert "层级" not in all_text(fig) and "第0级" not in all_text(fig)


@pytest.mark.parametrize("name", NAMES)
def test_refuses_an_unknown_language(figures: dict[str, Draw], name: str) -> None:
    with pytest.raises(RenderError, match="unknown language"):
        figures[name](lang="fr")


# Level profile ---------------------------------------------------------------------------------


def test_level_profile_shows_cooling_blockage_and_kinds(levels: pd.DataFrame) -> None:
    fig, ax = plot_level_profile(levels)
    assert ax.get_title() == "逐级压力传导：上热中温下冷"
    mean_line = [line for line in ax.lines if line.get_label() == "均值"][0]
    assert mean_line.get_ydata().tolist() == levels["mean"].tolist()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"主体责任", "第一责任人责任", "一岗双责", "监督责任", "中位数", "第10百分位"} <= set(legend)
    assert legend[0].startswith("热") and legend[1].startswith("冷")
    # The only blockage is level 1 (r_1 = 0.25 < 0.6 × median 0.8): shaded from 1 to 2.
    shaded = [p for p in ax.patches if isinstance(p, (Polygon, Rectangle))
              and np.allclose(p.get_facecolor()[:3], to_rgba(BROKEN_COLORS["missing"])[:3])]
    assert len(shaded) == 1
    span = shaded[0]
    xs = span.get_xy()[:, 0] if isinstance(span, Polygon) else [span.get_x(), span.get_x() + span.get_width()]
    assert min(xs) == pytest.approx(1.0) and max(xs) == pytest.approx(2.0)
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("r=")] == ["r=0.80", "r=0.25", "r=0.80", "r=0.80"]
    assert "中梗阻" in [t.get_text() for t in ax.texts]


def test_level_profile_without_the_pattern_and_without_kinds(levels: pd.DataFrame) -> None:
    warm = levels.assign(mean=[0.7, 0.6, 0.5, 0.45, 0.4])  # top not hot: no cooling
    fig, ax = plot_level_profile(warm.drop(columns=["attenuation"]), kinds=False)
    assert ax.get_title() == "逐级压力传导"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "主体责任" not in legend
    fig, ax = plot_level_profile(levels, patterns={"cooling": False, "blockages": [3]})
    assert "中梗阻" in [t.get_text() for t in ax.texts] and ax.get_title() == "逐级压力传导"


def test_level_profile_needs_level_and_mean() -> None:
    with pytest.raises(RenderError, match="mean"):
        plot_level_profile(pd.DataFrame({"level": [0, 1]}))


# Organization tree -----------------------------------------------------------------------------


def test_layout_is_layered_parents_above_and_between_children(organizations: pd.DataFrame) -> None:
    tree = _org_tree(organizations)
    layout = tree_layout(tree)
    ids = tree.ids[layout.orgs].tolist()
    x = dict(zip(ids, layout.x.tolist()))
    level = dict(zip(ids, layout.level.tolist()))
    assert "jw" not in x and "jwa" not in x  # discipline bodies are left out
    assert level == {"r": 0, "a": 1, "a1": 2, "a1x": 3, "a2": 2, "b": 1, "b1": 2, "b2": 2, "g": 1}
    # Leaves spaced 0, 1, 2 … in depth-first order with children by id.
    assert [x[k] for k in ("a1x", "a2", "b1", "b2", "g")] == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert x["a1"] == 0.0 and x["a"] == 0.5 and x["b"] == 2.5 and x["r"] == pytest.approx((0.5 + 4.0) / 2)


def test_tree_colours_nodes_by_pressure_and_marks_broken_links(
    organizations: pd.DataFrame, pressure: dict[str, float], broken_links: pd.DataFrame
) -> None:
    fig, ax = plot_org_tree(organizations, pressure, broken_links)
    render(fig)  # maps the pressure values to colours
    tree = _org_tree(organizations)
    layout = tree_layout(tree)
    pos = {org: (x, -lv) for org, x, lv in zip(tree.ids[layout.orgs], layout.x, layout.level)}
    nodes = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets()) == len(pos)][0]
    colour_at = {tuple(np.round(o, 6)): c for o, c in zip(nodes.get_offsets(), nodes.get_facecolors())}
    for org, p in pressure.items():
        assert np.allclose(colour_at[tuple(np.round(pos[org], 6))], PRESSURE_CMAP(p)), org
    # Parent–child broken links: drawn over the child's part of the tree edge, by category.
    by_colour: dict[str, list[np.ndarray]] = {"missing": [], "weak": []}
    for c in ax.collections:
        if isinstance(c, LineCollection):
            for category, colour in BROKEN_COLORS.items():
                if np.allclose(c.get_colors()[0], to_rgba(colour)):
                    by_colour[category] += [np.asarray(s) for s in c.get_segments()]
    ends = {cat: [tuple(np.round(s[-1], 6)) for s in segs] for cat, segs in by_colour.items()}
    assert ends["missing"] == [tuple(np.round(pos["b2"], 6))]
    assert ends["weak"] == [tuple(np.round(pos["a2"], 6))]
    # dual_duty:c1@a → principal:a1x skips a level: an arc from a to a1x.
    arcs = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arcs) == 1
    # first_person:a → dual_duty:c2@a lies inside a: a ring around a's node.
    rings = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_offsets()) == 1]
    assert [tuple(np.round(r.get_offsets()[0], 6)) for r in rings] == [tuple(np.round(pos["a"], 6))]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["隶属", "断链（缺失）", "弱链（偏弱）", "单位内部断链"]


def test_tree_shows_organizations_without_pressure_as_empty(organizations: pd.DataFrame,
                                                            pressure: dict[str, float]) -> None:
    del pressure["g"]
    fig, ax = plot_org_tree(organizations, pd.Series(pressure))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["隶属", "无数据"]


def test_tree_reads_pressure_from_the_responsibilities_table(organizations: pd.DataFrame,
                                                              responsibilities: pd.DataFrame,
                                                              pressure: dict[str, float]) -> None:
    fig_a, ax_a = plot_org_tree(organizations, responsibilities)
    fig_b, ax_b = plot_org_tree(organizations, pressure)
    render(fig_a)
    render(fig_b)
    colours = [np.asarray(c.get_facecolors()) for c in (ax_a.collections[1], ax_b.collections[1])]
    assert np.array_equal(*colours)


def test_aggregated_tree_averages_each_level_and_unit(organizations: pd.DataFrame,
                                                      pressure: dict[str, float],
                                                      broken_links: pd.DataFrame) -> None:
    fig, ax = plot_org_tree(organizations, pressure, broken_links, max_orgs=3)
    assert ax.get_title() == "组织树（按一级单位汇总）"
    mesh = [c for c in ax.collections if isinstance(c, QuadMesh)][0]
    grid = np.ma.filled(mesh.get_array().reshape(4, 4).astype(float), np.nan)  # levels × (本级, a, b, g)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["本级", "甲区委", "乙区委", "市发改委党组"]
    assert grid[0, 0] == 1.0 and np.isnan(grid[0, 1])
    assert grid[1].tolist()[1:] == [0.9, 0.75, 0.85]
    assert grid[2, 1] == pytest.approx((0.5 + 0.2) / 2) and grid[2, 2] == pytest.approx((0.3 + 0.0) / 2)
    assert grid[3, 1] == pytest.approx(0.1) and np.isnan(grid[3, 2])
    texts = [t.get_text() for t in ax.texts]
    # Broken links counted where their target lies: b2 and a2 at level 2, a1x at level 3, a itself.
    assert "0.35\n2个\n断1" in texts and "0.15\n2个\n断1" in texts and "0.10\n1个\n断1" in texts


def test_tree_refuses_a_forest(organizations: pd.DataFrame, pressure: dict[str, float]) -> None:
    two_roots = organizations.assign(parent_id=organizations["parent_id"].where(organizations["id"] != "g", ""))
    with pytest.raises(RenderError, match="exactly one root"):
        plot_org_tree(two_roots, pressure)


# Repair list -----------------------------------------------------------------------------------


def test_repair_list_ranks_by_impact_and_colours_by_category(broken_links: pd.DataFrame) -> None:
    shuffled = broken_links.sample(frac=1.0, random_state=3)
    fig, ax = plot_repair_list(shuffled, top=3, names={"b": "乙区委", "b2": "乙二街道党工委"})
    widths = [bar.get_width() for bar in ax.patches if isinstance(bar, Rectangle) and bar.get_height() == 0.7]
    assert widths == [1.7, 0.9, 0.6]  # the top 3 by impact, largest first (drawn top down)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "乙区委 主体责任 → 乙二街道党工委 主体责任"
    colours = [bar.get_facecolor() for bar in ax.patches if isinstance(bar, Rectangle) and bar.get_height() == 0.7]
    assert np.allclose(colours[0], to_rgba(BROKEN_COLORS["missing"]))
    assert np.allclose(colours[1], to_rgba(BROKEN_COLORS["weak"]))
    assert "w=0.20" in [t.get_text() for t in ax.texts]


def test_repair_list_refuses_bad_input(broken_links: pd.DataFrame) -> None:
    with pytest.raises(RenderError, match="impact"):
        plot_repair_list(broken_links.drop(columns=["impact"]))
    with pytest.raises(RenderError, match="top"):
        plot_repair_list(broken_links, top=0)


# Coordination ----------------------------------------------------------------------------------


def test_coordination_by_level_bars_are_the_level_means(coordination: pd.DataFrame) -> None:
    fig, ax = plot_coordination(coordination)
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() < 0.5]
    by_colour: dict[str, list[float]] = {}
    for bar in bars:
        for kind, colour in KIND_COLORS.items():
            if np.allclose(bar.get_facecolor(), to_rgba(colour)):
                by_colour.setdefault(kind, []).append(round(bar.get_height(), 6))
    assert by_colour["principal"] == [1.0, 0.7, round((0.5 + 0.3 + 0.2) / 3, 6)]
    assert by_colour["supervisory"] == [1.0, 0.45, round((0.4 + 0.1 + 0.0) / 3, 6)]
    index = [line for line in ax.lines if line.get_label() == "协同指数"][0]
    assert index.get_ydata().tolist() == pytest.approx([0.97, 0.51, 0.0])


def test_coordination_by_level_takes_levels_from_a_mapping(coordination: pd.DataFrame) -> None:
    table = coordination.drop(columns=["level"])
    with pytest.raises(RenderError, match="level"):
        plot_coordination(table)
    fig, ax = plot_coordination(table, org_levels={"r": 0, "a": 1, "b": 1, "a1": 1, "b1": 1, "b2": 1})
    assert [t.get_text() for t in ax.get_xticklabels()] == ["第0级", "第1级"]


def test_coordination_by_org_lists_the_weakest_first(coordination: pd.DataFrame) -> None:
    fig, ax = plot_coordination(coordination, by="org", top=4, names={"b2": "乙二街道党工委"})
    # Index ties at 0 are broken by the mean of the four components: b2 (0.1) < b1 (0.15) < a1 (0.3).
    assert [t.get_text() for t in ax.get_yticklabels()] == ["乙二街道党工委", "b1", "a1", "b"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["主体责任", "第一责任人责任", "一岗双责", "监督责任", "协同指数"]
    image = ax.images[0].get_array()
    assert image.shape == (4, 5) and image[3].tolist() == [0.6, 0.5, 0.4, 0.2, 0.38]
    with pytest.raises(RenderError, match="by"):
        plot_coordination(coordination, by="region")


# One organization's network --------------------------------------------------------------------


def test_org_network_puts_upstream_own_and_downstream_in_columns(responsibilities: pd.DataFrame,
                                                                 links: pd.DataFrame) -> None:
    fig, ax = plot_org_network(responsibilities, links, "a", names={"a": "甲区委", "c1": "张三", "a1x": "甲一居民区党支部"})
    boxes = {t.get_text().split("\n")[0] + "|" + t.get_text().split("\n")[1]: t.get_position()[0]
             for t in ax.texts if t.get_bbox_patch() is not None and t.get_text().count("\n") == 2}
    assert boxes["r|主体责任"] == 0.0 and boxes["r|第一责任人责任"] == 0.0 and boxes["jwa|监督责任"] == 0.0
    assert boxes["甲区委|主体责任"] == 1.0 and boxes["张三|一岗双责"] == 1.0 and boxes["c2|一岗双责"] == 1.0
    assert boxes["a1|主体责任"] == 2.0 and boxes["甲一居民区党支部|主体责任"] == 2.0
    assert "jw|监督责任" not in boxes  # not linked to a
    arrows = [a for a in ax.texts if a.get_text() == "" and getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 9  # every link touching a's responsibilities (not jw → jwa)
    colours = [to_rgba(a.arrow_patch.get_edgecolor()) for a in arrows]
    assert sum(np.allclose(c, to_rgba(BROKEN_COLORS["missing"])) for c in colours) == 1  # c2 cut off
    assert sum(np.allclose(c, to_rgba(BROKEN_COLORS["weak"])) for c in colours) == 2  # a → a2, c1 → a1x
    weights = sorted(t.get_text() for t in ax.texts if t.get_text().startswith("w="))
    assert weights == ["w=0.00", "w=0.20", "w=0.33", "w=0.55", "w=0.55", "w=0.70", "w=0.80", "w=0.90", "w=1.00"]


def test_org_network_truncates_long_columns_keeping_broken_links(responsibilities: pd.DataFrame,
                                                                 links: pd.DataFrame) -> None:
    fig, ax = plot_org_network(responsibilities, links, "a", max_nodes=2)
    texts = [t.get_text() for t in ax.texts]
    assert "……另有1项" in texts  # the right column keeps a2 and a1x (broken), drops a1
    assert not any(t.startswith("a1\n") for t in texts)
    assert any(t.startswith("a2\n") for t in texts)


def test_org_network_refuses_an_unknown_organization(responsibilities: pd.DataFrame, links: pd.DataFrame) -> None:
    with pytest.raises(RenderError, match="'zz'"):
        plot_org_network(responsibilities, links, "zz")


# 政治生态 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("by", "ticks"), [
    ("level", ["第0级\nn=1", "第1级\nn=3", "第2级\nn=3"]),
    ("kind", ["党委\nn=6", "党组\nn=1"]),
    ("region", ["乙区\nn=2", "全市\nn=2", "甲区\nn=3"]),
])
def test_ecology_forest_groups(ecology_index: pd.DataFrame, by: str, ticks: list[str]) -> None:
    fig, ax = plot_ecology_forest(ecology_index, by=by)
    assert [t.get_text() for t in ax.get_xticklabels()] == ticks
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in dots) == len(ecology_index)
    assert sorted(v for c in dots for v in c.get_offsets()[:, 1]) == sorted(ecology_index["index"])


def test_ecology_forest_refuses_an_unknown_grouping(ecology_index: pd.DataFrame) -> None:
    with pytest.raises(RenderError, match="by"):
        plot_ecology_forest(ecology_index, by="org")


def test_ecology_trees_lowest_first_with_reasons(ecology_outliers: pd.DataFrame) -> None:
    fig, ax = plot_ecology_trees(ecology_outliers, names={"b1": "乙一街道党工委"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["乙一街道党工委", "a1", "g"]
    assert [t.get_text() for t in ax.texts] == ["30.0  指数偏低", "42.0  信访举报数异常", "96.0  指数偏高"]
    with pytest.raises(RenderError, match="reason"):
        plot_ecology_trees(ecology_outliers.drop(columns=["reason"]))


# Comparison ------------------------------------------------------------------------------------


def test_comparison_writes_the_change_per_level(levels: pd.DataFrame) -> None:
    later = levels.assign(mean=[1.0, 0.7, 0.3, 0.16, 0.2]).iloc[:4]  # level 4 missing the second year
    fig, ax = plot_comparison(levels, later, "2023年", "2024年")
    deltas = {t.get_position()[0]: (t.get_text(), t.get_color()) for t in ax.texts}
    assert deltas[1][0] == "-0.10" and deltas[2][0] == "+0.10" and deltas[3][0] == "+0.00"
    assert 4 not in deltas
    assert to_rgba(deltas[2][1]) != to_rgba(deltas[1][1])  # a rise and a fall look different
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2023年", "2024年"]
