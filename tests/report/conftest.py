"""Briefing packs shared by the report tests: the bundled sample, and a small dataset whose names
are hostile HTML (tags, quotes, ampersands, an external image URL)."""

from __future__ import annotations

import pytest
from report_data import AS_OF, Built, cadre_name, org_name, rename

from graphmodel.dataset.generate import generate_dataset
from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.model.network import build_network
from graphmodel.report import write_report
from graphmodel.results.findings import analyze


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled sample's pack, its figures as PNG at 100 dpi only (the CLI tests check the
    three formats on a small dataset; PDF and SVG export are the slow part)."""
    dataset = read_dataset(sample_path())
    findings = analyze(build_network(dataset), dataset=dataset, as_of=AS_OF)
    pack = write_report(findings, tmp_path_factory.mktemp("sample-pack"), dataset=dataset, formats=("png",), dpi=100)
    return Built(dataset, findings, pack)


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A generated dataset of 80 organizations named with hostile HTML; its pack as PNG only."""
    folder = tmp_path_factory.mktemp("hostile") / "data"
    generate_dataset(folder, 80, seed=7)
    rename(folder / "organizations.csv", org_name)
    rename(folder / "cadres.csv", cadre_name)
    dataset = read_dataset(folder)
    findings = analyze(build_network(dataset), dataset=dataset, as_of=AS_OF)
    pack = write_report(findings, folder.parent / "pack", dataset=dataset, formats=("png",), dpi=72)
    return Built(dataset, findings, pack)
