"""A small dataset that uses every file and column of DESIGN §3, with plain or hostile ids."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from graphmodel.dataset.reader import Dataset, read_dataset

# Strings that break naive Cypher building: quotes, braces, backticks, parameters, keywords,
# comments, backslashes, newlines, surrounding spaces, and Chinese.
HOSTILE = [
    "x'}) MATCH (n) DETACH DELETE n //",
    '"}) DETACH DELETE n RETURN "',
    "`Organization` {id: $id} RETURN 1 UNION MATCH (n) DETACH DELETE n",
    "中共上海市\\委员会 ${name} ;",
    "MATCH (n) DETACH DELETE n",
    "两\n行 '引号' \"双引号\"",
    "  spaced  ",
    "{}[]()<>:=@#,",
]


def plain(name: str) -> str:
    return name


def _stable_hostile() -> Callable[[str], str]:
    seen: dict[str, str] = {}

    def make(name: str) -> str:
        if name not in seen:
            seen[name] = f"{HOSTILE[len(seen) % len(HOSTILE)]}|{name}"
        return seen[name]

    return make


def write_full_dataset(folder: Path, *, hostile_ids: bool = False, extra_column: str = "note") -> Path:
    """Write the dataset; with ``hostile_ids`` every id and name is a hostile string."""
    h = _stable_hostile() if hostile_ids else plain
    folder.mkdir(parents=True, exist_ok=True)
    R, RJ, A, AJ, B, BS, A1 = (h(x) for x in ("R", "RJ", "A", "AJ", "B", "BS", "A1"))
    c = {i: h(f"c{i}") for i in range(1, 9)}
    tables = {
        "organizations.csv": (
            ("id", "name", "kind", "parent_id", "region", extra_column),
            [
                (R, h("市委"), "committee", "", "上海市", h("注")),
                (RJ, h("市纪委"), "discipline", R, "上海市", ""),
                (A, h("黄浦区委"), "committee", R, "黄浦区", "x"),
                (AJ, h("黄浦区纪委"), "discipline", A, "黄浦区", ""),
                (B, h("市教委党组"), "leading_group", R, "", ""),
                (BS, h("派驻纪检监察组"), "discipline", RJ, "", ""),
                (A1, h("某支部"), "branch", A, "黄浦区", ""),
            ],
        ),
        "cadres.csv": (("id", "name"), [(c[i], h(f"干部{i}")) for i in range(1, 9)]),
        "posts.csv": (
            ("cadre_id", "org_id", "role"),
            [
                (c[1], R, "secretary"), (c[2], R, "deputy_secretary"), (c[3], R, "member"),
                (c[4], RJ, "secretary"), (c[5], A, "secretary"), (c[6], A, "member"),
                (c[7], B, "secretary"), (c[8], A1, "secretary"), (c[3], A, "member"),
            ],
        ),
        "duties.csv": (("cadre_id", "org_id"), [(c[2], A), (c[3], B), (c[6], A1), (c[2], A)]),
        "supervision.csv": (("discipline_id", "org_id"), [(RJ, R), (AJ, A), (BS, B)]),
        "evidence.csv": (
            ("from_id", "to_id", "channel", "count", "date", "note"),
            [
                (R, A, "meeting", "2", "2024-01-05", h("部署会")),
                (R, A, "meeting", "1.5", "", ""),
                (c[1], c[2], "talk", "1", "", ""),
                (c[1], c[5], "talk", "", "", ""),
                (c[2], A, "assessment", "1", "", ""),
                (RJ, R, "inspection", "1", "", ""),
                (RJ, BS, "accountability", "0.5", "", ""),
                (AJ, A, "inspection", "1", "", ""),
                (R, B, "responsibility_letter", "1", "", ""),
            ],
        ),
        "problems.csv": (
            ("id", "org_id", "source", "description", "severity"),
            [(h("P1"), A, "inspection", h("台账不全, 整改慢"), "2"), (h("P2"), B, "audit", "", "")],
        ),
        "projects.csv": (
            ("id", "problem_id", "owner_id", "status", "due"),
            [(h("J1"), h("P1"), c[5], "open", "2024-12-31"), (h("J2"), h("P2"), "", "in_progress", "")],
        ),
        "cases.csv": (
            ("id", "org_id", "cadre_id", "date", "kind"),
            [(h("K1"), A1, c[8], "2024-03-01", h("诫勉")), (h("K2"), B, "", "", "")],
        ),
        "indicators.csv": (
            ("org_id", "indicator", "value", "year", "direction"),
            [
                (A, h("满意度"), "0.8", "2023", "+"),
                (A, h("满意度"), "0.9", "2024", "+"),
                (B, h("问题数"), "3", "2024", "-"),
                (A1, h("满意度"), "0.7", "", ""),
            ],
        ),
    }
    for name, (header, rows) in tables.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    return folder


def full_dataset(folder: Path, *, hostile_ids: bool = False) -> Dataset:
    return read_dataset(write_full_dataset(folder, hostile_ids=hostile_ids))
