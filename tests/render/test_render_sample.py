"""The figures of the bundled Shanghai sample, from findings in memory and from the CSVs read back."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pandas as pd
import pytest
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure

from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.model.network import build_network
from graphmodel.render import (
    links_frame,
    plot_comparison,
    plot_coordination,
    plot_level_profile,
    plot_org_network,
    plot_org_tree,
    plot_repair_list,
)
from graphmodel.results.findings import Findings, analyze
from graphmodel.results.write import write_findings


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Findings, Path, pd.DataFrame, dict[str, str]]:
    dataset = read_dataset(sample_path())
    findings = analyze(build_network(dataset), dataset=dataset)
    out = tmp_path_factory.mktemp("findings")
    write_findings(findings, out)
    orgs = pd.read_csv(sample_path() / "organizations.csv", dtype=str, keep_default_na=False)
    cadres = pd.read_csv(sample_path() / "cadres.csv", dtype=str, keep_default_na=False)
    names = dict(zip(orgs["id"], orgs["name"])) | dict(zip(cadres["id"], cadres["name"]))
    return findings, out, orgs, names


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def read_table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", dtype={"org": str, "source": str, "target": str, "id": str})


def test_memory_and_csv_give_the_same_figures(sample: tuple[Findings, Path, pd.DataFrame, dict[str, str]]) -> None:
    findings, out, orgs, names = sample
    patterns = orjson.loads((out / "findings.json").read_bytes())["patterns"]
    pairs = [
        (lambda t: plot_level_profile(t, patterns=patterns), "levels"),
        (lambda t: plot_repair_list(t, names=names), "broken_links"),
        (lambda t: plot_coordination(t), "coordination"),
        (lambda t: plot_coordination(t, by="org", names=names), "coordination"),
        (lambda t: plot_org_tree(orgs, t), "responsibilities"),
    ]
    for draw, key in pairs:
        memory, _ = draw(findings.tables[key])
        csv, _ = draw(read_table(out, key))
        assert png(memory) == png(csv), key


def test_sample_tree_is_aggregated_and_shows_cooling(sample: tuple[Findings, Path, pd.DataFrame, dict[str, str]]) -> None:
    findings, _, orgs, _ = sample
    fig, ax = plot_org_tree(orgs, findings.tables["responsibilities"], findings.tables["broken_links"])
    assert len(orgs) > 400 and ax.get_title() == "组织树（按一级单位汇总）"
    mesh = [c for c in ax.collections if isinstance(c, QuadMesh)][0]
    assert mesh.get_array().count() > 20  # filled cells
    fig, ax = plot_level_profile(findings.tables["levels"], patterns=findings.values["patterns"])
    assert ax.get_title().endswith("上热中温下冷") == bool(findings.values["patterns"]["cooling"])
    png(fig)


def test_a_district_network_in_detail(sample: tuple[Findings, Path, pd.DataFrame, dict[str, str]]) -> None:
    findings, _, orgs, names = sample
    district = orgs.loc[(orgs["kind"] == "committee") & (orgs["parent_id"] == orgs["id"].iloc[0]), "id"].iloc[0]
    fig, ax = plot_org_network(findings.tables["responsibilities"], links_frame(findings.network), district,
                               names=names)
    assert ax.get_title() == f"{names[district]}的责任网络"
    png(fig)


def test_comparing_a_year_with_itself_shows_no_change(sample: tuple[Findings, Path, pd.DataFrame, dict[str, str]]) -> None:
    findings, out, _, _ = sample
    fig, ax = plot_comparison(findings.tables["levels"], read_table(out, "levels"), "2023年", "2024年")
    assert {t.get_text() for t in ax.texts} == {"+0.00"}
