"""The page's font: the bundled Noto Sans SC, cut down to the characters the page uses, as a data: URL.

A briefing must read the same on a machine without a CJK font, and must fetch nothing, so the
page carries its font: a subset of ``graphmodel/fonts/NotoSansSC-Regular.ttf`` (SIL OFL 1.1,
no reserved name in its family name) holding only the glyphs of the characters on the page (and printable ASCII),
packed as WOFF (zlib; about 0.25 kB per Chinese character), embedded in an ``@font-face`` rule
under its own family name. The page's font stack names it first and then the usual system CJK
fonts ("Noto Sans SC", "PingFang SC", "Microsoft YaHei"), so a character the subset lacks still
finds a system font.
"""

from __future__ import annotations

import base64
import io
import string
from functools import lru_cache
from typing import Final

from fontTools import subset
from fontTools.ttLib import TTFont

from graphmodel.render.fonts import font_path

__all__ = ["EMBEDDED_FAMILY", "FONT_STACK", "subset_font", "font_face_css"]

EMBEDDED_FAMILY: Final = "GraphModel Noto Sans SC"
"""The family name of the embedded subset (its own, so it never shadows an installed font)."""

FONT_STACK: Final = (f'"{EMBEDDED_FAMILY}", "Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", '
                     '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')
"""The page's ``font-family``."""


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    return font_path().read_bytes()


def subset_font(characters: str) -> bytes:
    """A WOFF font with the bundled font's glyphs for ``characters`` (and what they need).

    Examples
    --------
    >>> from fontTools.ttLib import TTFont
    >>> data = subset_font("层级abc")
    >>> data[:4]
    b'wOFF'
    >>> font = TTFont(io.BytesIO(data))
    >>> all(ord(c) in font.getBestCmap() for c in "层级abc"), ord("市") in font.getBestCmap()
    (True, False)
    """
    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the licence
    font = TTFont(io.BytesIO(_font_bytes()))  # lazy table loading: a tenth of the time
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(characters) | set(string.printable))))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def font_face_css(characters: str) -> str:
    """An ``@font-face`` rule for :data:`EMBEDDED_FAMILY` with the subset for ``characters`` inline.

    Examples
    --------
    >>> rule = font_face_css("压力")
    >>> rule.startswith('@font-face{font-family:"GraphModel Noto Sans SC";src:url(data:font/woff;base64,')
    True
    """
    data = base64.b64encode(subset_font(characters)).decode("ascii")
    return (f'@font-face{{font-family:"{EMBEDDED_FAMILY}";src:url(data:font/woff;base64,{data}) format("woff");'
            "font-weight:100 900;font-style:normal;font-display:block}")
