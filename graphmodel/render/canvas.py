"""What every figure shares: where it is drawn, its colours, and the checks on its input tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, Normalize
from matplotlib.figure import Figure

from graphmodel.errors import RenderError
from graphmodel.render.fonts import apply_font

__all__ = [
    "PRESSURE_CMAP",
    "PRESSURE_NORM",
    "KIND_COLORS",
    "BROKEN_COLORS",
    "BROKEN_STYLES",
    "NEUTRAL",
    "prepare_axes",
    "finish",
    "require_columns",
]

PRESSURE_CMAP: Final[Colormap] = colormaps["RdYlBu_r"]
"""Pressure from cold (blue, 0) to hot (red, 1): 上热 … 下冷 read as colours."""

PRESSURE_NORM: Final = Normalize(vmin=0.0, vmax=1.0)

KIND_COLORS: Final = {
    "principal": "#D55E00",
    "first_person": "#0072B2",
    "dual_duty": "#009E73",
    "supervisory": "#CC79A7",
    "index": "#222222",
}
"""One colour per responsibility kind (Okabe–Ito, safe for colour-blind readers)."""

BROKEN_COLORS: Final = {"missing": "#6A1B9A", "weak": "#E69F00"}
"""Broken links stand out from the blue–red pressure scale: purple when missing, amber when weak."""

BROKEN_STYLES: Final = {"missing": (0, (4, 2)), "weak": (0, (1, 1.5))}
"""Line dashes of broken links: dashed when missing, dotted when weak (legible in grey print)."""

NEUTRAL: Final = "#B0B0B0"
"""Grey of ordinary tree edges and of nodes without data."""


def prepare_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """The figure and Axes to draw on: ``ax``'s own, or a new figure of ``figsize`` inches.

    A new figure is a plain ``matplotlib.figure.Figure``, not registered with pyplot: drawing
    leaves no global state behind. Save it with ``save_figure`` or show it with
    ``IPython.display.display(fig)``.

    Examples
    --------
    >>> fig, ax = prepare_axes(None, (3, 2))
    >>> fig.get_size_inches().tolist()
    [3.0, 2.0]
    >>> prepare_axes(ax, (9, 9))[0] is fig
    True
    """
    if ax is not None:
        figure = ax.figure
        while not isinstance(figure, Figure):  # an Axes of a SubFigure
            figure = figure.figure
        return figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def finish(fig: Figure, axes: Iterable[Axes]) -> None:
    """Put the bundled font on every text of ``axes`` (and of ``fig``'s own texts)."""
    apply_font([*axes, *fig.texts, *fig.legends])


def require_columns(table: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise ``RenderError`` naming the columns ``table`` lacks.

    Examples
    --------
    >>> require_columns(pd.DataFrame({"level": [0]}), ["level", "mean"], "levels")
    Traceback (most recent call last):
    ...
    graphmodel.errors.RenderError: the levels table lacks column(s): mean
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise RenderError(f"the {name} table lacks column(s): {', '.join(missing)}")
