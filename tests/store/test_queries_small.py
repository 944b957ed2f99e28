"""The Cypher library on a small dataset with hostile ids and cases in discipline bodies.

The sample has no case in a discipline body, so the trace's discipline line (a case climbing
along broken supervisory → supervisory links) is checked here, on every case of a dataset
whose ids and names are strings that break naive Cypher building.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graphmodel.analysis.accountability import trace_cases
from graphmodel.dataset.reader import read_dataset
from graphmodel.model.network import build_network
from graphmodel.results.findings import analyze
from graphmodel.store.load import load_dataset
from graphmodel.store.queries import run_query
from graphmodel.store.settings import Neo4jSettings
from graphmodel.store.writeback import write_analysis
from tests.store.store_data import HOSTILE, write_full_dataset
from tests.store.same_rows import assert_same_rows

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("hostile", [False, True], ids=["plain", "hostile"])
def test_traces_and_chains_on_a_small_dataset(neo4j_clean: Neo4jSettings, tmp_path: Path, hostile: bool) -> None:
    folder = write_full_dataset(tmp_path / "data", hostile_ids=hostile)
    orgs = read_dataset(folder).organizations
    ids = dict(zip(orgs["name"].str.split("|").str[-1], orgs["id"]))
    # two more cases: in the 派驻 group (its link from the 市纪委 is weak) and in the district 纪委
    # (no evidence on the link from the 市纪委: missing), so both climb the discipline line
    with open(folder / "cases.csv", "a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["K3", ids["派驻纪检监察组"], "", "2024-04-01", ""])
        writer.writerow(["K4", ids["黄浦区纪委"], "", "", ""])
    data = read_dataset(folder)
    network = build_network(data)
    findings = analyze(network, dataset=data, as_of="2024-12-31")
    load_dataset(neo4j_clean, data, network)
    write_analysis(neo4j_clean, findings)

    traces = trace_cases(network, findings.pressure, data.cases)
    for case in data.cases["id"]:
        expected = traces.holders[traces.holders["case"] == case]
        got = run_query(neo4j_clean, "case_trace", {"case": case})
        assert_same_rows(got, expected, ["step", "role", "holder", "responsibility"],
                         ["org", "reached_by", "failed_to_pass", "implicated", "vacant"], ["pressure"])
    climbed = run_query(neo4j_clean, "case_trace", {"case": "K3"})
    assert climbed["org"].tolist() == [ids["派驻纪检监察组"], ids["市纪委"]]
    assert climbed["failed_to_pass"].tolist() == [False, True]  # the 市纪委's weak link into the group

    tree = network.tree
    for at, org in enumerate(tree.ids):
        chain = run_query(neo4j_clean, "chain_of_command", {"org": org})
        assert chain["org"].iloc[0] == org and chain["org"].iloc[-1] == tree.ids[tree.root]
        assert len(chain) == int(tree.depth[at]) + 1
    if hostile:
        assert any(h in str(i) for h in HOSTILE for i in tree.ids)
