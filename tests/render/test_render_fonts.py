"""The bundled font: a TrueType file that covers every label, registered once, used through a context."""

from __future__ import annotations

import io
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import pandas as pd
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from graphmodel.render import labels as L
from graphmodel.render.fonts import FONT_FAMILY, figure_style, font_path, register_fonts
from graphmodel.render.levels import plot_level_profile

SVG = "{http://www.w3.org/2000/svg}"


def _all_label_text() -> str:
    tables = [L.KIND_LABELS, L.ORG_KIND_LABELS, L.CATEGORY_LABELS, L.STATUS_LABELS, L.VACANCY_LABELS,
              L.COMPONENT_LABELS, L.TEXT]
    return "".join(value for table in tables for lang in L.LANGS for value in table[lang].values())


def test_font_is_truetype_with_licence_and_covers_every_label() -> None:
    path = font_path()
    assert path.read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType outlines (glyf), not CFF ('OTTO')
    assert (path.parent / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1
    with TTFont(path, lazy=True) as font:
        assert "glyf" in font and "CFF " not in font and "fvar" not in font
        assert font["name"].getDebugName(1) == FONT_FAMILY
        assert font["OS/2"].usWeightClass == 400
        assert font["OS/2"].fsType & 0x000E in (0, 0x0008)  # installable or editable embedding
        cmap = font.getBestCmap()
    text = _all_label_text() + "上热中温下冷中梗阻四责协同政治生态第〇一二三四五六七八九级党委纪委书记"
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap and ch not in "{}"})
    assert missing == []


def test_register_is_idempotent_and_findfont_resolves_without_fallback() -> None:
    def entries() -> int:
        return sum(1 for f in font_manager.fontManager.ttflist if f.fname == str(font_path()))

    register_fonts()
    count = entries()
    assert register_fonts() == FONT_FAMILY
    assert entries() == count >= 1
    found = font_manager.findfont(FontProperties(family=[FONT_FAMILY]), fallback_to_default=False)
    assert found == str(font_path())


def test_style_is_scoped_to_the_context() -> None:
    before = (matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["svg.fonttype"],
              list(matplotlib.rcParams["font.family"]))
    with figure_style():
        assert matplotlib.rcParams["pdf.fonttype"] == 42
        assert matplotlib.rcParams["svg.fonttype"] == "none"
        assert matplotlib.rcParams["font.family"][0] == FONT_FAMILY
    assert (matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["svg.fonttype"],
            list(matplotlib.rcParams["font.family"])) == before


def test_default_matplotlib_cannot_draw_chinese_but_our_figures_can(levels: pd.DataFrame) -> None:
    """The control: without the bundled font matplotlib warns of missing glyphs; our figure, drawn
    on an Axes made outside the style and saved with plain ``savefig``, does not."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        plain = Figure()
        plain.add_subplot().set_title("层级")
        with pytest.warns(UserWarning, match="missing from font"):
            plain.savefig(io.BytesIO(), format="png")
        fig = Figure(figsize=(6, 4))
        ax = fig.add_subplot()
    plot_level_profile(levels, ax=ax)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = io.BytesIO()
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            fig.savefig(out, format="svg")
    texts = "".join(t.text or "" for t in ET.fromstring(out.getvalue()).iter(f"{SVG}text"))
    assert "逐级压力传导" in texts and "第0级" in texts
