"""Save a figure as PNG, SVG and PDF in one call, with the font embedded and text kept as text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from matplotlib.figure import Figure

from graphmodel.errors import RenderError
from graphmodel.render.fonts import figure_style

__all__ = ["FORMATS", "save_figure"]

FORMATS: Final = ("png", "svg", "pdf")
"""The formats ``save_figure`` writes."""

_METADATA: Final[dict[str, dict[str, Any]]] = {
    "png": {"Software": "graphmodel"},
    "svg": {"Date": None, "Creator": "graphmodel"},
    "pdf": {"CreationDate": None, "Creator": "graphmodel", "Producer": "graphmodel"},
}
"""Fixed metadata, so that the same figure gives the same bytes on every run."""


def save_figure(
    fig: Figure,
    path_stem: str | Path,
    formats: Sequence[str] = FORMATS,
    dpi: int = 300,
) -> list[Path]:
    """Write ``fig`` to ``<path_stem>.png``, ``.svg`` and ``.pdf`` (or the given formats).

    Saving runs inside :func:`~graphmodel.render.fonts.figure_style`: the bundled font is
    embedded in the PDF (Type 42, a CID TrueType subset with a ToUnicode map, so text can be
    searched and copied), SVG keeps text as ``<text>`` elements with ``font-family: 'Noto Sans
    SC'``, and PNG is rasterized at ``dpi``. Missing folders are created.

    Parameters
    ----------
    fig : the figure.
    path_stem : the path without suffix; a suffix already there is kept as part of the name
        (``levels.2024`` → ``levels.2024.png``).
    formats : any of ``"png"``, ``"svg"``, ``"pdf"``.
    dpi : resolution of raster output (print quality: 300).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Raises
    ------
    RenderError
        An unknown format, or none at all.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> _ = ax.set_title("层级")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.suffix for p in save_figure(fig, Path(tmp) / "demo", dpi=50)]
    ['.png', '.svg', '.pdf']
    >>> plt.close(fig)
    """
    if not formats:
        raise RenderError("no format to save the figure in")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderError(f"unknown figure format(s) {', '.join(map(repr, unknown))}: use {', '.join(FORMATS)}")
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with figure_style():
        for fmt in formats:
            path = stem.with_name(f"{stem.name}.{fmt}")
            fig.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight", pad_inches=0.05,
                        metadata=_METADATA[fmt])
            written.append(path)
    return written
