"""Tables the figure tests build outside fixtures too (module-scoped exports, baselines)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def make_levels() -> pd.DataFrame:
    """Hot top, cold bottom, and a collapse after level 1 (r_1 = 0.25 against r ≈ 0.8)."""
    mean = np.array([1.0, 0.8, 0.2, 0.16, 0.128])
    return pd.DataFrame({
        "level": np.arange(5),
        "count": [2, 12, 60, 300, 1500],
        "mean": mean,
        "median": mean - 0.02,
        "p10": mean * 0.5,
        "attenuation": np.append(mean[1:] / mean[:-1], np.nan),
        "principal_mean": mean + 0.05,
        "first_person_mean": mean,
        "dual_duty_mean": [np.nan, 0.6, 0.15, 0.1, 0.08],
        "supervisory_mean": [1.0, 0.9, 0.4, np.nan, np.nan],
    })
