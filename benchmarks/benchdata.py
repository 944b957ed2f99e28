"""The generated datasets the benchmarks share: made once into benchmarks/out/, then reused."""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def dataset_for(orgs: int, seed: int = 1) -> Path:
    """The folder of a generated dataset of ``orgs`` organizations (generated when missing)."""
    from graphmodel.dataset.generate import generate_dataset

    folder = OUT / f"gen-{orgs}-s{seed}"
    if not (folder / "organizations.csv").exists():
        generate_dataset(folder, orgs, seed)
    return folder
