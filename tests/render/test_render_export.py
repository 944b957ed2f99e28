"""save_figure: PNG, SVG and PDF that exist, are valid, keep text as text and embed the font."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from graphmodel.errors import RenderError
from graphmodel.render import plot_level_profile, plot_org_tree, save_figure
from graphmodel.render.fonts import FONT_FAMILY
from render_tables import make_levels

SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def svg_texts(path: Path) -> tuple[list[str], list[str]]:
    """The strings of every ``<text>`` element and their ``style`` attributes."""
    root = ET.parse(path).getroot()
    elements = list(root.iter(f"{SVG}text"))
    return [e.text or "" for e in elements], [e.get("style", "") for e in elements]


def pdf_fonts(path: Path) -> list[dict[str, object]]:
    """For every font on every page: its base name, subtype, descendant subtype and embedded file."""
    out = []
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            entry: dict[str, object] = {"base": str(font["/BaseFont"]), "subtype": str(font["/Subtype"])}
            for child in font.get("/DescendantFonts", []):
                child = child.get_object()
                descriptor = child["/FontDescriptor"].get_object()
                entry["cid_subtype"] = str(child["/Subtype"])
                entry["files"] = sorted(k for k in descriptor if str(k).startswith("/FontFile"))
                entry["bytes"] = len(descriptor["/FontFile2"].get_object().get_data()) if "/FontFile2" in descriptor else 0
            entry["to_unicode"] = "/ToUnicode" in font
            out.append(entry)
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The level profile of ``conftest.levels`` in the three formats (saved once: PDF takes a second)."""
    fig, _ = plot_level_profile(make_levels())
    return save_figure(fig, tmp_path_factory.mktemp("export") / "sub" / "levels", dpi=300)


def test_writes_the_three_formats_in_order(exported: list[Path]) -> None:
    folder = exported[0].parent
    assert folder.name == "sub"
    assert exported == [folder / f"levels.{ext}" for ext in ("png", "svg", "pdf")]
    assert all(p.is_file() and p.stat().st_size > 1000 for p in exported)


def test_png_is_valid_at_print_resolution(exported: list[Path]) -> None:
    data = exported[0].read_bytes()
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    # A 6.4 × 4.0 inch figure at 300 dpi, cropped to its drawn extent.
    assert 0.8 * 6.4 * 300 < width <= 6.4 * 300 + 60
    assert 0.8 * 4.0 * 300 < height <= 4.0 * 300 + 60
    with Image.open(exported[0]) as image:
        image.verify()
    with Image.open(exported[0]) as image:
        assert round(image.info["dpi"][0]) == 300


def test_svg_keeps_chinese_as_searchable_text_in_the_bundled_family(exported: list[Path]) -> None:
    texts, styles = svg_texts(exported[1])
    joined = "".join(texts)
    for expected in ("逐级压力传导：上热中温下冷", "第0级", "第4级", "层级", "压力", "主体责任", "一岗双责", "中梗阻"):
        assert expected in joined, expected
    assert styles and all(f"'{FONT_FAMILY}'" in s for s in styles)
    # No glyph outlines were written in place of text (svg.fonttype 'path' defines one per glyph).
    ids = [e.get("id", "") for e in ET.parse(exported[1]).getroot().iter()]
    assert not [i for i in ids if "NotoSansSC" in i or "DejaVuSans" in i]


def test_pdf_embeds_the_cjk_font_as_truetype_with_unicode(exported: list[Path]) -> None:
    fonts = pdf_fonts(exported[2])
    assert fonts, "the PDF has no font resources"
    for font in fonts:
        assert str(font["base"]).endswith("+NotoSansSC-Regular"), font  # a subset of the bundled font
        assert font["subtype"] == "/Type0" and font["cid_subtype"] == "/CIDFontType2"
        assert font["files"] == ["/FontFile2"] and int(font["bytes"]) > 1000  # type: ignore[call-overload]
        assert font["to_unicode"]
    text = PdfReader(exported[2]).pages[0].extract_text()
    assert "逐级压力传导" in text and "第一责任人责任" in text


def test_same_table_same_bytes(tmp_path: Path, levels: pd.DataFrame) -> None:
    """No dates, random ids or salts in the files: a rerun gives the same bytes."""
    first = save_figure(plot_level_profile(levels)[0], tmp_path / "one", formats=("svg", "pdf"))
    second = save_figure(plot_level_profile(levels)[0], tmp_path / "two", formats=("svg", "pdf"))
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.suffix


def test_tree_svg_and_pdf_carry_the_names(tmp_path: Path, organizations: pd.DataFrame,
                                          pressure: dict[str, float], broken_links: pd.DataFrame) -> None:
    fig, _ = plot_org_tree(organizations, pressure, broken_links)
    svg, pdf = save_figure(fig, tmp_path / "tree", formats=("svg", "pdf"), dpi=100)
    texts, _ = svg_texts(svg)
    for name in ("市委", "甲区委", "甲一居民区党支部", "市发改委党组", "断链（缺失）", "所受主体责任压力"):
        assert name in texts
    assert "市纪委" not in texts  # discipline bodies are not drawn
    assert "甲一居民区党支部" in PdfReader(pdf).pages[0].extract_text()


def test_refuses_unknown_or_no_format(tmp_path: Path, levels: pd.DataFrame) -> None:
    fig, _ = plot_level_profile(levels)
    with pytest.raises(RenderError, match="'jpg'"):
        save_figure(fig, tmp_path / "x", formats=("png", "jpg"))
    with pytest.raises(RenderError):
        save_figure(fig, tmp_path / "x", formats=())
    assert not list(tmp_path.iterdir())


def test_a_dotted_stem_keeps_its_name(tmp_path: Path, levels: pd.DataFrame) -> None:
    fig, _ = plot_level_profile(levels)
    (path,) = save_figure(fig, tmp_path / "levels.2024", formats=("png",), dpi=50)
    assert path.name == "levels.2024.png"
