"""The 政治生态 figures: the forest (the index's distribution by level, kind or region) and
the trees (the organizations flagged as outliers).

The ecology analysis (DESIGN §5, 政治生态 portrait) is not written yet; these figures read a
plain table that it is expected to give:

- index table: ``org``, ``level``, ``kind``, ``region`` and ``index`` (0–100, higher is a
  healthier ecology), ``name`` optional;
- outliers table: ``org``, ``index`` and ``reason`` (why it is flagged: the index or an
  indicator is an outlier), ``name`` optional.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from graphmodel.errors import RenderError
from graphmodel.render.canvas import PRESSURE_CMAP, finish, prepare_axes, require_columns
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import check_lang, level_label, org_kind_label, text

__all__ = ["ECOLOGY_INDEX_COLUMNS", "ECOLOGY_OUTLIER_COLUMNS", "plot_ecology_forest", "plot_ecology_trees"]

ECOLOGY_INDEX_COLUMNS = ("org", "level", "kind", "region", "index")
"""Columns of the index table the forest reads (``level``, ``kind``, ``region``: the one grouped by)."""

ECOLOGY_OUTLIER_COLUMNS = ("org", "index", "reason")
"""Columns of the outliers table the trees read."""

INDEX_NORM = Normalize(vmin=0.0, vmax=100.0)


def _group_label(by: str, value: object, lang: str) -> str:
    if by == "level":
        return level_label(value, lang)
    if by == "kind":
        return org_kind_label(value, lang)
    return str(value)


def plot_ecology_forest(
    index: pd.DataFrame,
    by: str = "level",
    *,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot the distribution of the 政治生态 index per level, kind or region (the forest).

    One box per group (median, quartiles, whiskers at 1.5 IQR) with every organization as a
    dot (a fixed jitter, so the figure is the same on every run) and the group's size below.

    Parameters
    ----------
    index : the index table: ``index`` and the column named by ``by``.
    by : ``"level"``, ``"kind"`` or ``"region"``.
    ax : the Axes to draw on; a new figure when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        ``by`` is unknown, a column is missing, or ``lang`` is unknown.

    Examples
    --------
    >>> table = pd.DataFrame({"org": list("abcd"), "level": [0, 1, 1, 1],
    ...     "kind": ["committee"] * 4, "region": ["黄浦"] * 4, "index": [90, 70, 40, 65]})
    >>> fig, ax = plot_ecology_forest(table)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['第0级\\nn=1', '第1级\\nn=3']
    """
    check_lang(lang)
    if by not in ("level", "kind", "region"):
        raise RenderError(f"by must be 'level', 'kind' or 'region', not {by!r}")
    require_columns(index, [by, "index"], "ecology index")
    table = index[[by, "index"]].dropna()
    groups = sorted(table[by].unique().tolist(), key=lambda v: (str(type(v)), v))
    data = [table.loc[table[by] == g, "index"].to_numpy(dtype=np.float64) for g in groups]
    rng = np.random.default_rng(0)
    with figure_style():
        fig, ax = prepare_axes(ax, (float(np.clip(0.9 * len(groups) + 2.5, 5.0, 14.0)), 3.8))
        if groups:
            ax.boxplot(data, positions=np.arange(len(groups)), widths=0.55, showfliers=False,
                       medianprops={"color": "#111111", "lw": 1.6},
                       boxprops={"color": "#555555"}, whiskerprops={"color": "#555555"},
                       capprops={"color": "#555555"})
            for i, values in enumerate(data):
                jitter = rng.uniform(-0.18, 0.18, len(values))
                ax.scatter(i + jitter, values, s=10, c=values, cmap=PRESSURE_CMAP, norm=INDEX_NORM,
                           edgecolors="none", alpha=0.8, zorder=3)
        ax.set_xticks(np.arange(len(groups)),
                      [f"{_group_label(by, g, lang)}\nn={len(d)}" for g, d in zip(groups, data)])
        ax.set_ylim(0, 100)
        ax.set_ylabel(text("ecology_index", lang))
        ax.set_xlabel(text(by, lang))
        ax.set_title(text("ecology_title", lang))
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        finish(fig, [ax])
    return fig, ax


def plot_ecology_trees(
    outliers: pd.DataFrame,
    top: int = 20,
    *,
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot the flagged organizations (the trees): their index as bars, lowest first, with the reason.

    Parameters
    ----------
    outliers : the outliers table: ``org``, ``index``, ``reason`` (and ``name``).
    top : how many organizations to show.
    names : organization id → display name (else the ``name`` column, else the id).
    ax : the Axes to draw on; a new figure when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        A column is missing, ``top`` is below 1, or ``lang`` is unknown.

    Examples
    --------
    >>> table = pd.DataFrame({"org": ["a", "b"], "index": [31.0, 12.5],
    ...     "reason": ["指数偏低", "信访举报异常"]})
    >>> fig, ax = plot_ecology_trees(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['b', 'a']
    """
    check_lang(lang)
    require_columns(outliers, list(ECOLOGY_OUTLIER_COLUMNS), "ecology outliers")
    if top < 1:
        raise RenderError(f"top must be at least 1, not {top}")
    table = outliers.assign(_id=outliers["org"].astype(str)).sort_values(["index", "_id"], kind="stable").head(top)
    lookup = dict(names or {})
    if not lookup and "name" in table.columns:
        lookup = dict(zip(table["_id"], table["name"].astype(str)))
    labels = [str(lookup.get(org, org)) for org in table["_id"]]
    values = table["index"].to_numpy(dtype=np.float64)
    y = np.arange(len(table))
    with figure_style():
        fig, ax = prepare_axes(ax, (7.0, float(np.clip(0.3 * len(table) + 1.4, 2.5, 12.0))))
        ax.barh(y, values, color=PRESSURE_CMAP(INDEX_NORM(values)), height=0.7)
        for yi, value, reason in zip(y, values, table["reason"].astype(str)):
            ax.annotate(f"{value:.1f}  {reason}", (value, yi), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=7, color="#333333")
        ax.set_yticks(y, labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, 130)
        ax.set_xticks([0, 20, 40, 60, 80, 100])
        ax.set_xlabel(text("ecology_index", lang))
        ax.set_title(text("ecology_trees_title", lang))
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        finish(fig, [ax])
    return fig, ax
