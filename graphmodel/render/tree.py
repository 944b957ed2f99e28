"""The organization tree figure: a layered layout by level, coloured by received pressure.

Up to ``max_orgs`` organizations are drawn one by one: level on the y axis (parents above
their children), siblings ordered by id, leaves spaced evenly in depth-first order and each
parent centred over its children (a tidy tree). Broken links (DESIGN §5) stand out in purple
(dashed when missing, dotted when weak). Larger trees are drawn aggregated: one cell per level
and level-1 unit, coloured by the mean pressure there and labelled with how many
organizations and broken links it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Rectangle

from graphmodel.errors import RenderError
from graphmodel.model.tree import DISCIPLINE, OrgTree
from graphmodel.render.canvas import (
    BROKEN_COLORS,
    BROKEN_STYLES,
    NEUTRAL,
    PRESSURE_CMAP,
    PRESSURE_NORM,
    finish,
    prepare_axes,
    require_columns,
)
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import check_lang, level_label, text

__all__ = ["plot_org_tree", "principal_pressure", "tree_layout", "TreeLayout"]

_CATEGORY_RANK = {"missing": 2, "weak": 1}


def principal_pressure(pressure: pd.Series | pd.DataFrame | Mapping[str, float]) -> pd.Series:
    """Received principal pressure per organization id.

    Accepts the ``responsibilities`` table (its ``principal`` rows are used), a Series indexed
    by organization id, or a mapping.

    Examples
    --------
    >>> table = pd.DataFrame({"kind": ["principal", "first_person"], "org": ["a", "a"],
    ...     "pressure": [0.7, 0.4]})
    >>> principal_pressure(table).to_dict()
    {'a': 0.7}
    """
    if isinstance(pressure, pd.DataFrame):
        require_columns(pressure, ["kind", "org", "pressure"], "responsibilities")
        rows = pressure[pressure["kind"].astype(str) == "principal"]
        return pd.Series(rows["pressure"].to_numpy(dtype=float), index=rows["org"].astype(str).to_numpy())
    if isinstance(pressure, pd.Series):
        return pd.Series(pressure.to_numpy(dtype=float), index=pressure.index.astype(str))
    return pd.Series({str(k): float(v) for k, v in pressure.items()}, dtype=float)


def _org_tree(organizations: pd.DataFrame) -> OrgTree:
    require_columns(organizations, ["id", "kind", "parent_id"], "organizations")
    frame = pd.DataFrame({
        "id": organizations["id"].astype(str).to_numpy(),
        "kind": organizations["kind"].astype(str).to_numpy(),
        "parent_id": organizations["parent_id"].fillna("").astype(str).to_numpy(),
    })
    roots = int((frame["parent_id"] == "").sum())
    if roots != 1:
        raise RenderError(f"the organizations table must have exactly one root, not {roots}")
    tree = OrgTree.from_frame(frame)
    if (tree.depth < 0).any() or (tree.parent < -1).any():
        raise RenderError("the organizations' parent_id column does not form a tree")
    return tree


@dataclass(frozen=True)
class TreeLayout:
    """Positions of the organizations that bear principal responsibility.

    ``orgs`` are tree positions (discipline bodies left out), ``x`` and ``level`` their
    coordinates, ``parent`` the index into ``orgs`` of each one's parent (-1 for the root).
    """

    orgs: np.ndarray
    x: np.ndarray
    level: np.ndarray
    parent: np.ndarray


def tree_layout(tree: OrgTree) -> TreeLayout:
    """Tidy layered layout: leaves at 0, 1, 2 … in depth-first order (children by id), each
    parent at the midpoint of its first and last child.

    Examples
    --------
    >>> orgs = pd.DataFrame({"id": ["r", "b", "a", "a1"], "kind": ["committee"] * 4,
    ...     "parent_id": ["", "r", "r", "a"]})
    >>> layout = tree_layout(OrgTree.from_frame(orgs))
    >>> dict(zip(orgs["id"][layout.orgs], layout.x.tolist()))
    {'r': 0.5, 'b': 1.0, 'a': 0.0, 'a1': 0.0}
    """
    drawn = np.flatnonzero(tree.kind != DISCIPLINE)
    slot = np.full(len(tree), -1, dtype=np.int64)
    slot[drawn] = np.arange(len(drawn))
    parent = np.where(tree.parent[drawn] >= 0, slot[np.maximum(tree.parent[drawn], 0)], -1)
    level = tree.level[drawn].astype(np.int64)
    ids = tree.ids[drawn].astype(str)
    # Children lists ordered by id, then an explicit-stack depth-first walk.
    order = np.lexsort((ids, parent))
    children: dict[int, list[int]] = {}
    for node in order.tolist():
        children.setdefault(int(parent[node]), []).append(node)
    x = np.zeros(len(drawn), dtype=np.float64)
    is_leaf = np.ones(len(drawn), dtype=bool)
    is_leaf[parent[parent >= 0]] = False
    next_leaf = 0.0
    stack = list(reversed(children.get(-1, [])))
    while stack:
        node = stack.pop()
        if is_leaf[node]:
            x[node] = next_leaf
            next_leaf += 1.0
        stack.extend(reversed(children.get(node, [])))
    first = np.full(len(drawn), np.inf)
    last = np.full(len(drawn), -np.inf)
    for depth in range(int(level.max()) if len(level) else 0, 0, -1):
        rows = np.flatnonzero((level == depth) & (parent >= 0))
        np.minimum.at(first, parent[rows], x[rows])
        np.maximum.at(last, parent[rows], x[rows])
        above = np.flatnonzero((level == depth - 1) & ~is_leaf)
        x[above] = (first[above] + last[above]) / 2
    return TreeLayout(drawn, x, level, parent)


def _endpoint_org(node_ids: pd.Series) -> np.ndarray:
    """The organization id in a DESIGN §4 responsibility id (``dual_duty:M@X`` → X)."""
    rest = node_ids.astype(str).str.partition(":")[2]
    at = rest.str.rpartition("@")
    return np.where(at[1] == "@", at[2], rest).astype(object)


def _broken_pairs(tree: OrgTree, layout: TreeLayout, broken: pd.DataFrame) -> pd.DataFrame:
    """Broken links as (drawn source slot, drawn target slot, worst category)."""
    require_columns(broken, ["source", "target", "category"], "broken_links")
    if broken.empty:
        return pd.DataFrame({"src": np.zeros(0, np.int64), "dst": np.zeros(0, np.int64),
                             "rank": np.zeros(0, np.int64)})
    slot = np.full(len(tree), -1, dtype=np.int64)
    slot[layout.orgs] = np.arange(len(layout.orgs))
    ends = []
    for column in ("source", "target"):
        pos = tree.positions(_endpoint_org(broken[column]))
        known = pos >= 0
        disc = known & (tree.kind[np.maximum(pos, 0)] == DISCIPLINE)
        pos[disc] = tree.committee[pos[disc]]
        ends.append(np.where(pos >= 0, slot[np.maximum(pos, 0)], -1))
    rank = broken["category"].astype(str).map(_CATEGORY_RANK).fillna(0).to_numpy(dtype=np.int64)
    pairs = pd.DataFrame({"src": ends[0], "dst": ends[1], "rank": rank})
    pairs = pairs[(pairs["src"] >= 0) & (pairs["dst"] >= 0) & (pairs["rank"] > 0)]
    return pairs.groupby(["src", "dst"], as_index=False)["rank"].max()


def _names(organizations: pd.DataFrame) -> pd.Series:
    ids = organizations["id"].astype(str)
    if "name" in organizations.columns:
        names = organizations["name"].fillna("").astype(str)
        return pd.Series(np.where(names != "", names, ids), index=ids.to_numpy())
    return pd.Series(ids.to_numpy(), index=ids.to_numpy())


def _elbows(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    mid = (y0 + y1) / 2
    return np.stack([np.stack([x0, y0], 1), np.stack([x0, mid], 1), np.stack([x1, mid], 1),
                     np.stack([x1, y1], 1)], axis=1)


def plot_org_tree(
    organizations: pd.DataFrame,
    pressure: pd.Series | pd.DataFrame | Mapping[str, float],
    broken_links: pd.DataFrame | None = None,
    max_orgs: int = 400,
    *,
    labels: bool | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot the organization tree by level, coloured by received principal pressure.

    Parameters
    ----------
    organizations : the ``organizations`` table (``id``, ``kind``, ``parent_id``, and ``name``
        for labels). Discipline bodies are left out: they hold no principal responsibility;
        their links are drawn from their committee.
    pressure : received principal pressure per organization: the ``responsibilities`` table,
        or a Series / mapping from organization id to pressure.
    broken_links : the ``broken_links`` table (``source``, ``target``, ``category``). A broken
        link between two organizations is drawn over the tree edge (or as an arc when they are
        not parent and child); one inside an organization rings its node.
    max_orgs : above this many organizations the aggregated view is drawn.
    labels : name every node (default: when there are at most 80), else only levels 0 and 1.
    ax : the Axes to draw on; a new figure sized to the tree when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        A table lacks a column, the tree has no single root, or ``lang`` is unknown.

    Examples
    --------
    >>> orgs = pd.DataFrame({"id": ["r", "a", "b"], "name": ["市委", "甲区委", "乙区委"],
    ...     "kind": ["committee"] * 3, "parent_id": ["", "r", "r"]})
    >>> broken = pd.DataFrame({"source": ["principal:r"], "target": ["principal:b"],
    ...     "category": ["missing"]})
    >>> fig, ax = plot_org_tree(orgs, {"r": 1.0, "a": 0.8, "b": 0.0}, broken)
    >>> ax.get_title()
    '组织树与压力传导'
    >>> sorted(t.get_text() for t in ax.texts)
    ['乙区委', '市委', '甲区委']
    """
    check_lang(lang)
    tree = _org_tree(organizations)
    values = principal_pressure(pressure)
    layout = tree_layout(tree)
    org_ids = tree.ids[layout.orgs].astype(str)
    p = values.reindex(org_ids).to_numpy(dtype=np.float64)
    broken = broken_links if broken_links is not None else pd.DataFrame(columns=["source", "target", "category"])
    pairs = _broken_pairs(tree, layout, broken)
    if len(layout.orgs) > max_orgs:
        return _plot_aggregated(tree, layout, p, pairs, _names(organizations), ax, lang)
    return _plot_detailed(layout, org_ids, p, pairs, _names(organizations), labels, ax, lang)


def _legend_handles(pairs: pd.DataFrame, has_missing_p: bool, lang: str) -> list[Line2D]:
    handles = [Line2D([], [], color=NEUTRAL, lw=1.0, label=text("tree_edge", lang))]
    for category, rank in _CATEGORY_RANK.items():
        if (pairs["rank"] == rank).any():
            handles.append(Line2D([], [], color=BROKEN_COLORS[category], lw=2.0, ls=BROKEN_STYLES[category],
                                  label=text(f"broken_{category}", lang)))
    if (pairs["src"] == pairs["dst"]).any():
        handles.append(Line2D([], [], ls="", marker="o", ms=9, mfc="none", mec=BROKEN_COLORS["missing"],
                              mew=1.8, label=text("inside_broken", lang)))
    if has_missing_p:
        handles.append(Line2D([], [], ls="", marker="o", ms=6, mfc="white", mec="#777777",
                              label=text("no_pressure", lang)))
    return handles


def _plot_detailed(
    layout: TreeLayout,
    org_ids: np.ndarray,
    p: np.ndarray,
    pairs: pd.DataFrame,
    names: pd.Series,
    labels: bool | None,
    ax: Axes | None,
    lang: str,
) -> tuple[Figure, Axes]:
    n = len(org_ids)
    n_leaves = int(layout.x.max()) + 1 if n else 1
    n_levels = int(layout.level.max()) + 1 if n else 1
    label_all = (n <= 80) if labels is None else labels
    size = float(np.clip(2400.0 / max(n_leaves, 1), 14.0, 160.0))
    x, y = layout.x, -layout.level.astype(np.float64)
    with figure_style():
        figsize = (float(np.clip(0.28 * n_leaves + 2.5, 6.0, 22.0)), float(np.clip(1.3 * n_levels + 1.6, 3.5, 11.0)))
        fig, ax = prepare_axes(ax, figsize)
        child = np.flatnonzero(layout.parent >= 0)
        up = layout.parent[child]
        ax.add_collection(LineCollection(list(_elbows(x[up], y[up], x[child], y[child])), colors=NEUTRAL,
                                         linewidths=0.8, zorder=1))
        for category, rank in _CATEGORY_RANK.items():
            sel = pairs[(pairs["rank"] == rank) & (pairs["src"] != pairs["dst"])]
            if sel.empty:
                continue
            src, dst = sel["src"].to_numpy(), sel["dst"].to_numpy()
            tree_edge = layout.parent[dst] == src
            color, dashes = BROKEN_COLORS[category], BROKEN_STYLES[category]
            if tree_edge.any():
                s, d = src[tree_edge], dst[tree_edge]
                # The child's own part of the elbow: the parent's trunk is shared by its children.
                ax.add_collection(LineCollection(list(_elbows(x[s], y[s], x[d], y[d])[:, 1:]), zorder=3,
                                                 colors=color, linestyles=[dashes], linewidths=1.8))
            for s, d in zip(src[~tree_edge], dst[~tree_edge]):
                ax.add_patch(FancyArrowPatch((x[s], y[s]), (x[d], y[d]), arrowstyle="-",
                                             connectionstyle="arc3,rad=0.25", zorder=3, color=color,
                                             linestyle=dashes, linewidth=1.8))
        known = np.isfinite(p)
        ax.scatter(x[known], y[known], c=p[known], cmap=PRESSURE_CMAP, norm=PRESSURE_NORM, s=size,
                   edgecolors="#333333", linewidths=0.5, zorder=4)
        ax.scatter(x[~known], y[~known], c="white", s=size, edgecolors="#777777", linewidths=0.7, zorder=4)
        inside = pairs[pairs["src"] == pairs["dst"]]
        if not inside.empty:
            at = inside["src"].to_numpy()
            ax.scatter(x[at], y[at], s=size * 2.6, facecolors="none", edgecolors=BROKEN_COLORS["missing"],
                       linewidths=1.6, zorder=5)
        shown = np.arange(n) if label_all else np.flatnonzero(layout.level <= 1)
        is_leaf = np.ones(n, dtype=bool)
        is_leaf[layout.parent[layout.parent >= 0]] = False
        rotate_leaves = n_leaves > 6
        clear = float(np.sqrt(size * 2.6)) / 2 + 1.5  # points from a node's centre past its ring
        for i in shown.tolist():
            name = str(names.get(org_ids[i], org_ids[i]))
            if is_leaf[i] and rotate_leaves:
                ax.annotate(name, (x[i], y[i]), xytext=(0, -clear), textcoords="offset points", rotation=-90,
                            ha="center", va="top", fontsize=6.5)
            else:
                ax.annotate(name, (x[i], y[i]), xytext=(0, clear), textcoords="offset points", ha="center",
                            va="bottom", fontsize=7,
                            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
        ax.set_xlim(-0.8, n_leaves - 0.2)
        ax.set_ylim(-(n_levels - 1) - (0.9 if rotate_leaves and label_all else 0.3), 0.5)
        ax.set_yticks(-np.arange(n_levels), [level_label(k, lang) for k in range(n_levels)])
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(text("tree_title", lang))
        cbar = fig.colorbar(ScalarMappable(norm=PRESSURE_NORM, cmap=PRESSURE_CMAP), ax=ax, shrink=0.8,
                            pad=0.01, label=text("received_pressure", lang))
        ax.legend(handles=_legend_handles(pairs, bool((~known).any()), lang), loc="upper left",
                  frameon=False, fontsize=7)
        finish(fig, [ax, cbar.ax])
    return fig, ax


def _plot_aggregated(
    tree: OrgTree,
    layout: TreeLayout,
    p: np.ndarray,
    pairs: pd.DataFrame,
    names: pd.Series,
    ax: Axes | None,
    lang: str,
) -> tuple[Figure, Axes]:
    n = len(layout.orgs)
    top = layout.level.copy()
    unit = np.arange(n)
    while (layout.level[unit] > 1).any():
        deep = layout.level[unit] > 1
        unit[deep] = layout.parent[unit[deep]]
    unit[layout.level == 0] = -1
    org_ids = tree.ids[layout.orgs].astype(str)
    units = np.flatnonzero(layout.level == 1)
    units = units[np.argsort(org_ids[units], kind="stable")]
    column_of = np.full(n, 0, dtype=np.int64)
    lookup = np.full(n, -1, dtype=np.int64)
    lookup[units] = np.arange(1, len(units) + 1)
    column_of[unit >= 0] = lookup[unit[unit >= 0]]
    n_cols, n_levels = len(units) + 1, int(top.max()) + 1
    cell = top * n_cols + column_of
    count = np.bincount(cell, minlength=n_levels * n_cols).reshape(n_levels, n_cols)
    known = np.isfinite(p)
    total = np.bincount(cell[known], weights=p[known], minlength=n_levels * n_cols).reshape(n_levels, n_cols)
    with_p = np.bincount(cell[known], minlength=n_levels * n_cols).reshape(n_levels, n_cols)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(with_p > 0, total / np.maximum(with_p, 1), np.nan)
    flat_broken = np.zeros(n_levels * n_cols, dtype=np.int64)
    if not pairs.empty:
        np.add.at(flat_broken, cell[pairs["dst"].to_numpy()], 1)
    broken = flat_broken.reshape(n_levels, n_cols)
    unit_labels = [text("root_column", lang)] + [str(names.get(org_ids[u], org_ids[u])) for u in units]
    level_labels = [level_label(k, lang) for k in range(n_levels)]
    # Few units: levels as rows, parents above children. Many: units as rows, levels left to
    # right, so that the figure stays printable on a portrait page.
    upright = n_cols <= 24
    annotate = n_cols <= 120

    def at(lv: int, col: int) -> tuple[float, float]:
        return (float(col), float(lv)) if upright else (float(lv), float(col))

    with figure_style():
        if upright:
            figsize = (float(np.clip(0.5 * n_cols + 2.8, 6.0, 16.0)), float(np.clip(0.8 * n_levels + 2.2, 3.5, 10.0)))
        else:
            figsize = (float(np.clip(1.0 * n_levels + 3.5, 6.0, 12.0)), float(np.clip(0.26 * n_cols + 1.6, 4.0, 40.0)))
        fig, ax = prepare_axes(ax, figsize)
        grid = mean if upright else mean.T
        rows, cols = grid.shape
        image = ax.pcolormesh(np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5, np.ma.masked_invalid(grid),
                              cmap=PRESSURE_CMAP, norm=PRESSURE_NORM, edgecolors="white", linewidth=0.8)
        if annotate:
            for lv, col in zip(*np.nonzero(count)):
                value = mean[lv, col]
                dark = bool(np.isfinite(value) and (value < 0.2 or value > 0.8))
                label = text("orgs_count", lang, count=int(count[lv, col]))
                if np.isfinite(value):
                    label = f"{value:.2f} · {label}" if not upright else f"{value:.2f}\n{label}"
                if broken[lv, col]:
                    label += (" · " if not upright else "\n") + text("broken_count", lang, count=int(broken[lv, col]))
                x, y = at(lv, col)
                ax.text(x, y, label, ha="center", va="center", fontsize=6, linespacing=1.2,
                        color="white" if dark else "#222222")
        for lv, col in zip(*np.nonzero(broken)):
            x, y = at(lv, col)
            ax.add_patch(Rectangle((x - 0.46, y - 0.44), 0.92, 0.88, fill=False, ec=BROKEN_COLORS["missing"],
                                   lw=1.2, ls=BROKEN_STYLES["missing"], zorder=3))
        ax.set_xlim(-0.5, cols - 0.5)
        ax.set_ylim(rows - 0.5, -0.5)
        if upright:
            ax.set_yticks(np.arange(rows), level_labels)
            ax.set_xticks(np.arange(cols), unit_labels, rotation=90 if n_cols > 8 else 0, fontsize=7)
            ax.set_xlabel(text("branch_of", lang))
        else:
            ax.set_xticks(np.arange(cols), level_labels)
            ax.xaxis.tick_top()
            ax.set_yticks(np.arange(rows), unit_labels, fontsize=7)
            ax.set_ylabel(text("branch_of", lang))
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(text("tree_aggregated_title", lang))
        cbar = fig.colorbar(image, ax=ax, shrink=0.8 if upright else 0.3, pad=0.01, label=text("received_pressure", lang))
        if broken.any():
            ax.legend(handles=[Line2D([], [], color=BROKEN_COLORS["missing"], lw=1.2, ls=BROKEN_STYLES["missing"],
                                      label=text("broken_cells", lang))],
                      loc="lower right" if upright else "upper left",
                      bbox_to_anchor=(1.0, 1.0) if upright else (1.01, 1.0), frameon=False, fontsize=7)
        finish(fig, [ax, cbar.ax])
    return fig, ax
