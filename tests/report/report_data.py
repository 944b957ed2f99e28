"""Data of the report tests (a helper module: test files import it; conftest builds the fixtures)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphmodel.report import ReportPack
from graphmodel.results.findings import Findings

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


def rename(path: Path, name: Any) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows):
        row["name"] = name(i)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
