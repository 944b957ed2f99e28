"""``graphmodel report``: in-process, once as a real subprocess, and from Neo4j."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from page_parse import parse
from PIL import Image
from typer.testing import CliRunner

from graphmodel.cli import app
from graphmodel.dataset.generate import generate_dataset
from graphmodel.dataset.reader import read_dataset
from graphmodel.model.network import build_network
from graphmodel.render import FORMATS
from graphmodel.store.load import load_dataset
from graphmodel.store.settings import Neo4jSettings

runner = CliRunner()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "data"
    generate_dataset(folder, 50, seed=3)
    return folder


def findings_text(page: Path) -> list[str]:
    """The sentences of the page's top findings."""
    html = page.read_text(encoding="utf-8")
    start = html.index('<ol class="findings">')
    return [t.strip() for t in parse(html[start:html.index("</ol>", start)]).text if t.strip()]


@pytest.fixture(scope="module")
def cli_pack(small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli-pack") / "pack"
    result = runner.invoke(app, ["report", str(small), "--out", str(out), "--dpi", "60", "--as-of", "2024-12-31", "-q"])
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'report.html'}" in result.output
    return out


def test_report_writes_the_pack(small: Path, cli_pack: Path) -> None:
    html = (cli_pack / "report.html").read_text(encoding="utf-8")
    text = parse(html).visible_text()
    assert '<html lang="zh-CN">' in html and f"数据来源：{small}" in text
    assert "三张清单（截至2024-12-31）" in text  # --as-of reached the analysis
    stems = {p.stem for p in (cli_pack / "figures").iterdir()}
    assert "level_profile" in stems
    for stem in stems:
        assert {p.suffix for p in (cli_pack / "figures").glob(f"{stem}.*")} == {f".{f}" for f in FORMATS}
    with Image.open(cli_pack / "figures" / "level_profile.png") as image:
        assert abs(image.info["dpi"][0] - 60) < 1  # --dpi reached the figure files
    assert (cli_pack / "data" / "findings.json").is_file() and (cli_pack / "data" / "levels.csv").is_file()


def test_report_refuses_bad_options_before_writing(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "never"
    both = runner.invoke(app, ["report", str(small), "--neo4j", "--out", str(out), "-q"])
    assert both.exit_code == 2 and "not both" in both.output
    lang = runner.invoke(app, ["report", str(small), "--lang", "fr", "--out", str(out), "-q"])
    assert lang.exit_code == 1 and "unknown language 'fr'" in lang.output
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "organizations.csv").write_text("id,name,kind,parent_id\nr,R,committee,\n", encoding="utf-8")
    refused = runner.invoke(app, ["report", str(bad), "--out", str(out), "-q"])
    assert refused.exit_code == 2 and "cadres.csv" in refused.output
    assert not out.exists()


def test_report_as_a_subprocess_in_english(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    command = [sys.executable, "-m", "graphmodel", "report", str(small), "--out", str(out), "--lang", "en",
               "--dpi", "50", "--as-of", "2024-12-31", "-q"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    text = parse(html).visible_text()
    assert '<html lang="en">' in html and f"Source: {small}" in text and "Three lists (as of 2024-12-31)" in text


@pytest.mark.neo4j
def test_report_from_neo4j_matches_the_folder(neo4j_clean: Neo4jSettings, small: Path, cli_pack: Path,
                                              tmp_path: Path) -> None:
    dataset = read_dataset(small)
    load_dataset(neo4j_clean, dataset, build_network(dataset))
    env = {"NEO4J_URI": neo4j_clean.uri, "NEO4J_USERNAME": neo4j_clean.username,
           "NEO4J_PASSWORD": neo4j_clean.password, "NEO4J_DATABASE": neo4j_clean.database or ""}
    from_store = runner.invoke(app, ["report", "--neo4j", "--out", str(tmp_path / "store"), "--dpi", "60", "--as-of", "2024-12-31", "-q"], env=env)
    assert from_store.exit_code == 0, from_store.output
    store_page = (tmp_path / "store" / "report.html").read_text(encoding="utf-8")
    assert f"数据来源：{neo4j_clean.uri}" in parse(store_page).visible_text()
    assert findings_text(tmp_path / "store" / "report.html") == findings_text(cli_pack / "report.html")
