"""Image comparison: the level profile and the tree of a small fixed input against committed PNGs.

The baselines in ``tests/render/baseline/`` are drawn at 100 dpi with the bundled font (and
DejaVu Sans, which ships with matplotlib), so they do not depend on the fonts of the machine.
Rendering can still move by a pixel between matplotlib / FreeType releases; the tolerance (RMS
of the pixel difference, 0–255) absorbs that but not a recoloured node, a moved line or a
changed label (``test_the_comparison_notices_a_change`` proves it).

To regenerate after an intended change of a figure, look at the new images, then run::

    GRAPHMODEL_UPDATE_BASELINES=1 python3 -m pytest tests/render/test_render_baseline.py

and commit ``tests/render/baseline/*.png``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from graphmodel.render import plot_level_profile, plot_org_tree, save_figure

BASELINE = Path(__file__).parent / "baseline"
UPDATE = os.environ.get("GRAPHMODEL_UPDATE_BASELINES") == "1"
TOL = 1.0
DPI = 100


def compare(fig: Figure, name: str, tmp_path: Path) -> dict[str, object] | None:
    """Save ``fig`` as PNG and compare it with the baseline ``name``; None when within TOL."""
    (actual,) = save_figure(fig, tmp_path / name, formats=("png",), dpi=DPI)
    expected = BASELINE / f"{name}.png"
    if UPDATE:
        BASELINE.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
    assert expected.is_file(), f"no baseline {expected}: see this module's docstring to make one"
    return compare_images(str(expected), str(actual), tol=TOL, in_decorator=True)


def tree_figure(organizations: pd.DataFrame, pressure: dict[str, float], broken_links: pd.DataFrame) -> Figure:
    return plot_org_tree(organizations, pressure, broken_links)[0]


def test_level_profile_matches_its_baseline(levels: pd.DataFrame, tmp_path: Path) -> None:
    result = compare(plot_level_profile(levels)[0], "level_profile", tmp_path)
    assert result is None, f"level profile differs from its baseline (RMS {result and result['rms']}): {result}"


def test_org_tree_matches_its_baseline(organizations: pd.DataFrame, pressure: dict[str, float],
                                       broken_links: pd.DataFrame, tmp_path: Path) -> None:
    result = compare(tree_figure(organizations, pressure, broken_links), "org_tree", tmp_path)
    assert result is None, f"org tree differs from its baseline (RMS {result and result['rms']}): {result}"


@pytest.mark.skipif(UPDATE, reason="baselines are being regenerated")
def test_the_comparison_notices_a_change(organizations: pd.DataFrame, pressure: dict[str, float],
                                         broken_links: pd.DataFrame, levels: pd.DataFrame,
                                         tmp_path: Path) -> None:
    """One node recoloured, one broken link mended, one level's mean moved: each is caught."""
    expected = str(BASELINE / "org_tree.png")
    changes = {
        "recoloured": tree_figure(organizations, {**pressure, "b1": 0.95}, broken_links),
        "mended": tree_figure(organizations, pressure, broken_links.iloc[1:]),
    }
    for name, fig in changes.items():
        (actual,) = save_figure(fig, tmp_path / name, formats=("png",), dpi=DPI)
        result = compare_images(expected, str(actual), tol=TOL, in_decorator=True)
        assert result is not None, f"a {name} tree passed as unchanged"
    moved = levels.assign(mean=levels["mean"].where(levels["level"] != 3, 0.25))
    (actual,) = save_figure(plot_level_profile(moved)[0], tmp_path / "moved", formats=("png",), dpi=DPI)
    assert compare_images(str(BASELINE / "level_profile.png"), str(actual), tol=TOL, in_decorator=True) is not None
