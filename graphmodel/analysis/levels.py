"""The level profile of pressure and the two patterns it shows: cooling (上热中温下冷) and blockage (中梗阻)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from graphmodel.analysis.parameters import Parameters
from graphmodel.vocabulary import RESPONSIBILITY_KINDS

__all__ = ["level_profile", "patterns"]


def _summary(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=True)["pressure"]
    out = grouped.agg(["count", "mean", "median"])
    out["p10"] = grouped.quantile(0.1)
    return out.reset_index()


def level_profile(levels: np.ndarray, kinds: np.ndarray, pressure: np.ndarray) -> pd.DataFrame:
    """Count, mean, median and 10th percentile of pressure per level, with attenuation.

    Parameters
    ----------
    levels, kinds, pressure : per responsibility node: its level, its kind code
        (``RESPONSIBILITY_KINDS`` order) and its pressure.

    Returns
    -------
    pandas.DataFrame
        One row per level: ``level, count, mean, median, p10, attenuation`` (``r_k = mean(k+1) /
        mean(k)``, NaN on the deepest level and where ``mean(k)`` is 0) and, per kind,
        ``<kind>_count``, ``<kind>_mean``, ``<kind>_median``, ``<kind>_p10``.

    Examples
    --------
    >>> profile = level_profile(np.array([0, 1, 1]), np.array([0, 0, 1]), np.array([1.0, 0.5, 0.3]))
    >>> profile[["level", "count", "mean", "attenuation"]].round(2).values.tolist()
    [[0.0, 1.0, 1.0, 0.4], [1.0, 2.0, 0.4, nan]]
    """
    frame = pd.DataFrame({"level": levels, "kind": kinds, "pressure": pressure})
    out = _summary(frame, ["level"])
    means = out["mean"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.append(means[1:] / means[:-1], np.nan)
    ratio[~np.isfinite(ratio)] = np.nan
    out["attenuation"] = ratio
    by_kind = _summary(frame, ["level", "kind"])
    for code, name in enumerate(RESPONSIBILITY_KINDS):
        part = by_kind[by_kind["kind"] == code].set_index("level")
        for stat in ("count", "mean", "median", "p10"):
            column = part[stat].reindex(out["level"])
            out[f"{name}_{stat}"] = column.fillna(0).to_numpy() if stat == "count" else column.to_numpy()
    out["count"] = out["count"].astype(np.int64)
    for name in RESPONSIBILITY_KINDS:
        out[f"{name}_count"] = out[f"{name}_count"].astype(np.int64)
    return out


def patterns(profile: pd.DataFrame, parameters: Parameters | None = None) -> dict[str, Any]:
    """Cooling (上热中温下冷) and blockages (中梗阻) read off a level profile.

    ``cooling`` is true when level 0's mean is at least θ_hot and the deepest level's mean is
    below θ_cold. ``blockages`` lists each level k, neither 0 nor the deepest, whose
    attenuation r_k is below ``blockage_factor`` × the median r of the other levels.

    Examples
    --------
    >>> profile = pd.DataFrame({"level": [0, 1, 2, 3], "mean": [0.9, 0.8, 0.1, 0.09],
    ...     "attenuation": [0.89, 0.125, 0.9, np.nan]})
    >>> result = patterns(profile)
    >>> result["cooling"], result["blockages"]
    (True, [1])
    """
    params = parameters or Parameters()
    levels = profile["level"].to_numpy()
    means = profile["mean"].to_numpy()
    ratios = profile["attenuation"].to_numpy()
    result: dict[str, Any] = {"cooling": False, "blockages": [], "detail": {}}
    if len(levels) == 0:
        return result
    top, bottom = float(means[0]), float(means[-1])
    result["cooling"] = bool(len(levels) > 1 and top >= params.theta_hot and bottom < params.theta_cold)
    detail: dict[str, Any] = {
        "top_level": int(levels[0]),
        "top_mean": top,
        "deepest_level": int(levels[-1]),
        "deepest_mean": bottom,
        "theta_hot": params.theta_hot,
        "theta_cold": params.theta_cold,
        "levels": [],
    }
    for i in range(1, len(levels) - 1):
        r = ratios[i]
        others = np.delete(ratios, i)
        others = others[np.isfinite(others)]
        if not np.isfinite(r) or len(others) == 0:
            continue
        threshold = params.blockage_factor * float(np.median(others))
        blocked = bool(r < threshold)
        detail["levels"].append({"level": int(levels[i]), "attenuation": float(r), "threshold": threshold, "blocked": blocked})
        if blocked:
            result["blockages"].append(int(levels[i]))
    result["detail"] = detail
    return result
