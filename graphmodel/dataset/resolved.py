"""What checking a dataset worked out that later steps need again: its tree and its id look-ups.

Validation resolves every id column (which organization or cadre each ``posts.org_id``,
``evidence.from_id`` … names) and builds the organization tree. Building the network needs the
very same look-ups; ``Resolved`` keeps them, each tied to the Arrow data of the column it was
computed from, so that a frame changed since (a column replaced, rows filtered) is looked up
afresh rather than answered from a stale result.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from graphmodel.model.tree import OrgTree
from graphmodel.vocabulary import ORG_KINDS

__all__ = ["Resolved", "column_data"]


def column_data(values: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow data behind an Arrow-backed text column (no copy); ``None`` for other columns."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return None
    data = pa.array(values.array)
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])


def _same_data(a: pa.ChunkedArray, b: pa.ChunkedArray) -> bool:
    """Whether two chunked arrays view the very same buffers (Arrow buffers never change)."""
    if len(a) != len(b) or a.num_chunks != b.num_chunks or a.type != b.type:
        return False
    for x, y in zip(a.chunks, b.chunks):
        if x.offset != y.offset or len(x) != len(y):
            return False
        if [buf.address if buf is not None else 0 for buf in x.buffers()] != [
            buf.address if buf is not None else 0 for buf in y.buffers()
        ]:
            return False
    return True


class Resolved:
    """The tree and id look-ups found while checking a dataset's rules.

    Parameters
    ----------
    tree : the organization tree (``None`` when the organizations were not valid).
    organizations : the organizations frame the tree was built from.
    """

    def __init__(self, tree: OrgTree | None = None, organizations: pd.DataFrame | None = None) -> None:
        self._tree = tree
        self._tree_data = _tree_columns(organizations) if organizations is not None and tree is not None else None
        self._positions: dict[tuple[str, str], tuple[pa.ChunkedArray, np.ndarray]] = {}

    def add(self, file_name: str, column: str, values: pd.Series, positions: np.ndarray) -> None:
        """Keep the entity positions found for a column's values (Arrow-backed columns only)."""
        data = column_data(values)
        if data is not None and len(data) == len(positions):
            self._positions[(file_name, column)] = (data, positions)

    def positions(self, file_name: str, column: str, values: pd.Series, *, compact: bool = False) -> np.ndarray | None:
        """The kept positions of ``values`` (int64; when ``compact``, as validation made them: int32
        unless there are 2³¹ entities), if they were found for this very data."""
        kept = self._positions.get((file_name, column))
        data = column_data(values)
        if kept is None or data is None or not _same_data(kept[0], data):
            return None
        return kept[1] if compact else kept[1].astype(np.int64)

    def without(self, *file_names: str) -> Resolved:
        """A copy without the look-ups of these files' columns (this one is left as it is: a
        dataset's ``release`` must not take them from the dataset it was made from)."""
        kept = Resolved()
        kept._tree, kept._tree_data = self._tree, self._tree_data
        kept._positions = {k: v for k, v in self._positions.items() if k[0] not in file_names}
        return kept

    def tree(self, organizations: pd.DataFrame) -> OrgTree | None:
        """The kept tree, if it was built from this very organizations frame's ids, kinds and parents."""
        if self._tree is None or self._tree_data is None:
            return None
        data = _tree_columns(organizations)
        if not all(a is not None and b is not None and _same_data(a, b) for a, b in zip(self._tree_data, data)):
            return None
        kind = pd.Categorical(organizations["kind"], categories=ORG_KINDS).codes
        return self._tree if np.array_equal(kind, self._tree.kind) else None


def _tree_columns(organizations: pd.DataFrame) -> list[pa.ChunkedArray | None]:
    """The columns a tree is built from, but ``kind`` (the reader makes it categorical)."""
    return [column_data(organizations[c]) for c in ("id", "parent_id")]
