"""Briefing packs shared by the report tests: the bundled sample, and a small dataset whose names
are hostile HTML (tags, quotes, ampersands, an external image URL)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graphmodel.dataset.generate import generate_dataset
from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.model.network import build_network
from graphmodel.report import ReportPack, write_report
from graphmodel.results.findings import Findings, analyze

AS_OF = "2024-12-31"


@dataclass
class Built:
    dataset: Any
    findings: Findings
    pack: ReportPack


def org_name(i: int) -> str:
    """An organization name that would fetch an image and break the table if it were not escaped."""
    return f'<img src="http://127.0.0.1:9/o{i}.png"> 甲&乙 "{i}" \'x\' </td></tr></table>'


def cadre_name(i: int) -> str:
    return f"<script>alert({i})</script>&amp;"


def _rename(path: Path, name: Any) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        row["name"] = name(i)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The bundled sample's pack, every figure in PNG, SVG and PDF (PNG at 100 dpi to save time)."""
    dataset = read_dataset(sample_path())
    findings = analyze(build_network(dataset), dataset=dataset, as_of=AS_OF)
    pack = write_report(findings, tmp_path_factory.mktemp("sample-pack"), dataset=dataset, dpi=100)
    return Built(dataset, findings, pack)


@pytest.fixture(scope="session")
def hostile_built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A generated dataset of 80 organizations named with hostile HTML; its pack as PNG only."""
    folder = tmp_path_factory.mktemp("hostile") / "data"
    generate_dataset(folder, 80, seed=7)
    _rename(folder / "organizations.csv", org_name)
    _rename(folder / "cadres.csv", cadre_name)
    dataset = read_dataset(folder)
    findings = analyze(build_network(dataset), dataset=dataset, as_of=AS_OF)
    pack = write_report(findings, folder.parent / "pack", dataset=dataset, formats=("png",), dpi=72)
    return Built(dataset, findings, pack)
