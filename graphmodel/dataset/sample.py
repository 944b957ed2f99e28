"""Where the bundled Shanghai sample dataset lives."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["sample_path"]


def sample_path() -> Path:
    """The folder of the sample dataset that ships with the package.

    Examples
    --------
    >>> (sample_path() / "organizations.csv").is_file()
    True
    """
    return Path(str(files("graphmodel") / "sample"))
