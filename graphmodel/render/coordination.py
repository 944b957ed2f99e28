"""The 四责协同 figure: the four component scores and their index, per level or per organization."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from graphmodel.errors import RenderError
from graphmodel.render.canvas import KIND_COLORS, PRESSURE_CMAP, PRESSURE_NORM, finish, prepare_axes, require_columns
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import COMPONENT_LABELS, check_lang, level_label, text
from graphmodel.vocabulary import RESPONSIBILITY_KINDS

__all__ = ["plot_coordination"]

COMPONENTS = RESPONSIBILITY_KINDS
"""The four components, in the order the coordination index names them."""


def _with_levels(table: pd.DataFrame, org_levels: pd.Series | Mapping[str, int] | None) -> pd.DataFrame:
    if org_levels is not None:
        levels = pd.Series(org_levels) if not isinstance(org_levels, pd.Series) else org_levels
        levels.index = levels.index.astype(str)
        return table.assign(level=table["org"].astype(str).map(levels))
    if "level" not in table.columns:
        raise RenderError("by='level' needs a level column in the coordination table, or org_levels")
    return table


def plot_coordination(
    coordination: pd.DataFrame,
    by: str = "level",
    top: int = 30,
    *,
    org_levels: pd.Series | Mapping[str, int] | None = None,
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot the 四责协同 components: grouped bars per level, or a heatmap of the weakest units.

    ``by="level"``: for each level, the mean of each component (principal, first_person,
    dual_duty, supervisory) as four bars and the mean coordination index as a black diamond.
    ``by="org"``: the ``top`` organizations with the lowest index (ties by id), one row each,
    the four components and the index as coloured, labelled cells. Ties of the index (many
    units score 0) are broken by the mean of the four components, then by id.

    Parameters
    ----------
    coordination : the ``coordination`` table (DESIGN §6): ``org``, ``principal``,
        ``first_person``, ``dual_duty``, ``supervisory``, ``index``; ``level`` for
        ``by="level"`` unless ``org_levels`` is given.
    by : ``"level"`` or ``"org"``.
    top : how many organizations ``by="org"`` shows.
    org_levels : organization id → level, when the table has no ``level`` column.
    names : organization id → display name (``by="org"``).
    ax : the Axes to draw on; a new figure when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        A column is missing, ``by`` is unknown, ``top`` is below 1, or ``lang`` is unknown.

    Examples
    --------
    >>> table = pd.DataFrame({"org": ["r", "a", "b"], "principal": [1.0, 0.8, 0.6],
    ...     "first_person": [1.0, 0.5, 0.0], "dual_duty": [0.9, 0.4, 0.3],
    ...     "supervisory": [1.0, 0.7, 0.2], "index": [0.97, 0.58, 0.0], "level": [0, 1, 1]})
    >>> fig, ax = plot_coordination(table)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['第0级', '第1级']
    >>> fig, ax = plot_coordination(table, by="org", top=2)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['b', 'a']
    """
    check_lang(lang)
    require_columns(coordination, ["org", *COMPONENTS, "index"], "coordination")
    if by not in ("level", "org"):
        raise RenderError(f"by must be 'level' or 'org', not {by!r}")
    if top < 1:
        raise RenderError(f"top must be at least 1, not {top}")
    if by == "level":
        return _by_level(_with_levels(coordination, org_levels), ax, lang)
    return _by_org(coordination, top, names or {}, ax, lang)


def _by_level(table: pd.DataFrame, ax: Axes | None, lang: str) -> tuple[Figure, Axes]:
    means = table.groupby("level", sort=True)[[*COMPONENTS, "index"]].mean()
    levels = means.index.to_numpy()
    x = np.arange(len(levels), dtype=np.float64)
    width = 0.8 / len(COMPONENTS)
    with figure_style():
        fig, ax = prepare_axes(ax, (float(np.clip(1.1 * len(levels) + 2.5, 5.5, 14.0)), 3.8))
        for i, kind in enumerate(COMPONENTS):
            ax.bar(x + (i - 1.5) * width, means[kind].to_numpy(), width=width * 0.95,
                   color=KIND_COLORS[kind], label=COMPONENT_LABELS[lang][kind])
        ax.plot(x, means["index"].to_numpy(), ls="", marker="D", ms=6, color=KIND_COLORS["index"],
                label=COMPONENT_LABELS[lang]["index"], zorder=5)
        for xi, value in zip(x, means["index"].to_numpy()):
            ax.annotate(f"{value:.2f}", (xi, value), xytext=(0, 7), textcoords="offset points",
                        ha="center", fontsize=7,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
        ax.set_xticks(x, [level_label(k, lang) for k in levels])
        ax.set_ylim(0, 1.08)
        ax.set_ylabel(text("score", lang))
        ax.set_title(text("coordination_by_level", lang))
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        finish(fig, [ax])
    return fig, ax


def _by_org(table: pd.DataFrame, top: int, names: Mapping[str, str], ax: Axes | None,
            lang: str) -> tuple[Figure, Axes]:
    ordered = table.assign(_id=table["org"].astype(str), _mean=table[list(COMPONENTS)].mean(axis=1))
    ordered = ordered.sort_values(["index", "_mean", "_id"], kind="stable").head(top)
    columns = [*COMPONENTS, "index"]
    values = ordered[columns].to_numpy(dtype=np.float64)
    rows = [str(names.get(org, org)) for org in ordered["_id"]]
    with figure_style():
        fig, ax = prepare_axes(ax, (6.4, float(np.clip(0.3 * len(rows) + 1.6, 2.5, 12.0))))
        image = ax.imshow(values, cmap=PRESSURE_CMAP, norm=PRESSURE_NORM, aspect="auto")
        for (r, c), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(c, r, f"{value:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if value < 0.2 or value > 0.8 else "#222222")
        ax.axvline(len(COMPONENTS) - 0.5, color="white", lw=3)
        ax.set_xticks(np.arange(len(columns)), [COMPONENT_LABELS[lang][c] for c in columns], fontsize=8)
        ax.xaxis.tick_top()
        ax.set_yticks(np.arange(len(rows)), rows, fontsize=7)
        ax.tick_params(length=0)
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(text("coordination_by_org", lang, count=len(rows)))
        cbar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.02, label=text("score", lang))
        finish(fig, [ax, cbar.ax])
    return fig, ax
