"""The briefing page as a file: self-contained, escaped, and showing what the findings hold."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
from report_data import Built, cadre_name, org_name
from fontTools.ttLib import TTFont
from page_parse import parse
from PIL import Image

from graphmodel.analysis.parameters import Parameters
from graphmodel.report import brief_tables, headlines, write_report
from graphmodel.report.webfont import EMBEDDED_FAMILY
from graphmodel.results.findings import Findings

DATA_PNG = "data:image/png;base64,"


def page_of(built: Built) -> str:
    return built.pack.page.read_text(encoding="utf-8")


def test_pack_holds_the_page_every_figure_and_the_csvs(sample_built: Built) -> None:
    pack, root = sample_built.pack, sample_built.pack.page.parent
    keys = [f.key for f in pack.figures]
    # The sample has indicators, so the 政治生态 figures join the five of the cascade.
    assert keys == ["level_profile", "org_tree", "repair_list", "coordination", "org_network",
                    "ecology_forest", "ecology_trees"]
    for figure in pack.figures:  # the formats asked for (PNG here; all three in test_report_cli)
        assert [p.as_posix() for p in figure.files] == [f"figures/{figure.key}.png"]
        assert (root / figure.files[0]).stat().st_size > 1000
    with Image.open(root / "figures" / "level_profile.png") as image:  # written at the pack's dpi
        assert abs(image.info["dpi"][0] - 100) < 1
    data = {p.name for p in (root / "data").iterdir()}
    assert {"findings.json", "levels.csv", "broken_links.csv", "vacancies.csv", "coordination.csv",
            "drops.csv", "ecology_trees.csv", "lists_overdue.csv"} <= data
    assert set(pack.files()) == {pack.page, *(root / "figures").iterdir(), *(root / "data").iterdir()}


def test_page_is_self_contained(sample_built: Built) -> None:
    html = page_of(sample_built)
    parsed = parse(html)
    root = sample_built.pack.page.parent
    assert parsed.elements("script") == [] and parsed.elements("iframe") == [] and parsed.elements("object") == []
    assert "<script" not in html.lower()
    for url in parsed.urls():
        if url.startswith("data:") or url.startswith("#"):
            continue
        # Anything else is a download link next to the page: relative, existing, never fetched on load.
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I), url
        assert (root / url).is_file(), url
    fetched_on_load = [a["src"] for a in parsed.elements("img")] + [a["href"] for a in parsed.elements("link")]
    fetched_on_load += [u for css in parsed.styles for u in re.findall(r"url\(([^)]*)\)", css)]
    assert fetched_on_load and all(u.startswith("data:") for u in fetched_on_load)
    [csp] = [m["content"] for m in parsed.elements("meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
    assert "default-src 'none'" in csp and "img-src data:" in csp and "font-src data:" in csp
    assert "script-src" not in csp  # no script is allowed (default-src 'none' covers it)


def test_embedded_figures_are_the_pack_figures(sample_built: Built) -> None:
    parsed = parse(page_of(sample_built))
    images = parsed.elements("img")
    assert len(images) == len(sample_built.pack.figures)
    for attrs, figure in zip(images, sample_built.pack.figures):
        assert attrs["src"].startswith(DATA_PNG)
        png = base64.b64decode(attrs["src"][len(DATA_PNG):])
        assert png == figure.png
        with Image.open(io.BytesIO(png)) as image:
            assert (image.width, image.height) == (figure.width, figure.height)
            # 100 dpi files are embedded as written: the page shows them at 96 px per inch.
            assert int(attrs["width"]) == round(image.width * 96 / 100)
        assert attrs["alt"] == figure.caption


def test_embedded_font_covers_every_character_of_the_page(sample_built: Built) -> None:
    parsed = parse(page_of(sample_built))
    [face] = [css for css in parsed.styles if "@font-face" in css]
    assert f'font-family:"{EMBEDDED_FAMILY}"' in face
    found = re.search(r"data:font/woff;base64,([A-Za-z0-9+/=]+)", face)
    assert found is not None
    woff = base64.b64decode(found.group(1))
    cmap = TTFont(io.BytesIO(woff)).getBestCmap()
    text = parsed.visible_text() + "".join(a.get("alt", "") for a in parsed.elements("img"))
    missing = {c for c in text if not c.isspace() and ord(c) not in cmap}
    assert missing == set()
    assert len(cmap) < 3000  # a subset, not the 30 000 glyphs of the bundled font
    assert re.search(r"font-family:\s*\"" + EMBEDDED_FAMILY, "".join(parsed.styles))


def test_findings_in_plain_words_match_the_tables(sample_built: Built) -> None:
    findings, parsed = sample_built.findings, parse(page_of(sample_built))
    text = parsed.visible_text()
    for headline in sample_built.pack.headlines:
        assert headline.text in text
    patterns = findings.values["patterns"]
    levels = findings.tables["levels"].set_index("level")
    blocked = [h.text for h in sample_built.pack.headlines if h.key == "blockage"]
    assert len(blocked) == len(patterns["blockages"]) >= 1
    for k, sentence in zip(patterns["blockages"], blocked):
        assert f"压力在第{k}级传导受阻（中梗阻）" in sentence
        assert f"该级衰减率{levels.loc[k, 'attenuation']:.2f}" in sentence
        others = levels["attenuation"].drop(index=k).dropna()
        assert f"其他层级的中位数{np.median(others):.2f}" in sentence
    broken = findings.tables["broken_links"]
    assert f"共有{len(broken)}条传导链断裂或偏弱（缺失{(broken['category'] == 'missing').sum()}条" in text
    vacancies = findings.tables["vacancies"]["category"].value_counts()
    assert f"书记空缺{vacancies['secretary']}个" in text


def test_tables_show_the_head_of_each_list(sample_built: Built) -> None:
    findings = sample_built.findings
    tables = {t.key: t for t in sample_built.pack.tables}
    assert list(tables) == ["levels", "broken_links", "vacancies", "coordination", "drops", "ecology_trees",
                            "lists_overdue"]
    broken = findings.tables["broken_links"]
    repair = tables["broken_links"]
    impacts = np.sort(broken["impact"].to_numpy())[::-1][:15]
    assert [row[-1] for row in repair.rows] == [f"{x:.2f}" for x in impacts]
    assert repair.more == len(broken) - 15 and repair.file == "data/broken_links.csv"
    coordination = tables["coordination"]
    index_col = coordination.columns.index("协同指数")
    values = [float(row[index_col]) for row in coordination.rows]
    assert values == sorted(values) and values[0] == round(findings.tables["coordination"]["index"].min(), 2)
    drops = tables["drops"]
    falls = [float(row[-1]) for row in drops.rows]
    table = findings.tables["drops"]
    assert falls == sorted(falls, reverse=True)
    assert falls[0] == round(float((table["parent_pressure"] - table["pressure"]).max()), 2)
    levels = tables["levels"]
    assert [f for f, row in zip(levels.flagged, levels.rows) if f] == [True] * len(findings.values["patterns"]["blockages"])
    html = page_of(sample_built)
    assert html.count('<tr class="flag">') == len(findings.values["patterns"]["blockages"])


def test_hostile_names_show_as_text(hostile_built: Built) -> None:
    html = page_of(hostile_built)
    parsed = parse(html)
    assert parsed.elements("script") == []
    assert len(parsed.elements("img")) == len(hostile_built.pack.figures)
    assert all(a["src"].startswith(DATA_PNG) for a in parsed.elements("img"))
    assert all(len(t.columns) == len(row) for t in hostile_built.pack.tables for row in t.rows)
    text = parsed.visible_text()
    names = [org_name(i) for i in range(80)]
    shown = [n for n in names if n in text]
    assert len(shown) >= 5  # names went through the parser back to the very same strings
    assert any(cadre_name(i) in text for i in range(200))
    # every table kept its shape: one opening and one closing tag per table the pack has
    assert html.count("<table") == html.count("</table>") == len(hostile_built.pack.tables)


def test_sections_without_tables_are_left_out(sample_built: Built, tmp_path: Path) -> None:
    full = sample_built.findings
    bare = Findings(full.network, full.parameters, full.pressure,
                    values={k: full.values[k] for k in ("dataset", "parameters", "patterns")},
                    tables={k: full.tables[k] for k in ("levels", "responsibilities")})
    pack = write_report(bare, tmp_path, formats=("png",), dpi=50)  # no dataset: ids as names
    assert [f.key for f in pack.figures] == ["level_profile", "org_tree"]
    assert [t.key for t in pack.tables] == ["levels"]
    assert {h.key for h in pack.headlines} == {"cooling", "blockage"}
    html = pack.page.read_text(encoding="utf-8")
    assert "修复清单" not in html and "政治生态" not in html and 'id="tables"' in html


def test_english_page(hostile_built: Built, tmp_path: Path) -> None:
    built = hostile_built
    pack = write_report(built.findings, tmp_path, dataset=built.dataset, lang="en", formats=("png",), dpi=50)
    parsed = parse(pack.page.read_text(encoding="utf-8"))
    [html_tag] = parsed.elements("html")
    assert html_tag["lang"] == "en"
    headings = [t.title for t in pack.tables]
    assert headings[0] == "Pressure by level" and all(re.fullmatch(r"[ -~]+", h) for h in headings)
    assert "Top findings" in parsed.visible_text()
    # the fixed words of every finding are English; only names from the data may be Chinese
    for h in pack.headlines:
        assert re.search(r"[A-Za-z]{3,}", h.text)


def test_findings_without_values_or_tables() -> None:
    empty = SimpleNamespace(values={}, tables={}, parameters=Parameters())
    assert headlines(empty) == [] and brief_tables(empty) == []
    drops = pd.DataFrame({"org": ["a"], "parent": ["r"], "pressure": [0.1], "parent_pressure": [0.9], "level": [2]})
    found = headlines(SimpleNamespace(values={}, tables={"drops": drops}, parameters=empty.parameters))
    assert [h.text for h in found] == ["1个单位所受主体责任压力不足上级的50%（压力断崖），其中第2级最多（1个）。"]
