"""Small fixed tables with the DESIGN §6 columns for the figure tests.

The organization tree (ids sort the same way as the layout orders siblings)::

    r 市委 (level 0) ── jw 市纪委 (discipline)
    ├── a 甲区委 (1) ── jwa 甲区纪委 (discipline)
    │   ├── a1 甲一街道党工委 (2)
    │   │   └── a1x 甲一居民区党支部 (3)
    │   └── a2 甲二街道党工委 (2)
    ├── b 乙区委 (1)
    │   ├── b1 乙一街道党工委 (2)
    │   └── b2 乙二街道党工委 (2)
    └── g 市发改委党组 (1)
"""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from render_tables import make_levels

ORGS = [
    ("r", "市委", "committee", ""),
    ("jw", "市纪委", "discipline", "r"),
    ("a", "甲区委", "committee", "r"),
    ("jwa", "甲区纪委", "discipline", "a"),
    ("a1", "甲一街道党工委", "committee", "a"),
    ("a1x", "甲一居民区党支部", "branch", "a1"),
    ("a2", "甲二街道党工委", "committee", "a"),
    ("b", "乙区委", "committee", "r"),
    ("b1", "乙一街道党工委", "committee", "b"),
    ("b2", "乙二街道党工委", "committee", "b"),
    ("g", "市发改委党组", "leading_group", "r"),
]

PRESSURE = {"r": 1.0, "a": 0.9, "a1": 0.5, "a1x": 0.1, "a2": 0.2, "b": 0.75, "b1": 0.3, "b2": 0.0, "g": 0.85}


@pytest.fixture
def organizations() -> pd.DataFrame:
    return pd.DataFrame(ORGS, columns=["id", "name", "kind", "parent_id"])


@pytest.fixture
def pressure() -> dict[str, float]:
    return dict(PRESSURE)


@pytest.fixture
def responsibilities() -> pd.DataFrame:
    rows = [(f"principal:{org}", "principal", org, org, 0, p) for org, p in PRESSURE.items()]
    rows += [
        ("first_person:a", "first_person", "c_sec", "a", 1, 0.88),
        ("dual_duty:c1@a", "dual_duty", "c1", "a", 1, 0.6),
        ("dual_duty:c2@a", "dual_duty", "c2", "a", 1, 0.0),
        ("supervisory:jw", "supervisory", "jw", "jw", 0, 1.0),
        ("supervisory:jwa", "supervisory", "jwa", "jwa", 1, 0.7),
        ("first_person:r", "first_person", "c_top", "r", 0, 1.0),
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "holder", "org", "level", "pressure"])


@pytest.fixture
def links() -> pd.DataFrame:
    rows = [
        ("principal:r", "principal:a", 0.9, False),
        ("first_person:r", "first_person:a", 0.55, False),
        ("supervisory:jw", "supervisory:jwa", 0.7, False),
        ("principal:a", "first_person:a", 1.0, True),
        ("first_person:a", "dual_duty:c1@a", 0.7, False),
        ("first_person:a", "dual_duty:c2@a", 0.0, False),
        ("principal:a", "principal:a1", 0.55, False),
        ("principal:a", "principal:a2", 0.2, False),
        ("dual_duty:c1@a", "principal:a1x", 0.33, False),
        ("supervisory:jwa", "principal:a", 0.8, False),
    ]
    return pd.DataFrame(rows, columns=["source", "target", "weight", "structural"])


@pytest.fixture
def broken_links() -> pd.DataFrame:
    """Parent–child links (missing and weak), a duty link that skips a level, one inside ``a``."""
    rows = [
        ("principal:b", "principal:b2", "missing", 0.0, 1.7),
        ("principal:a", "principal:a2", "weak", 0.2, 0.9),
        ("dual_duty:c1@a", "principal:a1x", "weak", 0.33, 0.4),
        ("first_person:a", "dual_duty:c2@a", "missing", 0.0, 0.6),
    ]
    return pd.DataFrame(rows, columns=["source", "target", "category", "weight", "impact"])


@pytest.fixture
def levels() -> pd.DataFrame:
    return make_levels()


@pytest.fixture
def coordination() -> pd.DataFrame:
    return pd.DataFrame({
        "org": ["r", "a", "b", "a1", "b1", "b2"],
        "principal": [1.0, 0.8, 0.6, 0.5, 0.3, 0.2],
        "first_person": [1.0, 0.6, 0.5, 0.0, 0.2, 0.1],
        "dual_duty": [0.9, 0.5, 0.4, 0.3, 0.0, 0.1],
        "supervisory": [1.0, 0.7, 0.2, 0.4, 0.1, 0.0],
        "index": [0.97, 0.64, 0.38, 0.0, 0.0, 0.0],
        "weakest": ["dual_duty", "dual_duty", "supervisory", "first_person", "dual_duty", "supervisory"],
        "level": [0, 1, 1, 2, 2, 2],
    })


@pytest.fixture
def ecology_index() -> pd.DataFrame:
    return pd.DataFrame({
        "org": ["r", "a", "b", "g", "a1", "a2", "b1"],
        "level": [0, 1, 1, 1, 2, 2, 2],
        "kind": ["committee", "committee", "committee", "leading_group", "committee", "committee", "committee"],
        "region": ["全市", "甲区", "乙区", "全市", "甲区", "甲区", "乙区"],
        "index": [88.0, 75.0, 61.0, 80.0, 42.0, 55.0, 30.0],
    })


@pytest.fixture
def ecology_outliers() -> pd.DataFrame:
    return pd.DataFrame({
        "org": ["b1", "a1", "g"],
        "index": [30.0, 42.0, 96.0],
        "reason": ["指数偏低", "信访举报数异常", "指数偏高"],
    })


@pytest.fixture(autouse=True)
def no_global_state() -> Iterator[None]:
    """Figures must leave the caller's rcParams and pyplot's figure list as they were."""
    before = dict(matplotlib.rcParams)
    figures = plt.get_fignums()
    yield
    after = dict(matplotlib.rcParams)
    changed = sorted(k for k in before if before[k] != after[k])
    assert not changed, f"rcParams changed: {changed}"
    assert plt.get_fignums() == figures, "a figure was left registered with pyplot"
