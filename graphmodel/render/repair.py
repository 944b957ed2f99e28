"""The repair list figure: broken links ranked by impact, coloured by category."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from graphmodel.errors import RenderError
from graphmodel.render.canvas import BROKEN_COLORS, NEUTRAL, finish, prepare_axes, require_columns
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import category_label, check_lang, responsibility_label, text

__all__ = ["plot_repair_list"]


def plot_repair_list(
    broken_links: pd.DataFrame,
    top: int = 20,
    *,
    names: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot the ``top`` broken links with the largest impact as horizontal bars, largest on top.

    Each bar is a link ``source → target``, its length the impact (how much the total pressure
    Σp rises when that link alone gets w = 1), its colour the category (missing or weak), and
    its current weight written beside it.

    Parameters
    ----------
    broken_links : the ``broken_links`` table (DESIGN §6): ``source``, ``target``,
        ``category``, ``impact``, and ``weight`` when present.
    top : how many links to show.
    names : organization and cadre ids → display names, for the bar labels.
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
    >>> table = pd.DataFrame({"source": ["principal:r", "first_person:a"],
    ...     "target": ["principal:a", "dual_duty:c1@a"], "category": ["missing", "weak"],
    ...     "weight": [0.0, 0.33], "impact": [2.5, 0.4]})
    >>> fig, ax = plot_repair_list(table, names={"r": "市委", "a": "甲区委"})
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['市委 主体责任 → 甲区委 主体责任', '甲区委 第一责任人责任 → 甲区委 c1 一岗双责']
    """
    check_lang(lang)
    require_columns(broken_links, ["source", "target", "category", "impact"], "broken_links")
    if top < 1:
        raise RenderError(f"top must be at least 1, not {top}")
    table = broken_links.sort_values("impact", ascending=False, kind="stable").head(top)
    labels = [
        f"{responsibility_label(s, lang, names)} → {responsibility_label(t, lang, names)}"
        for s, t in zip(table["source"].astype(str), table["target"].astype(str))
    ]
    categories = table["category"].astype(str).to_numpy()
    impact = table["impact"].to_numpy(dtype=np.float64)
    colors = [BROKEN_COLORS.get(c, NEUTRAL) for c in categories]
    y = np.arange(len(table))
    with figure_style():
        fig, ax = prepare_axes(ax, (7.5, float(np.clip(0.28 * len(table) + 1.4, 2.5, 12.0))))
        ax.barh(y, impact, color=colors, height=0.7, edgecolor="none")
        if "weight" in table.columns:
            for yi, value, w in zip(y, impact, table["weight"].to_numpy(dtype=np.float64)):
                ax.annotate(text("weight", lang, value=w), (value, yi), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=7, color="#444444")
        ax.set_yticks(y, labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlim(0, (impact.max() if len(impact) else 1.0) * 1.15 or 1.0)
        ax.set_xlabel(text("impact", lang))
        ax.set_title(text("repair_title", lang))
        ax.grid(axis="x", color="#DDDDDD", lw=0.6)
        ax.set_axisbelow(True)
        present = [c for c in BROKEN_COLORS if c in set(categories)]
        ax.legend(handles=[Patch(color=BROKEN_COLORS[c], label=category_label(c, lang)) for c in present],
                  loc="lower right", frameon=False)
        finish(fig, [ax])
    return fig, ax
