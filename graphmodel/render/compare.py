"""The two-year comparison figure: two level profiles side by side, with the change per level."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from graphmodel.analysis.parameters import Parameters
from graphmodel.render.canvas import finish, prepare_axes, require_columns
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import check_lang, level_label, text
from graphmodel.render.levels import COLD_COLOR, HOT_COLOR

__all__ = ["plot_comparison"]

COLOR_A = "#9E9E9E"
COLOR_B = "#0072B2"


def plot_comparison(
    levels_a: pd.DataFrame,
    levels_b: pd.DataFrame,
    label_a: str,
    label_b: str,
    *,
    parameters: Parameters | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot two level profiles (say 2023 and 2024) on one Axes, with the change of each level's mean.

    Each profile is its mean per level (a line) over its 10th-percentile-to-median band; the
    earlier one (``a``) in grey, the later (``b``) in blue; the change ``mean_b − mean_a`` is
    written above each level, green when it rose and red when it fell. The hot and cold bands
    are those of the level profile figure.

    Parameters
    ----------
    levels_a, levels_b : two ``levels`` tables (DESIGN §6): ``level``, ``mean``; ``median`` and
        ``p10`` draw the band.
    label_a, label_b : their names in the legend (for example "2023年", "2024年").
    parameters : θ_hot and θ_cold (default: the contract's).
    ax : the Axes to draw on; a new figure when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        A table lacks ``level`` or ``mean``, or ``lang`` is unknown.

    Examples
    --------
    >>> a = pd.DataFrame({"level": [0, 1, 2], "mean": [1.0, 0.6, 0.2]})
    >>> b = pd.DataFrame({"level": [0, 1, 2], "mean": [1.0, 0.7, 0.35]})
    >>> fig, ax = plot_comparison(a, b, "2023年", "2024年")
    >>> [t.get_text() for t in ax.texts]
    ['+0.00', '+0.10', '+0.15']
    """
    check_lang(lang)
    require_columns(levels_a, ["level", "mean"], "levels")
    require_columns(levels_b, ["level", "mean"], "levels")
    params = parameters or Parameters()
    a = levels_a.sort_values("level").set_index("level")
    b = levels_b.sort_values("level").set_index("level")
    levels = np.union1d(a.index.to_numpy(dtype=np.int64), b.index.to_numpy(dtype=np.int64))
    with figure_style():
        fig, ax = prepare_axes(ax, (6.4, 4.0))
        ax.axhspan(params.theta_hot, 1.05, color=HOT_COLOR, alpha=0.25, lw=0)
        ax.axhspan(-0.02, params.theta_cold, color=COLD_COLOR, alpha=0.25, lw=0)
        for table, label, color in ((a, label_a, COLOR_A), (b, label_b, COLOR_B)):
            table = table.reindex(levels)
            if {"p10", "median"} <= set(table.columns):
                ax.fill_between(levels, table["p10"].to_numpy(dtype=float), table["median"].to_numpy(dtype=float),
                                color=color, alpha=0.15, lw=0)
            ax.plot(levels, table["mean"].to_numpy(dtype=float), color=color, lw=2.0, marker="o", ms=5,
                    label=label)
        mean_a = a["mean"].reindex(levels).to_numpy(dtype=float)
        mean_b = b["mean"].reindex(levels).to_numpy(dtype=float)
        for level, va, vb in zip(levels, mean_a, mean_b):
            if np.isfinite(va) and np.isfinite(vb):
                delta = vb - va
                color = "#1B7837" if delta > 0.005 else ("#B2182B" if delta < -0.005 else "#555555")
                ax.text(level, max(va, vb) + 0.05, text("delta", lang, value=delta), ha="center",
                        va="bottom", fontsize=7.5, color=color,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
        ax.set_xticks(levels, [level_label(k, lang) for k in levels])
        ax.set_ylim(-0.02, 1.12)
        ax.set_xlabel(text("level", lang))
        ax.set_ylabel(text("pressure", lang) + f"（{text('mean', lang)}）" if lang == "zh"
                      else f"{text('pressure', lang)} ({text('mean', lang)})")
        ax.set_title(text("comparison_title", lang))
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        ax.legend(loc="upper right", frameon=False)
        finish(fig, [ax])
    return fig, ax
