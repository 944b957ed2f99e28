"""The level profile figure: pressure level by level, 上热中温下冷 and 中梗阻 at a glance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from graphmodel.analysis.levels import patterns as find_patterns
from graphmodel.analysis.parameters import Parameters
from graphmodel.render.canvas import BROKEN_COLORS, KIND_COLORS, finish, prepare_axes, require_columns
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import check_lang, kind_label, level_label, text
from graphmodel.vocabulary import RESPONSIBILITY_KINDS

__all__ = ["plot_level_profile"]

HOT_COLOR = "#F4A582"
COLD_COLOR = "#92C5DE"


def _attenuation(levels: pd.DataFrame) -> np.ndarray:
    if "attenuation" in levels.columns:
        return levels["attenuation"].to_numpy(dtype=np.float64)
    means = levels["mean"].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.append(means[1:] / means[:-1], np.nan)
    ratio[~np.isfinite(ratio)] = np.nan
    return ratio


def plot_level_profile(
    levels: pd.DataFrame,
    *,
    patterns: Mapping[str, Any] | None = None,
    parameters: Parameters | None = None,
    kinds: bool | Sequence[str] = True,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot mean, median and 10th percentile of pressure per level, with per-kind means.

    The hot band (mean ≥ θ_hot) and the cold band (mean < θ_cold) frame the curve, so the
    cooling pattern 上热中温下冷 shows as a line that starts in the red band and ends in the
    blue one; each blocked level k (中梗阻) is shaded between k and k + 1, where its onward
    transmission collapses, and each step is labelled with its attenuation r_k.

    Parameters
    ----------
    levels : the ``levels`` table (DESIGN §6): ``level`` and ``mean`` are required;
        ``median``, ``p10``, ``attenuation`` and ``<kind>_mean`` are drawn when present.
    patterns : the ``patterns`` finding (``cooling``, ``blockages``); computed from ``levels``
        with ``parameters`` when not given.
    parameters : θ_hot, θ_cold and the blockage factor (default: the contract's).
    kinds : draw the mean of each responsibility kind (all, none, or the kinds named).
    ax : the Axes to draw on; a new figure when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        ``levels`` lacks ``level`` or ``mean``, or ``lang`` is unknown.

    Examples
    --------
    >>> table = pd.DataFrame({"level": [0, 1, 2, 3], "mean": [1.0, 0.8, 0.2, 0.15],
    ...     "median": [1.0, 0.8, 0.15, 0.1], "p10": [1.0, 0.6, 0.05, 0.0]})
    >>> fig, ax = plot_level_profile(table)
    >>> ax.get_title()
    '逐级压力传导：上热中温下冷'
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['第0级', '第1级', '第2级', '第3级']
    """
    check_lang(lang)
    require_columns(levels, ["level", "mean"], "levels")
    params = parameters or Parameters()
    table = levels.sort_values("level").reset_index(drop=True)
    x = table["level"].to_numpy(dtype=np.int64)
    mean = table["mean"].to_numpy(dtype=np.float64)
    ratio = _attenuation(table)
    if patterns is None:
        patterns = find_patterns(table.assign(attenuation=ratio), params)
    cooling = bool(patterns.get("cooling", False))
    blockages = [int(k) for k in patterns.get("blockages", [])]
    wanted = RESPONSIBILITY_KINDS if kinds is True else (() if kinds is False else tuple(kinds))

    with figure_style():
        fig, ax = prepare_axes(ax, (6.4, 4.0))
        ax.axhspan(params.theta_hot, 1.05, color=HOT_COLOR, alpha=0.3, lw=0,
                   label=text("hot", lang, theta=params.theta_hot))
        ax.axhspan(-0.02, params.theta_cold, color=COLD_COLOR, alpha=0.3, lw=0,
                   label=text("cold", lang, theta=params.theta_cold))
        for k in blockages:
            ax.axvspan(k, k + 1, color=BROKEN_COLORS["missing"], alpha=0.12, lw=0)
            ax.text(k + 0.5, 1.03, text("blockage", lang), ha="center", va="top",
                    color=BROKEN_COLORS["missing"], fontsize=8)
        for kind in wanted:
            column = f"{kind}_mean"
            if column not in table.columns or not np.isfinite(table[column].to_numpy(dtype=float)).any():
                continue
            ax.plot(x, table[column].to_numpy(dtype=float), color=KIND_COLORS[kind], lw=1.0,
                    marker=".", ms=4, alpha=0.9, label=kind_label(kind, lang))
        if "p10" in table.columns:
            ax.plot(x, table["p10"], color="#222222", lw=1.0, ls=":", label=text("p10", lang))
        if "median" in table.columns:
            ax.plot(x, table["median"], color="#222222", lw=1.0, ls="--", label=text("median", lang))
        ax.plot(x, mean, color="#111111", lw=2.2, marker="o", ms=5, label=text("mean", lang), zorder=5)
        for xi, mi in zip(x, mean):
            if np.isfinite(mi):
                ax.annotate(f"{mi:.2f}", (xi, mi), xytext=(0, 7), textcoords="offset points",
                            ha="center", fontsize=7, zorder=6,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
        steps = ax.get_xaxis_transform()
        for i in range(len(x) - 1):
            if np.isfinite(ratio[i]):
                ax.text((x[i] + x[i + 1]) / 2, 0.015, text("attenuation", lang, value=ratio[i]),
                        transform=steps, ha="center", va="bottom", fontsize=7, color="#444444")
        title = text("level_profile_title", lang)
        if cooling:
            title += ("：" if lang == "zh" else ": ") + text("cooling", lang)
        ax.set_title(title)
        ax.set_xticks(x, [level_label(k, lang) for k in x])
        if len(x):
            ax.set_xlim(x.min() - 0.3, x.max() + 0.3)
        ax.set_ylim(-0.02, 1.05)
        ax.set_xlabel(text("level", lang))
        ax.set_ylabel(text("pressure", lang))
        ax.grid(axis="y", color="#DDDDDD", lw=0.6)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        finish(fig, [ax])
    return fig, ax
