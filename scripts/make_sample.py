#!/usr/bin/env python3
"""Write the bundled Shanghai sample into graphmodel/sample/ and its truth to graphmodel/sample_truth.jsonl.

    python scripts/make_sample.py            # regenerate (deterministic: SAMPLE_SEED)
    python scripts/make_sample.py --check    # exit 1 when the committed sample is stale

The sample folder holds CSV files only; its ground truth lives beside it, outside the folder.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from graphmodel.dataset.generate import SAMPLE_SEED, generate_shanghai_sample

PACKAGE = Path(__file__).resolve().parents[1] / "graphmodel"
SAMPLE = PACKAGE / "sample"
TRUTH = PACKAGE / "sample_truth.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed sample, write nothing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sample"
        truth = Path(tmp) / "sample_truth.jsonl"
        summary = generate_shanghai_sample(out, SAMPLE_SEED, truth=truth)
        new = sorted(p.name for p in out.glob("*.csv"))
        if args.check:
            old = sorted(p.name for p in SAMPLE.glob("*.csv"))
            same = old == new and all(filecmp.cmp(out / n, SAMPLE / n, shallow=False) for n in new)
            same = same and TRUTH.exists() and filecmp.cmp(truth, TRUTH, shallow=False)
            print("sample up to date" if same else "sample is stale: run scripts/make_sample.py")
            return 0 if same else 1
        SAMPLE.mkdir(exist_ok=True)
        for old_csv in SAMPLE.glob("*.csv"):
            old_csv.unlink()
        for name in new:
            shutil.copyfile(out / name, SAMPLE / name)
        shutil.copyfile(truth, TRUTH)
    size = sum(p.stat().st_size for p in SAMPLE.glob("*.csv"))
    print(f"{SAMPLE}: {size / 1e6:.2f} MB — {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
