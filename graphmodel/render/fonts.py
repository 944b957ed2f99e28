"""The bundled CJK font and the style every figure is drawn and saved in.

``graphmodel.render`` ships Noto Sans SC Regular (SIL OFL 1.1, ``graphmodel/fonts/``) and
registers it with matplotlib's font manager when the package is imported. Figures use it
through :func:`figure_style`, a ``matplotlib.rc_context``: nothing in the user's global
``rcParams`` changes. Inside the context TrueType fonts are embedded in PDF and PostScript as
Type 42 (text stays text, the font travels with the file) and SVG keeps text as ``<text>``
elements naming the font family (searchable and editable).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

import matplotlib
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.text import Text

__all__ = [
    "FONT_FAMILY",
    "FONT_FAMILIES",
    "FONT_FILE",
    "STYLE",
    "font_path",
    "register_fonts",
    "figure_style",
    "apply_font",
]

FONT_FAMILY: Final = "Noto Sans SC"
"""The family name of the bundled font."""

FONT_FAMILIES: Final = (FONT_FAMILY, "DejaVu Sans")
"""The font list of every text: the bundled font, then matplotlib's own for rare symbols."""

FONT_FILE: Final = "NotoSansSC-Regular.ttf"

STYLE: Final[dict[str, Any]] = {
    "font.family": list(FONT_FAMILIES),
    "font.sans-serif": list(FONT_FAMILIES),
    "font.size": 9.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "figure.titlesize": 12.0,
    "axes.unicode_minus": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "graphmodel",
    "savefig.dpi": 300,
    "figure.dpi": 100,
    "image.cmap": "viridis",
}
"""rcParams of :func:`figure_style`: fonts, sizes, and text kept as text in PDF and SVG.

``font.sans-serif`` names the bundled font too, so that a figure made elsewhere with the
default (generic) family renders its Chinese when saved with ``save_figure``."""


def font_path() -> Path:
    """The path of the bundled font file.

    Examples
    --------
    >>> font_path().name
    'NotoSansSC-Regular.ttf'
    >>> font_path().is_file()
    True
    """
    return Path(str(files("graphmodel") / "fonts" / FONT_FILE))


def register_fonts() -> str:
    """Make the bundled font known to matplotlib's font manager; safe to call again.

    Returns
    -------
    str
        The family name to ask for (``"Noto Sans SC"``).

    Examples
    --------
    >>> register_fonts()
    'Noto Sans SC'
    >>> from matplotlib import font_manager
    >>> from matplotlib.font_manager import FontProperties
    >>> font_manager.findfont(FontProperties(family=[register_fonts()])).endswith("NotoSansSC-Regular.ttf")
    True
    """
    path = font_path()
    known = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(str(path))
    return FONT_FAMILY


@contextmanager
def figure_style(extra: dict[str, Any] | None = None) -> Iterator[None]:
    """A ``matplotlib.rc_context`` with :data:`STYLE` (and ``extra``), the font registered.

    Every figure function draws inside it and :func:`~graphmodel.render.export.save_figure`
    saves inside it; the caller's rcParams are restored on exit.

    Examples
    --------
    >>> import matplotlib
    >>> before = matplotlib.rcParams["pdf.fonttype"]
    >>> with figure_style():
    ...     matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["svg.fonttype"]
    (42, 'none')
    >>> matplotlib.rcParams["pdf.fonttype"] == before
    True
    """
    register_fonts()
    params = dict(STYLE)
    params.update(extra or {})
    with matplotlib.rc_context(params):  # type: ignore[arg-type]
        yield


def apply_font(artists: Iterable[Artist]) -> None:
    """Set the bundled font list on every text inside ``artists`` (axes, legends, colourbars).

    A figure then renders its Chinese text wherever it is drawn later, also outside
    :func:`figure_style` (a notebook's inline display) and on Axes the caller made beforehand.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("层级")
    >>> apply_font([ax])
    >>> ax.title.get_fontfamily()[0]
    'Noto Sans SC'
    >>> plt.close(fig)
    """
    register_fonts()
    for artist in artists:
        for text in artist.findobj(Text):
            text.set_fontfamily(list(FONT_FAMILIES))


register_fonts()
