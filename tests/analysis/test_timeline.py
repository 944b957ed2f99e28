"""One year of a dataset: evidence and cases by the year of their date, indicators by their year."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.analysis.timeline import check_year, dataset_years, for_year, undated_rows
from graphmodel.errors import GraphModelError
from graphmodel.model.network import build_network
from tests.builders import load

ORGS = [("R", "市委", "committee", ""), ("A", "区委", "committee", "R")]
POSTS = [("sR", "R", "secretary"), ("sA", "A", "secretary")]


@pytest.fixture
def data(tmp_path: Path):
    return load(
        tmp_path / "ds", organizations=ORGS, posts=POSTS,
        evidence=[("R", "A", "talk", 1, "2023-04-01"), ("R", "A", "meeting", 1, "2024-04-01"),
                  ("sR", "sA", "talk", 1, "2024-12-31"), ("sR", "sA", "report", 1, "")],
        cases=[("K1", "A", "sA", "2023-06-01", ""), ("K2", "A", "", "", "")],
        indicators=[("A", "score", "80", "2023", "+"), ("A", "score", "70", "2024", "+"), ("R", "score", "90", "", "+")],
    )


def test_years_and_undated_rows(data) -> None:
    assert dataset_years(data) == [2023, 2024]
    assert undated_rows(data) == {"evidence": 1, "cases": 1, "indicators": 1}
    check_year(data, 2024)
    with pytest.raises(GraphModelError, match="nothing in the dataset is dated 2025 \\(years present: 2023, 2024\\)"):
        check_year(data, 2025)


def test_a_year_keeps_its_own_rows_and_the_structure(data) -> None:
    one = for_year(data, 2023)
    assert one.evidence["channel"].tolist() == ["talk"] and list(one.evidence.index) == [2]
    assert one.cases["id"].tolist() == ["K1"]
    assert one.indicators["value"].tolist() == [80.0]
    assert one.posts is data.posts and one.organizations is data.organizations
    assert len(data.evidence) == 4  # the dataset itself is untouched


def test_each_year_weighs_links_with_its_own_evidence(data) -> None:
    def weights(dataset) -> dict[tuple[str, str], float]:
        net = build_network(dataset)
        ids = net.node_ids()
        return {(ids[s], ids[t]): round(float(w), 4) for s, t, w in zip(net.edge_src, net.edge_dst, net.edge_weight)}

    all_years, y2023, y2024 = weights(data), weights(for_year(data, 2023)), weights(for_year(data, 2024))
    link = ("principal:R", "principal:A")
    assert (y2023[link], y2024[link], all_years[link]) == (0.5507, 0.3297, 0.6988)  # talk; meeting; both
    secretaries = ("first_person:R", "first_person:A")
    assert (y2023[secretaries], y2024[secretaries]) == (0.0, 0.5507)  # the undated report counts in no year
    assert all_years[secretaries] == 0.7275  # 1 − exp(−(0.8 + 0.5)): talk and the undated report


def test_year_weights_reuse_the_networks_matching():
    import dataclasses

    import numpy as np

    from graphmodel.analysis.timeline import year_weights
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.dataset.sample import sample_path
    from graphmodel.model.network import build_network

    data = read_dataset(sample_path())
    network = build_network(data)
    assert network.evidence_pair is not None and len(network.evidence_pair) == len(data.evidence)
    unmatched = dataclasses.replace(network, evidence_pair=None, link_pair=None)
    reused, matched = year_weights(network, data, [2023, 2024]), year_weights(unmatched, data, [2023, 2024])
    for year in (2023, 2024):
        assert np.array_equal(reused[year], matched[year])
    assert not np.array_equal(reused[2023], reused[2024])
