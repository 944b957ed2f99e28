"""A network's ids as Arrow text, converted from Python strings once per analysis.

The ``responsibilities`` table has a text column per node (id, holder, organization): millions of
strings at scale. ``IdText`` builds them with Arrow kernels (``take`` and
``binary_join_element_wise``) and hands them to pandas as its Arrow-backed ``str`` columns, so no
Python string is made per node; the analyses that need a few ids as Python strings (the repair
list, the traces) take them from the same text by node position.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.dataset.csvfile import STRING
from graphmodel.dataset.validate import arrow_strings
from graphmodel.model.network import Network, node_id_text

__all__ = ["IdText", "text_column", "taken_text", "text_codes", "positions_in", "STR"]

STR = STRING
"""pandas' Arrow-backed ``str`` dtype: the reader's text dtype (``graphmodel.dataset.csvfile.STRING``)."""


def text_column(values: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Arrow text as a pandas ``str`` column, without copying the strings.

    Examples
    --------
    >>> column = text_column(pa.array(["a", "中"]))
    >>> column.tolist(), str(column.dtype)
    (['a', '中'], 'str')
    """
    return pd.Series(pd.array(values.cast(pa.large_string()), dtype=STR), copy=False)


def taken_text(text: pa.Array, positions: np.ndarray) -> pd.Series:
    """The Arrow text at ``positions`` as a ``str`` column (no Python string per row).

    Examples
    --------
    >>> taken_text(pa.array(["a", "b", "c"]), np.array([2, 0])).tolist()
    ['c', 'a']
    """
    return text_column(text.take(pa.array(positions, type=pa.int64())))


def text_codes(values: pd.Series | pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Per row, the code of its value among the column's distinct values (-1 for a null; Arrow's
    int32 codes), and those values in order of first appearance: one pass of Arrow's hashing, no
    Python strings.

    Examples
    --------
    >>> codes, values = text_codes(pd.Series(["b", "a", "b", "中"], dtype="str"))
    >>> codes.tolist(), values.to_pylist()
    ([0, 1, 0, 2], ['b', 'a', '中'])
    """
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else arrow_strings(values)
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr], type=arr.type)
    if len(arr) == 0:
        return np.zeros(0, dtype=np.int64), pa.array([], type=arr.type)
    encoded = arr.dictionary_encode().unify_dictionaries()
    codes = [(pc.fill_null(chunk.indices, -1) if chunk.null_count else chunk.indices).to_numpy(zero_copy_only=False)
             for chunk in encoded.chunks]
    return codes[0] if len(codes) == 1 else np.concatenate(codes), encoded.chunk(0).dictionary


def positions_in(values: pd.Series | pa.Array | pa.ChunkedArray, ids: np.ndarray | pa.Array) -> np.ndarray:
    """The position of each value among ``ids`` (distinct; -1 where absent or null).

    Arrow builds a hash table on the values' distinct ids only and probes it with ``ids``:
    building costs far more than probing, and a column names far fewer organizations than a
    large tree holds (a pandas ``Index`` look-up would hash every id of the tree first).

    Examples
    --------
    >>> positions_in(pd.Series(["b", "中", "b", "x"]), np.array(["a", "b", "中"], dtype=object)).tolist()
    [1, 2, 1, -1]
    """
    codes, distinct = text_codes(values)
    if isinstance(ids, np.ndarray):
        ids = pa.array(np.asarray(ids, dtype=object), type=pa.large_string())
    found = pc.index_in(ids, value_set=distinct.cast(ids.type))
    found = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    position = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last entry: a null (code -1)
    hit = np.flatnonzero(found >= 0)
    position[found[hit]] = hit
    return position[codes]


class IdText:
    """The ids of a network's organizations, entities and nodes as Arrow text (large_string).

    Indexing with node positions gives their ids as an object array of Python strings, like
    ``Network.node_ids``.

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> text = IdText(chain_network([0.5, 0.4]))
    >>> text.nodes.to_pylist(), text[np.array([2, 0])].tolist()
    (['principal:o0', 'principal:o1', 'principal:o2'], ['principal:o2', 'principal:o0'])
    """

    def __init__(self, network: Network) -> None:
        self.network = network

    @cached_property
    def orgs(self) -> pa.Array:
        """Organization ids, in tree order."""
        return pa.array(np.asarray(self.network.tree.ids, dtype=object), type=pa.large_string())

    @cached_property
    def entities(self) -> pa.Array:
        """Entity ids, by entity code: the organizations, then the cadres."""
        ids = self.network.cadre_ids
        if isinstance(ids, np.ndarray):
            cadres: pa.Array | pa.ChunkedArray = pa.array(np.asarray(ids, dtype=object), type=pa.large_string())
        else:  # the cadres frame's own Arrow text (see ``Network.cadre_ids``)
            cadres = pa.array(ids, type=pa.large_string())
        if isinstance(cadres, pa.ChunkedArray):
            cadres = cadres.combine_chunks()
        return pa.concat_arrays([self.orgs, cadres])

    @cached_property
    def node_orgs(self) -> pa.Array:
        """Each node's organization id."""
        return self.orgs.take(pa.array(self.network.node_org, type=pa.int64()))

    @cached_property
    def node_holders(self) -> pa.Array:
        """Each node's holder id (an organization or a cadre)."""
        return self.entities.take(pa.array(self.network.node_holder, type=pa.int64()))

    @cached_property
    def nodes(self) -> pa.Array:
        """Each node's DESIGN §4 id."""
        return node_id_text(self.network.node_kind, self.node_orgs, self.node_holders)

    def __getitem__(self, positions: np.ndarray) -> np.ndarray:
        """The ids of the nodes at ``positions`` as an object array of Python strings."""
        positions = np.asarray(positions, dtype=np.int64)
        taken = self.nodes.take(pa.array(positions, type=pa.int64()))
        return np.asarray(taken.to_numpy(zero_copy_only=False), dtype=object)
