"""Writing findings: findings.json with the stable keys of DESIGN §6, and one CSV per table."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson
import pandas as pd

from graphmodel.results.findings import Findings
from graphmodel.results.tabular import json_records, write_csv

__all__ = ["write_findings", "TABLE_FILES", "dump_json", "replacing"]

TABLE_FILES = {
    "levels": "levels.csv",
    "responsibilities": "responsibilities.csv",
    "broken_links": "broken_links.csv",
    "drops": "drops.csv",
    "vacancies": "vacancies.csv",
    "dual_duty": "dual_duty.csv",
    "dual_duty_by_org": "dual_duty_by_org.csv",
    "dual_duty_by_level": "dual_duty_by_level.csv",
    "coordination": "coordination.csv",
    "coordination_by_level": "coordination_by_level.csv",
    "loop": "loop.csv",
    "loop_by_level": "loop_by_level.csv",
}
"""CSV file name of each table key; analyses that add tables add their names here."""


def _default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON-serializable: {type(value).__name__}")


def dump_json(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS)


def write_findings(findings: Findings, out_dir: str | Path) -> list[Path]:
    """Write findings.json and the CSVs into ``out_dir``; return the files written.

    Each file is written to a temporary name first and moved into place, so a run that fails
    leaves the earlier results whole.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    csv_jobs = [(TABLE_FILES.get(key, f"{key}.csv"), table) for key, table in findings.tables.items()]
    for key, value in findings.values.items():  # tables inside a value: <key>_<member>.csv
        for member, table in (value.items() if isinstance(value, dict) else ()):
            if isinstance(table, pd.DataFrame):
                csv_jobs.append((f"{key}_{member}.csv", table))
    # Arrow's kernels release the GIL: the JSON and the CSVs are written side by side.
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(_write_json, findings, out / "findings.json")]
        jobs += [pool.submit(_write_csv_file, table, out / name) for name, table in csv_jobs]
        return [job.result() for job in jobs]


def _write_json(findings: Findings, path: Path) -> Path:
    with replacing(path) as fh:
        fh.write(b"{")
        keys = list(findings.values) + [k for k in findings.tables if k not in findings.values]
        for i, key in enumerate(keys):
            fh.write((b",\n" if i else b"") + dump_json(key) + b": ")
            if key in findings.values:
                _write_value(findings.values[key], fh)
            else:
                json_records(findings.tables[key], fh)
        fh.write(b"}\n")
    return path


def _write_csv_file(table: pd.DataFrame, path: Path) -> Path:
    with replacing(path) as fh:
        write_csv(table, fh)
    return path


def _write_value(value: Any, out: IO[bytes]) -> None:
    """A JSON value; an object whose members include tables has them written as arrays of records."""
    if not (isinstance(value, dict) and any(isinstance(v, pd.DataFrame) for v in value.values())):
        out.write(dump_json(value))
        return
    out.write(b"{")
    for i, (member, item) in enumerate(value.items()):
        out.write((b", " if i else b"") + dump_json(member) + b": ")
        if isinstance(item, pd.DataFrame):
            json_records(item, out)
        else:
            out.write(dump_json(item))
    out.write(b"}")


class replacing:
    """Open a temporary file beside ``path``; move it over ``path`` only on success."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> IO[bytes]:
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self.tmp = Path(name)
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
