"""Dataset.entity_positions and Dataset.org_tree: validation's look-ups reused, never stale."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from graphmodel.dataset.reader import read_dataset
from graphmodel.dataset.sample import sample_path
from graphmodel.model.tree import OrgTree

COLUMNS = [("posts.csv", "org_id"), ("posts.csv", "cadre_id"), ("duties.csv", "cadre_id"),
           ("evidence.csv", "from_id"), ("evidence.csv", "to_id"), ("problems.csv", "org_id"),
           ("indicators.csv", "org_id"), ("cases.csv", "cadre_id")]


@pytest.fixture(scope="module")
def data():
    return read_dataset(sample_path())


def expected(data, values: pd.Series) -> np.ndarray:
    entities = pd.Index(np.concatenate([data.organizations["id"].to_numpy(dtype=object),
                                        data.cadres["id"].to_numpy(dtype=object)]))
    return entities.get_indexer(values.to_numpy(dtype=object))


@pytest.mark.parametrize("file_name, column", COLUMNS)
def test_positions_name_the_entity_each_value_names(data, file_name, column):
    values = data.table(file_name)[column]
    assert data.resolved.positions(file_name, column, values) is not None  # validation's own look-up
    np.testing.assert_array_equal(data.entity_positions(file_name, column), expected(data, values))


def test_filtered_rows_are_looked_up_afresh(data):
    kept = data.evidence.iloc[::3]
    cut = dataclasses.replace(data, evidence=kept)
    assert cut.resolved.positions("evidence.csv", "to_id", kept["to_id"]) is None
    np.testing.assert_array_equal(cut.entity_positions("evidence.csv", "to_id"), expected(data, kept["to_id"]))


def test_a_replaced_column_is_looked_up_afresh(data):
    posts = data.posts.copy()
    posts["org_id"] = pd.Series(posts["org_id"].to_numpy(dtype=object)[::-1], index=posts.index, dtype=posts["org_id"].dtype)
    changed = dataclasses.replace(data, posts=posts)
    found = changed.entity_positions("posts.csv", "org_id")
    np.testing.assert_array_equal(found, expected(data, posts["org_id"]))
    assert not np.array_equal(found, data.entity_positions("posts.csv", "org_id"))


def test_unknown_and_empty_values_are_minus_one(data):
    cases = data.cases.copy()
    cases["cadre_id"] = pd.Series(["", "nobody"] + list(cases["cadre_id"].iloc[2:]), index=cases.index,
                                  dtype=cases["cadre_id"].dtype)
    found = dataclasses.replace(data, cases=cases).entity_positions("cases.csv", "cadre_id")
    assert found[:2].tolist() == [-1, -1]


def test_org_tree_is_validations_until_the_organizations_change(data):
    assert data.org_tree() is data.org_tree()
    orgs = data.organizations.copy()
    orgs["parent_id"] = orgs["parent_id"].to_numpy(dtype=object)  # same values, other data
    other = dataclasses.replace(data, organizations=orgs).org_tree()
    assert other is not data.org_tree()
    fresh = OrgTree.from_frame(data.organizations)
    np.testing.assert_array_equal(other.parent, fresh.parent)
    np.testing.assert_array_equal(data.org_tree().parent, fresh.parent)
    np.testing.assert_array_equal(data.org_tree().kind, fresh.kind)
    orgs = data.organizations.copy()
    orgs["kind"] = orgs["kind"].astype(object).where(orgs["kind"] != "branch", "leading_group")
    assert dataclasses.replace(data, organizations=orgs).org_tree() is not data.org_tree()


def test_release_empties_frames_keeps_their_rows_and_lets_the_data_go():
    import gc
    import weakref

    data = read_dataset(sample_path())
    rows = len(data.evidence)
    dtypes = data.evidence.dtypes.to_dict()
    gone = weakref.ref(data.evidence)
    light = data.release("evidence.csv")
    assert len(light.evidence) == 0 and light.rows("evidence.csv") == rows
    assert light.evidence.dtypes.to_dict() == dtypes and light.evidence.index.name == "line"
    assert light.rows("posts.csv") == len(light.posts) == len(data.posts)
    assert light.resolved.positions("evidence.csv", "from_id", data.evidence["from_id"]) is None
    del data
    gc.collect()
    assert gone() is None  # nothing else holds the rows
    assert light.release("evidence.csv").rows("evidence.csv") == rows  # released twice: still counted


def test_looking_up_entities_after_their_ids_were_released_is_refused() -> None:
    import dataclasses

    import pytest

    from graphmodel.dataset.reader import read_dataset
    from graphmodel.dataset.sample import sample_path
    from graphmodel.errors import GraphModelError

    data = read_dataset(sample_path())
    light = data.release("cadres.csv")
    assert (light.entity_positions("posts.csv", "cadre_id") == data.entity_positions("posts.csv", "cadre_id")).all()
    posts = light.posts.copy()  # not the column validation looked up: a look-up is needed
    posts["cadre_id"] = posts["cadre_id"].astype(object)
    light = dataclasses.replace(light, posts=posts)
    with pytest.raises(GraphModelError, match="cadres.csv"):
        light.entity_positions("posts.csv", "cadre_id")
