"""The dataset generator: valid folders (DESIGN §3), determinism, and a truth file that matches.

The checks re-derive everything from the written CSV files with a small implementation of
DESIGN §3–§4 written for this test (plain Python, independent of the generator and of
``graphmodel.model``): the rules of the folder, the expected links and the evidence that feeds
them, link weights, the broken links, vacancies, 一岗双责 holders without duty, and the pressure
cascade that must collapse at the planted blocked level.
"""

from __future__ import annotations

import csv
import filecmp
import json
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graphmodel.dataset.generate import (
    MIN_ORGS,
    SAMPLE_SEED,
    FaultRates,
    GeneratorError,
    generate_dataset,
    generate_shanghai_sample,
    truth_path,
)
from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.schema import FILES

LAMBDA = {"responsibility_letter": 1.2, "meeting": 0.4, "talk": 0.8, "report": 0.5,
          "assessment": 0.8, "inspection": 0.8, "accountability": 1.0}  # DESIGN §2, typed again
PACKAGE = Path(__file__).resolve().parents[2] / "graphmodel"


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    path = folder / name
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Checked:
    """What the independent implementation derives from a folder."""

    orgs: dict[str, dict[str, str]]
    level: dict[str, int]
    links: dict[tuple[str, str], float] = field(default_factory=dict)  # (source, target) -> w
    secretary_vacancies: set[str] = field(default_factory=set)
    supervision_vacancies: set[str] = field(default_factory=set)
    member_vacancies: set[str] = field(default_factory=set)
    no_duty: set[tuple[str, str]] = field(default_factory=set)  # (cadre, org) at non-leaf orgs
    pressure: dict[str, float] = field(default_factory=dict)
    node_level: dict[str, int] = field(default_factory=dict)
    year_links: dict[str, dict[tuple[str, str], float]] = field(default_factory=dict)  # year -> link -> w
    secretary: dict[str, str] = field(default_factory=dict)  # org -> cadre
    in_charge: set[tuple[str, str]] = field(default_factory=set)  # (cadre, org) duty rows


def check_folder(folder: Path) -> Checked:
    """Assert every rule of DESIGN §3 and return the network of DESIGN §4."""
    for spec in FILES:
        path = folder / spec.name
        if not path.exists():
            assert not spec.mandatory, spec.name
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert set(spec.required) <= set(header), (spec.name, header)
        if spec.key:
            keys = [r[spec.key] for r in rows(folder, spec.name)]
            assert len(keys) == len(set(keys)), f"duplicate {spec.key} in {spec.name}"

    orgs = {r["id"]: r for r in rows(folder, "organizations.csv")}
    cadres = {r["id"] for r in rows(folder, "cadres.csv")}
    assert not (set(orgs) & cadres)
    assert all(r["kind"] in {"committee", "leading_group", "branch", "discipline"} for r in orgs.values())
    roots = [o for o, r in orgs.items() if r["parent_id"] == ""]
    assert len(roots) == 1 and orgs[roots[0]]["kind"] == "committee"
    root = roots[0]
    assert all(r["parent_id"] in orgs for o, r in orgs.items() if o != root)
    kind = {o: r["kind"] for o, r in orgs.items()}
    parent = {o: r["parent_id"] for o, r in orgs.items()}
    children: dict[str, list[str]] = defaultdict(list)
    for o, p in parent.items():
        if p:
            children[p].append(o)
    # a tree: every organization reached once from the root
    seen, stack = set(), [root]
    while stack:
        o = stack.pop()
        assert o not in seen
        seen.add(o)
        stack.extend(children[o])
    assert seen == set(orgs)
    # discipline bodies: parent a committee or a discipline body; children only discipline
    for o in orgs:
        if kind[o] == "discipline":
            assert kind[parent[o]] in {"committee", "discipline"}
            assert all(kind[c] == "discipline" for c in children[o])
    disc_committee = {o: parent[o] if kind[parent[o]] != "discipline" else parent[parent[o]]
                      for o in orgs if kind[o] == "discipline"}
    level: dict[str, int] = {root: 0}
    order = [root]
    for o in order:
        for c in children[o]:
            if kind[c] != "discipline":
                level[c] = level[o] + 1
                order.append(c)
    for d, c in disc_committee.items():
        level[d] = level[c]

    def below(y: str, x: str) -> bool:  # y strictly below x
        while parent[y]:
            y = parent[y]
            if y == x:
                return True
        return False

    posts = rows(folder, "posts.csv")
    assert all(post["role"] in {"secretary", "deputy_secretary", "member"} for post in posts)
    assert all(post["cadre_id"] in cadres and post["org_id"] in orgs for post in posts)
    pairs = [(post["cadre_id"], post["org_id"]) for post in posts]
    assert len(pairs) == len(set(pairs)), "a cadre with two posts in one organization"
    secretary: dict[str, str] = {}
    for post in posts:
        if post["role"] == "secretary":
            assert post["org_id"] not in secretary, "two secretaries"
            secretary[post["org_id"]] = post["cadre_id"]
    jw_secretaries = {c for o, c in secretary.items() if kind[o] == "discipline"}
    team: dict[str, list[str]] = defaultdict(list)  # 一岗双责 holders per org
    memberships: dict[str, list[str]] = defaultdict(list)  # cadre -> orgs where member/deputy
    for post in posts:
        if post["role"] != "secretary":
            memberships[post["cadre_id"]].append(post["org_id"])
            if kind[post["org_id"]] != "discipline" and post["cadre_id"] not in jw_secretaries:
                team[post["org_id"]].append(post["cadre_id"])

    duties = rows(folder, "duties.csv")
    for duty in duties:
        assert any(below(duty["org_id"], x) for x in memberships[duty["cadre_id"]]), duty
    sup_rows = rows(folder, "supervision.csv")
    for s in sup_rows:
        assert kind[s["discipline_id"]] == "discipline"
        com = disc_committee[s["discipline_id"]]
        assert s["org_id"] == com or below(s["org_id"], com), s

    # expected links, each with the evidence pair that feeds it
    principal = [o for o in orgs if kind[o] != "discipline"]
    expected: dict[tuple[str, str], tuple[str, str]] = {}
    for c in principal:
        up = parent[c]
        if up:
            expected[f"principal:{up}", f"principal:{c}"] = (up, c)
            if up in secretary and c in secretary:
                expected[f"first_person:{up}", f"first_person:{c}"] = (secretary[up], secretary[c])
    for x in principal:
        for m in team[x]:
            if x in secretary:
                expected[f"first_person:{x}", f"dual_duty:{m}@{x}"] = (secretary[x], m)
    has_duty = set()
    for duty in duties:
        m, y = duty["cadre_id"], duty["org_id"]
        for x in memberships[m]:
            if m in team[x] and below(y, x):
                expected[f"dual_duty:{m}@{x}", f"principal:{y}"] = (m, y)
                has_duty.add((m, x))
    supervised = defaultdict(set)
    for s in sup_rows:
        expected[f"supervisory:{s['discipline_id']}", f"principal:{s['org_id']}"] = (s["discipline_id"], s["org_id"])
        supervised[s["org_id"]].add(s["discipline_id"])
    tongji = {disc_committee[d]: d for d in disc_committee if kind[parent[d]] == "committee"}
    for d, c in disc_committee.items():
        if kind[parent[d]] == "discipline":
            expected[f"supervisory:{parent[d]}", f"supervisory:{d}"] = (parent[d], d)
        else:
            a = parent[c]
            while a and a not in tongji:
                a = parent[a]
            if a:
                expected[f"supervisory:{tongji[a]}", f"supervisory:{d}"] = (tongji[a], d)

    # evidence: every row feeds at least one expected link
    fed = set(expected.values())
    strength: dict[tuple[str, str], float] = defaultdict(float)
    year_strength: dict[str, dict[tuple[str, str], float]] = defaultdict(lambda: defaultdict(float))
    for i, e in enumerate(rows(folder, "evidence.csv")):
        key = (e["from_id"], e["to_id"])
        assert key in fed, f"evidence row {i} matches no expected link: {key}"
        assert e["channel"] in LAMBDA
        count = float(e["count"] or 1)
        assert count >= 0
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e["date"])
        strength[key] += LAMBDA[e["channel"]] * count
        year_strength[e["date"][:4]][key] += LAMBDA[e["channel"]] * count

    out = Checked(orgs=orgs, level=level)
    out.links = {link: 1 - math.exp(-strength[key]) for link, key in expected.items()}
    out.year_links = {year: {link: 1 - math.exp(-by_key[key]) for link, key in expected.items()}
                      for year, by_key in year_strength.items()}
    out.secretary = secretary
    out.in_charge = {(duty["cadre_id"], duty["org_id"]) for duty in duties}
    out.secretary_vacancies = {x for x in principal if x not in secretary}
    out.supervision_vacancies = {x for x in principal if kind[x] != "branch" and not supervised[x]}
    out.member_vacancies = {x for x in principal if not team[x]}
    has_child = {parent[c] for c in principal if parent[c]}
    out.no_duty = {(m, x) for x in principal if x in has_child for m in team[x] if (m, x) not in has_duty}

    # the pressure cascade (noisy-OR, DESIGN §5) with the structural links added
    links = dict(out.links)
    for x in principal:
        if x in secretary:
            links[f"principal:{x}", f"first_person:{x}"] = 1.0
    nodes = {f"principal:{x}": level[x] for x in principal}
    nodes.update({f"first_person:{x}": level[x] for x in principal if x in secretary})
    nodes.update({f"dual_duty:{m}@{x}": level[x] for x in principal for m in team[x]})
    nodes.update({f"supervisory:{d}": level[d] for d in disc_committee})
    incoming: dict[str, list[tuple[str, float]]] = defaultdict(list)
    indeg = {v: 0 for v in nodes}
    for (u, v), w in links.items():
        incoming[v].append((u, w))
        indeg[v] += 1
    outgoing: dict[str, list[str]] = defaultdict(list)
    for u, v in links:
        outgoing[u].append(v)
    sources = {f"principal:{root}", f"supervisory:{tongji[root]}"}
    pressure: dict[str, float] = {}
    ready = [v for v in nodes if indeg[v] == 0]
    done = 0
    while ready:
        v = ready.pop()
        done += 1
        if v in sources:
            pressure[v] = 1.0
        else:
            keep = 1.0
            for u, w in incoming[v]:
                keep *= 1 - pressure[u] * w
            pressure[v] = 1 - keep
        for t in outgoing[v]:
            indeg[t] -= 1
            if indeg[t] == 0:
                ready.append(t)
    assert done == len(nodes), "the network has a cycle"
    out.pressure, out.node_level = pressure, nodes
    return out


def read_truth(folder: Path) -> tuple[dict, list[dict]]:
    with open(truth_path(folder), encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert "meta" in lines[0]
    return lines[0]["meta"], lines[1:]


def assert_truth_matches(folder: Path) -> tuple[Checked, dict, list[dict]]:
    checked = check_folder(folder)
    meta, faults = read_truth(folder)
    planted = {}
    for f in faults:
        if f["fault"] in {"missing_link", "weak_link", "cut_off"}:
            planted[f["source"], f["target"]] = f
    broken = {link: w for link, w in checked.links.items() if w < 0.5}
    assert set(planted) == set(broken)
    for link, w in broken.items():
        f = planted[link]
        assert f["weight"] == pytest.approx(w, abs=1e-4)
        assert (f["category"] == "missing") == (w == 0) and f["fault"] != ("missing_link" if w > 0 else "weak_link")
        if f["fault"] == "cut_off":
            assert link == (f"first_person:{f['org']}", f"dual_duty:{f['cadre']}@{f['org']}")
        else:
            assert not link[1].startswith("dual_duty:")
    assert all(w >= 0.55 or w < 0.5 for w in checked.links.values()), "an active link that is barely active"
    vac = defaultdict(set)
    for f in faults:
        if f["fault"] == "vacancy":
            vac[f["category"]].add(f["org"])
    assert vac["secretary"] == checked.secretary_vacancies
    assert vac["supervision"] == checked.supervision_vacancies
    assert vac["members"] == checked.member_vacancies
    assert {(f["cadre"], f["org"]) for f in faults if f["fault"] == "no_duty"} == checked.no_duty
    assert meta["links"]["expected"] == len(checked.links)
    assert meta["links"]["broken"] == len(broken)
    # each year's evidence alone: the same broken links, except the planted changes
    first, last = (str(y) for y in meta["years"])
    before, after = checked.year_links.get(first, {}), checked.year_links.get(last, {})
    repaired = {link for link in checked.links if before.get(link, 0) < 0.5 <= after.get(link, 0)}
    newly = {link for link in checked.links if after.get(link, 0) < 0.5 <= before.get(link, 0)}
    assert repaired == {(f["source"], f["target"]) for f in faults if f["fault"] == "repaired_link"}
    assert newly == {(f["source"], f["target"]) for f in faults if f["fault"] == "newly_broken_link"}
    assert all(checked.links[link] >= 0.55 for link in repaired | newly)
    for f in faults:
        if f["fault"] in ("repaired_link", "newly_broken_link"):
            link = (f["source"], f["target"])
            assert f["weight_before"] == pytest.approx(before.get(link, 0), abs=1e-4)
            assert f["weight_after"] == pytest.approx(after.get(link, 0), abs=1e-4)
    for year_links in checked.year_links.values():
        assert all(w >= 0.55 or w < 0.5 for w in year_links.values()), "a link barely active in one year"
    assert_lists_truth(folder, checked, meta, faults)
    for name, n in meta["rows"].items():
        assert len(rows(folder, name)) == n
    return checked, meta, faults


def assert_lists_truth(folder: Path, checked: Checked, meta: dict, faults: list[dict]) -> None:
    """The three lists' truth, re-derived from problems.csv and projects.csv."""
    problems = {r["id"]: r for r in rows(folder, "problems.csv")}
    projects = rows(folder, "projects.csv")
    assert all(r["source"] in {"inspection", "audit", "assessment", "case", "other"} for r in problems.values())
    assert all(r["severity"] in {"1", "2", "3"} for r in problems.values())
    addressed = {r["problem_id"] for r in projects}
    assert addressed <= set(problems)
    org = {r["id"]: problems[r["problem_id"]]["org_id"] for r in projects}

    def planted(kind: str, key: str) -> set[str]:
        return {f[key] for f in faults if f["fault"] == kind}

    assert set(problems) - addressed == planted("problem_without_project", "problem")
    assert {r["id"] for r in projects if r["owner_id"] == ""} == planted("project_without_owner", "project")
    wrong = {r["id"] for r in projects if r["owner_id"] and checked.secretary.get(org[r["id"]]) != r["owner_id"]
             and (r["owner_id"], org[r["id"]]) not in checked.in_charge}
    assert wrong == planted("owner_not_in_charge", "project")
    late = {r["id"] for r in projects if r["status"] != "done" and r["due"] and r["due"] < meta["as_of"]}
    assert late == planted("overdue_project", "project")
    cases = rows(folder, "cases.csv")
    assert all(c["org_id"] in checked.orgs and c["date"][:4] in {str(y) for y in meta["years"]} for c in cases)
    indicators = rows(folder, "indicators.csv")
    principal = {o for o, r in checked.orgs.items() if r["kind"] != "discipline"}
    per_year = defaultdict(set)
    for r in indicators:
        assert r["direction"] == meta["indicators"][r["indicator"]]
        per_year[r["year"]].add((r["org_id"], r["indicator"]))
    assert {int(y) for y in per_year} == set(meta["years"])
    assert all(pairs == {(o, i) for o in principal for i in meta["indicators"]} for pairs in per_year.values())


def level_means(checked: Checked) -> dict[int, float]:
    by_level: dict[int, list[float]] = defaultdict(list)
    for v, lv in checked.node_level.items():
        by_level[lv].append(checked.pressure[v])
    return {lv: statistics.fmean(ps) for lv, ps in sorted(by_level.items())}


def assert_blocked(checked: Checked, k: int) -> None:
    """DESIGN §5 blockage: r_k below 0.6 × the median of the other levels' r."""
    means = level_means(checked)
    r = {lv: means[lv + 1] / means[lv] for lv in means if lv + 1 in means}
    others = [v for lv, v in r.items() if lv != k]
    assert r[k] < 0.6 * statistics.median(others), (k, r)


KINDS = {"missing_link", "weak_link", "cut_off", "vacancy", "no_duty", "blocked_level", "repaired_link",
         "newly_broken_link", "problem_without_project", "project_without_owner", "owner_not_in_charge",
         "overdue_project", "ecology_outlier"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "ds"
    summary = generate_dataset(out, 3000, seed=7)
    assert summary.path == out and summary.organizations == 3000
    return out


def test_generated_folder_obeys_the_contract_and_its_truth(generated: Path) -> None:
    checked, meta, faults = assert_truth_matches(generated)
    assert len(checked.orgs) == 3000 == meta["orgs"]
    assert {f["fault"] for f in faults} == KINDS
    assert {f["category"] for f in faults if f["fault"] == "vacancy"} == {"secretary", "supervision", "members"}
    blocked = [f for f in faults if f["fault"] == "blocked_level"]
    assert len(blocked) == 1 and 1 <= blocked[0]["level"] < meta["deepest_level"]
    assert blocked[0]["links"] == sum(f.get("cause") == "blocked_level" for f in faults)
    assert_blocked(checked, blocked[0]["level"])


def test_the_reader_accepts_generated_folders(generated: Path, shanghai: Path) -> None:
    for folder in (generated, shanghai):
        dataset = read_dataset(folder)  # raises DatasetError listing every problem
        meta, _ = read_truth(folder)
        for name, n in meta["rows"].items():
            assert len(dataset.table(name)) == n, name
        names = dict(zip(dataset.organizations["id"], dataset.organizations["name"]))
        assert names == {r["id"]: r["name"] for r in rows(folder, "organizations.csv")}


def test_names_exercise_csv_quoting(generated: Path) -> None:
    text = (generated / "organizations.csv").read_text(encoding="utf-8")
    assert '"' in text  # some names are quoted
    names = [r["name"] for r in rows(generated, "organizations.csv")]
    assert any("," in n for n in names)
    assert any('"' in n for n in names)
    assert any(" " in n for n in names)
    assert all(r["region"] for r in rows(generated, "organizations.csv"))


def test_concurrent_posts_present(generated: Path) -> None:
    posts = rows(generated, "posts.csv")
    by_cadre: dict[str, list[str]] = defaultdict(list)
    for p in posts:
        by_cadre[p["cadre_id"]].append(p["role"])
    two = [roles for roles in by_cadre.values() if len(roles) > 1]
    assert any(sorted(r) == ["member", "secretary"] for r in two)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate_dataset(tmp_path / "a", 800, seed=3)
    generate_dataset(tmp_path / "b", 800, seed=3)
    generate_dataset(tmp_path / "c", 800, seed=4)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == 10
    assert filecmp.cmp(truth_path(tmp_path / "a"), truth_path(tmp_path / "b"), shallow=False)
    assert not filecmp.cmp(tmp_path / "a" / "evidence.csv", tmp_path / "c" / "evidence.csv", shallow=False)


@pytest.mark.parametrize("orgs", [MIN_ORGS, 31, 97, 1234])
def test_exact_size_and_valid_at_any_size(tmp_path: Path, orgs: int) -> None:
    summary = generate_dataset(tmp_path / "ds", orgs, seed=orgs)
    assert summary.organizations == orgs
    checked, _, _ = assert_truth_matches(tmp_path / "ds")
    assert len(checked.orgs) == orgs


def test_rates_are_followed(tmp_path: Path) -> None:
    clean = FaultRates(missing_link=0, weak_link=0, cut_off=0, vacancy_secretary=0, vacancy_supervision=0,
                       vacancy_members=0, no_duty=0, blocked_share=0, repaired_link=0, newly_broken_link=0,
                       problem_without_project=0, project_without_owner=0, owner_not_in_charge=0,
                       overdue_project=0, ecology_outlier=0)
    summary = generate_dataset(tmp_path / "clean", 600, seed=1, fault_rates=clean)
    checked = check_folder(tmp_path / "clean")
    assert summary.broken_links == 0 and summary.blocked_level is None
    assert min(checked.links.values()) >= 0.55
    _, faults = read_truth(tmp_path / "clean")
    assert faults == []
    heavy = FaultRates(missing_link=0.3, weak_link=0.3, blocked_level=1)
    summary = generate_dataset(tmp_path / "heavy", 600, seed=1, fault_rates=heavy)
    assert summary.blocked_level == 1
    checked, _, _ = assert_truth_matches(tmp_path / "heavy")
    others = [w for (u, v), w in checked.links.items() if not v.startswith("dual_duty:")]
    assert 0.5 < sum(w < 0.5 for w in others) / len(others) < 0.8  # 0.6, plus the blocked level


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(GeneratorError):
        generate_dataset(tmp_path / "x", MIN_ORGS - 1, seed=0)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    with pytest.raises(GeneratorError):
        generate_dataset(tmp_path / "full", 100, seed=0)
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # nothing else written
    with pytest.raises(GeneratorError):
        FaultRates(no_duty=1.5)
    with pytest.raises(GeneratorError):
        generate_dataset(tmp_path / "y", 100, seed=0, fault_rates=FaultRates(blocked_level=9))
    assert not (tmp_path / "y").exists()


def test_progress_reports_every_organization(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    generate_dataset(tmp_path / "ds", 500, seed=2, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (500, 500)
    assert all(t == 500 for _, t in calls)


# ---- the Shanghai sample ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shanghai(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sh") / "sample"
    generate_shanghai_sample(out)
    return out


def test_shanghai_skeleton(shanghai: Path) -> None:
    checked, meta, faults = assert_truth_matches(shanghai)
    orgs = checked.orgs
    with open(PACKAGE / "data" / "shanghai-divisions.csv", encoding="utf-8") as fh:
        divisions = list(csv.DictReader(fh))
    districts = [d["name"] for d in divisions if d["level"] == "district"]
    townships = [d["name"] for d in divisions if d["level"] == "township"]
    assert len(districts) == 16 and len(townships) == 234
    level1 = [o for o in orgs.values() if checked.level[o["id"]] == 1 and o["kind"] == "committee"]
    assert sorted(o["region"] for o in level1) == sorted(districts)
    level2 = [o for o in orgs.values() if checked.level[o["id"]] == 2 and o["kind"] == "committee"]
    assert len(level2) == 234
    assert all(any(t in o["name"] for t in townships) for o in level2)
    assert sum(o["kind"] == "leading_group" and checked.level[o["id"]] == 1 for o in orgs.values()) >= 25
    assert 2000 <= len(orgs) <= 5000
    assert {o["region"] for o in orgs.values()} == set(districts) | {"上海市"}
    assert {f["fault"] for f in faults} == KINDS
    assert meta["blocked_level"] == 2
    assert_blocked(checked, 2)
    means = level_means(checked)  # 上热中温下冷 under the default thresholds of DESIGN §5
    assert means[0] >= 0.8 and means[max(means)] < 0.3, means


def test_bundled_sample_is_reproducible_and_small(shanghai: Path) -> None:
    bundled = PACKAGE / "sample"
    if not (bundled / "organizations.csv").exists():
        pytest.fail("graphmodel/sample/ is missing: run scripts/make_sample.py")
    names = sorted(p.name for p in shanghai.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(shanghai, bundled, names, shallow=False)
    assert (mismatch, errors) == ([], []), "the bundled sample is stale: run scripts/make_sample.py"
    assert filecmp.cmp(truth_path(shanghai), PACKAGE / "sample_truth.jsonl", shallow=False)
    # two years of evidence, problems, projects, cases and indicators: still under 3 MB
    assert sum(p.stat().st_size for p in bundled.glob("*.csv")) < 3_000_000
    assert SAMPLE_SEED == read_truth(shanghai)[0]["seed"]
