"""Ground truth: on generated datasets, every planted fault is found, and nothing else.

The generator (``graphmodel.dataset.generate``) writes beside each dataset the list of the faults
it planted. What the detections may report beyond that list is what the planted faults *imply*,
and nothing more. Precisely:

- ``broken_links``: exactly the links of the ``missing_link``, ``weak_link`` and ``cut_off``
  entries, each with its category and weight (the ``first_person:P → first_person:C`` links whose
  evidence pair is shared with a cut-off ``first_person:P → dual_duty:S(C)@P`` are planted
  entries of their own, cause ``shared_evidence``).
- ``vacancies``: exactly the ``vacancy`` entries (org, category).
- ``dual_duty`` statuses, per holder:
  ``no_duty`` — a planted ``no_duty`` entry, or (implied) the holder's organization has no
  organization below it bearing ``principal``, so there is nothing to be in charge of;
  ``cut_off_above`` — a planted ``cut_off`` entry, or (implied) its organization has a
  ``secretary`` vacancy;
  ``cut_off_below`` — (implied) the holder has duty links and every one of them is a planted
  ``missing_link`` / ``weak_link``;
  ``isolated`` — (implied) ``cut_off_above`` and no active duty link, i.e. ``no_duty`` or
  ``cut_off_below`` as just defined.
- ``drops``: each drop at X implies a planted broken link ``principal:P → principal:X`` (the
  generator's strong links weigh at least 0.55 > ρ_drop, so an intact one alone keeps p(X) ≥
  ρ_drop · p(P)); not every such link makes a drop — other channels may make up for it.
- ``coordination``: a ``secretary`` or ``members`` vacancy implies index 0 (with weakest
  ``first_person`` — the first zero in order, principal pressure aside), a ``supervision``
  vacancy a supervisory score of 0.
- ``blocked_level``: the level profile reports a blockage (中梗阻) at that level.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from graphmodel.analysis.cascade import cascade, default_sources, schedule
from graphmodel.analysis.coordination import coordination
from graphmodel.analysis.drops import drops
from graphmodel.analysis.dual_duty import holder_status
from graphmodel.analysis.levels import level_profile, patterns
from graphmodel.analysis.links import broken_links
from graphmodel.analysis.vacancies import vacancies
from graphmodel.dataset.generate import FaultRates, generate_dataset, truth_path
from graphmodel.dataset.reader import read_dataset
from graphmodel.model.network import DUTY_LINK, build_network

HEAVY = FaultRates(missing_link=0.2, weak_link=0.2, cut_off=0.3, vacancy_secretary=0.2,
                   vacancy_supervision=0.2, vacancy_members=0.2, no_duty=0.3)
CASES = [(60, 1, None), (150, 7, HEAVY), (400, 2, None), (1_000, 11, HEAVY), (3_000, 3, None), (20_000, 4, None)]


def read_truth(folder: Path) -> tuple[dict, list[dict]]:
    lines = [json.loads(line) for line in truth_path(folder).read_text(encoding="utf-8").splitlines()]
    return lines[0]["meta"], lines[1:]


@pytest.fixture(scope="module", params=CASES,
                ids=[f"{n}orgs-seed{s}" + ("-heavy" if r else "") for n, s, r in CASES])
def generated(request, tmp_path_factory):
    orgs, seed, rates = request.param
    folder = tmp_path_factory.mktemp("truth") / f"gen-{orgs}-{seed}"
    generate_dataset(folder, orgs, seed, fault_rates=rates)
    meta, faults = read_truth(folder)
    net = build_network(read_dataset(folder))
    plan = schedule(net)
    sources = default_sources(net)
    pressure = cascade(net, sources, plan=plan)
    return {"meta": meta, "faults": faults, "network": net, "pressure": pressure, "sources": sources}


def of(faults: list[dict], *kinds: str) -> list[dict]:
    return [f for f in faults if f["fault"] in kinds]


def test_every_broken_link_planted_and_found(generated):
    net, faults = generated["network"], generated["faults"]
    table = broken_links(net, generated["pressure"], sources=generated["sources"], top=5)
    found = {(s, t): (c, w) for s, t, c, w in table[["source", "target", "category", "weight"]].to_numpy()}
    planted = {(f["source"], f["target"]): (f["category"], f["weight"])
               for f in of(faults, "missing_link", "weak_link", "cut_off")}
    assert len(planted) == generated["meta"]["links"]["broken"]
    assert found.keys() == planted.keys()
    for key, (category, weight) in planted.items():
        assert found[key][0] == category, key
        assert found[key][1] == pytest.approx(weight, abs=5e-5), key


def test_vacancies_are_exactly_the_planted_ones(generated):
    table = vacancies(generated["network"])
    found = set(zip(table["org"], table["category"].astype(str)))
    planted = {(f["org"], f["category"]) for f in of(generated["faults"], "vacancy")}
    assert planted and found == planted


def expected_statuses(net, faults) -> dict[str, set[str]]:
    """Every holder's statuses as the planted faults imply them (see the module docstring)."""
    ids = net.node_ids()
    tree = net.tree
    has_child = np.zeros(len(tree), dtype=bool)
    bearing_children = tree.parent[(tree.kind != 3) & (tree.parent >= 0)]
    has_child[bearing_children] = True
    no_secretary = {f["org"] for f in of(faults, "vacancy") if f["category"] == "secretary"}
    planted_no_duty = {f"dual_duty:{f['cadre']}@{f['org']}" for f in of(faults, "no_duty")}
    cut = {f["target"] for f in of(faults, "cut_off")}
    broken = {(f["source"], f["target"]) for f in of(faults, "missing_link", "weak_link")}
    duty = net.edge_type == DUTY_LINK
    duty_src, duty_dst = ids[net.edge_src[duty]], ids[net.edge_dst[duty]]
    total: dict[str, int] = {}
    bad: dict[str, int] = {}
    for s, t in zip(duty_src, duty_dst):
        total[s] = total.get(s, 0) + 1
        bad[s] = bad.get(s, 0) + ((s, t) in broken)
    out = {}
    for node in np.flatnonzero(net.node_kind == 2):
        rid, org = ids[node], tree.ids[net.node_org[node]]
        status = set()
        if rid in planted_no_duty or not has_child[net.node_org[node]]:
            status.add("no_duty")
        if rid in cut or org in no_secretary:
            status.add("cut_off_above")
        if total.get(rid, 0) > 0 and bad[rid] == total[rid]:
            status.add("cut_off_below")
        if "cut_off_above" in status and ({"no_duty", "cut_off_below"} & status):
            status.add("isolated")
        out[rid] = status
    return out


def test_dual_duty_statuses_are_planted_or_implied(generated):
    net, faults = generated["network"], generated["faults"]
    table = holder_status(net)
    rids = "dual_duty:" + table["cadre"] + "@" + table["org"]
    found = {rid: set(status) for rid, status in zip(rids, table["status"])}
    expected = expected_statuses(net, faults)
    assert found == expected
    # every planted holder fault is there
    for f in of(faults, "no_duty"):
        assert "no_duty" in found[f["responsibility"]]
    for f in of(faults, "cut_off"):
        assert "cut_off_above" in found[f["target"]]
    # the no_duty entries beyond the planted ones are exactly the leaf holders
    leaf = sum("no_duty" in s for s in found.values()) - len(of(faults, "no_duty"))
    assert leaf == generated["meta"]["leaf_dual_duty"]


def test_drops_are_implied_by_planted_principal_links(generated):
    table = drops(generated["network"], generated["pressure"])
    broken = {(f["source"], f["target"]) for f in of(generated["faults"], "missing_link", "weak_link")}
    for org, parent in zip(table["org"], table["parent"]):
        assert (f"principal:{parent}", f"principal:{org}") in broken


def test_coordination_reflects_vacancies(generated):
    table = coordination(generated["network"], generated["pressure"]).set_index("org")
    for f in of(generated["faults"], "vacancy"):
        row = table.loc[f["org"]]
        if f["category"] in ("secretary", "members"):
            assert row["first_person"] == 0 and row["index"] == 0
            assert row["weakest"] in ("principal", "first_person")
        else:
            assert row["supervisory"] == 0 and row["index"] == 0


def test_blocked_level_is_reported(generated):
    level = generated["meta"]["blocked_level"]
    if level is None:
        pytest.skip("no level blocked at this size")
    net = generated["network"]
    profile = level_profile(net.node_level, net.node_kind, generated["pressure"])
    assert level in patterns(profile)["blockages"]

