"""Write the graph in Neo4j back out as a dataset folder (DESIGN §3) that loads and analyzes
to the same results.

The tables come from ``graphmodel.store.read.read_tables``: evidence as one row per distinct
(from_id, to_id, channel) with its summed count (dates and notes are not stored in Neo4j),
supervision always written out in full, optional files only when they hold rows.
"""

from __future__ import annotations

import os
from pathlib import Path

from graphmodel.errors import StoreError
from graphmodel.store.read import READ_BATCH, ReadProgress, read_tables
from graphmodel.store.settings import Neo4jSettings
from graphmodel.dataset.schema import FILES

__all__ = ["export_dataset"]


def export_dataset(
    settings: Neo4jSettings,
    out_dir: Path | str,
    progress: ReadProgress | None = None,
    *,
    overwrite: bool = False,
    batch_size: int = READ_BATCH,
) -> dict[str, int]:
    """Export the graph as a dataset folder.

    Parameters
    ----------
    settings : where to read.
    out_dir : the folder to write (created if needed).
    progress : called as ``progress(file, done, total)`` while reading.
    overwrite : replace dataset files already in ``out_dir`` (otherwise they make an error).
    batch_size : records fetched per round trip.

    Returns
    -------
    dict
        File name → number of rows written.

    Raises
    ------
    StoreError
        Neo4j cannot be reached, or ``out_dir`` already holds dataset files (and not
        ``overwrite``), or cannot be written.

    Examples
    --------
    A folder that already holds a dataset is refused before anything is read:

    >>> from graphmodel.dataset.sample import sample_path
    >>> export_dataset(Neo4jSettings.from_env(), sample_path())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphmodel.errors.StoreError: ... already holds organizations.csv, cadres.csv, posts.csv, ...; choose an empty folder
    """
    out = Path(out_dir)
    names = [f.name for f in FILES]
    if out.exists() and not out.is_dir():
        raise StoreError(f"cannot export to {out}: it is a file")
    taken = [n for n in names if (out / n).exists()]
    if taken and not overwrite:
        raise StoreError(f"{out} already holds {', '.join(taken)}; choose an empty folder")
    tables, present = read_tables(settings, progress, batch_size=batch_size)
    try:
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, int] = {}
        for name in names:
            target = out / name
            if name not in present:
                if target.exists():
                    target.unlink()
                continue
            partial = out / (name + ".partial")
            tables[name].to_csv(partial, index=False, encoding="utf-8", lineterminator="\n")
            os.replace(partial, target)
            written[name] = len(tables[name])
    except OSError as err:
        raise StoreError(f"cannot write the dataset to {out}: {err.strerror or err}") from err
    return written
