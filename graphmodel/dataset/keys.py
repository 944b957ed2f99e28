"""Vectorized exact matching of string ids: two 64-bit words per string and an open-addressing table.

Matching millions of ids (is every ``posts.org_id`` an organization id? which ids repeat?) with
Python sets or ``pandas.Index`` costs a Python object and a dependent hash probe per value. Here
every string becomes two ``uint64`` words read straight from the Arrow buffers, and a hash table
held in numpy arrays is built and probed a whole array at a time.

Notes
-----
The two words of a string of at most 15 bytes are its bytes and its length, so matching is exact
for such ids. A longer string is represented by two independent 64-bit hashes of all its bytes
(120 bits in all): two different long strings are taken as equal with probability about 2⁻¹²⁰.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

__all__ = ["string_keys", "int_keys", "KeyTable", "PairTable"]

_U64 = np.uint64
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_LONG_TAG = _U64(0xFF00000000000000)
"""Top byte of the second word of a long string's key (a short one holds its length ≤ 15)."""
_LOW56 = _U64(0x00FFFFFFFFFFFFFF)
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
"""``_BYTE_MASKS[k]`` keeps the low ``k`` bytes of a little-endian word."""
_LENGTH_TAGS = np.array([k << 56 for k in range(16)], dtype=np.uint64)
_KEY = np.dtype("V16")
"""A key: two ``uint64`` words as one 16-byte item, so that a gather moves both at once."""


def _mix(x: np.ndarray) -> np.ndarray:
    """The 64-bit finalizer of MurmurHash3 (a bijection that spreads every bit)."""
    x = x ^ (x >> _U64(33))
    x *= _M1
    x ^= x >> _U64(33)
    x *= _M2
    x ^= x >> _U64(33)
    return x


def _chunk_keys(chunk: pa.Array, out: np.ndarray) -> None:
    """Write the key words of each string of ``chunk`` into ``out`` (rows × 2 ``uint64``)."""
    n = len(chunk)
    if n == 0:
        return
    if chunk.null_count:
        chunk = chunk.fill_null("")
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[chunk.offset : chunk.offset + n + 1]
    starts = offsets[:-1].astype(np.int64)
    lengths = np.diff(offsets).astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    # Words are read 8 bytes at a time from any byte position. The values near the end of the
    # buffer, whose words could run past it, are read from a zero-padded copy of the tail.
    safe = int(np.searchsorted(starts + lengths, len(data) - 16, side="right"))
    if safe:
        _segment_keys(data, starts[:safe], lengths[:safe], out[:safe])
    if safe < n:
        base = int(starts[safe])
        tail = np.zeros(len(data) - base + 24, dtype=np.uint8)
        tail[: len(data) - base] = data[base:]
        _segment_keys(tail, starts[safe:] - base, lengths[safe:], out[safe:])


def _segment_keys(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, out: np.ndarray) -> None:
    """Keys of strings lying in ``data`` with at least 16 bytes after the end of each."""
    words = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    longest = int(lengths.max()) if len(lengths) else 0
    if longest <= 8:  # typical ids: one word and the length
        np.bitwise_and(words[starts], _BYTE_MASKS[lengths], out=out[:, 0])
        out[:, 1] = _LENGTH_TAGS[lengths]
        return
    np.bitwise_and(words[starts], _BYTE_MASKS[np.minimum(lengths, 8)], out=out[:, 0])
    np.bitwise_and(words[starts + 8], _BYTE_MASKS[np.clip(lengths - 8, 0, 7)], out=out[:, 1])
    out[:, 1] |= _LENGTH_TAGS[np.minimum(lengths, 15)]
    if longest <= 15:
        return
    long = np.flatnonzero(lengths > 15)
    if len(long):
        out[long, 0], out[long, 1] = _long_keys(words, starts[long], lengths[long])


def _long_keys(words: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two independent 64-bit hashes of strings longer than 15 bytes."""
    h1 = _mix(lengths.astype(_U64) ^ _GOLDEN)
    h2 = _mix(lengths.astype(_U64) * _M2 + _U64(1))
    rows = np.arange(len(starts))
    word = 0
    while len(rows):
        w = words[starts[rows] + 8 * word] & _BYTE_MASKS[np.minimum(lengths[rows] - 8 * word, 8)]
        h1[rows] = _mix(h1[rows] ^ w)
        h2[rows] = _mix((h2[rows] + w) * _M1 + _GOLDEN)
        word += 1
        rows = rows[lengths[rows] > 8 * word]
    return h1, (h2 & _LOW56) | _LONG_TAG


def string_keys(values: pa.Array | pa.ChunkedArray | Sequence[pa.Array]) -> np.ndarray:
    """One 16-byte key per string (two ``uint64`` words); equal strings get equal keys.

    ``values`` may be an array, a chunked array or a list of arrays (``string`` or
    ``large_string``), taken one after the other. Nulls count as ``""``.

    Examples
    --------
    >>> keys = string_keys(pa.array(["ab", "ab", "abc", "组织一号组织一号"]))
    >>> bool(keys[0] == keys[1]), bool(keys[0] == keys[2]), keys.dtype.itemsize
    (True, False, 16)
    """
    if isinstance(values, pa.ChunkedArray):
        chunks = values.chunks
    elif isinstance(values, pa.Array):
        chunks = [values]
    else:
        chunks = [c for v in values for c in (v.chunks if isinstance(v, pa.ChunkedArray) else [v])]
    out = np.empty((sum(len(c) for c in chunks), 2), dtype=_U64)
    start = 0
    for chunk in chunks:
        _chunk_keys(chunk, out[start : start + len(chunk)])
        start += len(chunk)
    return out.view(_KEY).ravel()


def int_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One 16-byte key per pair of integers.

    Examples
    --------
    >>> keys = int_keys(np.array([1, 1, 2]), np.array([5, 5, 5]))
    >>> bool(keys[0] == keys[1]), bool(keys[0] == keys[2])
    (True, False)
    """
    out = np.empty((len(a), 2), dtype=_U64)
    out[:, 0] = np.asarray(a).astype(np.int64).view(_U64)
    out[:, 1] = np.asarray(b).astype(np.int64).view(_U64)
    return out.view(_KEY).ravel()


class KeyTable:
    """An open-addressing hash table (linear probing) over 16-byte keys, built and probed vectorized.

    Parameters
    ----------
    keys : from ``string_keys`` or ``int_keys``.

    Attributes
    ----------
    first : for each key, the position of the first key equal to it (itself when it is new).

    Examples
    --------
    >>> table = KeyTable(string_keys(pa.array(["a", "b", "a"])))
    >>> table.first.tolist()
    [0, 1, 0]
    >>> table.find(string_keys(pa.array(["b", "z", "a"]))).tolist()
    [1, -1, 0]
    """

    def __init__(self, keys: np.ndarray) -> None:
        n = len(keys)
        bits = max(4, (2 * n - 1).bit_length())
        size = 1 << bits
        self._shift = _U64(64 - bits)
        self._mask = size - 1
        row_type = np.int32 if n < 2**31 - 1 else np.int64
        free = np.iinfo(row_type).max
        rows = np.full(size, free, dtype=row_type)
        first = np.arange(n, dtype=np.int64)
        pending = np.arange(n, dtype=row_type)
        pos = self._slots(keys)
        fresh = True
        while len(pending):
            if fresh:  # the table is empty: every slot is free
                np.minimum.at(rows, pos, pending)  # a free slot goes to its smallest claimant
                fresh = False
            else:
                vacant = rows[pos] == free
                np.minimum.at(rows, pos[vacant], pending[vacant])
            occupant = rows[pos]
            lost = np.flatnonzero(occupant != pending)
            pending, pos, occupant = pending[lost], pos[lost], occupant[lost]
            same = _equal(keys[occupant], keys[pending])
            first[pending[same]] = occupant[same]
            rest = ~same
            pending, pos = pending[rest], (pos[rest] + 1) & self._mask
        rows[rows == free] = -1
        self._rows = rows
        self._keys = keys
        self.first = first

    def __len__(self) -> int:
        return len(self.first)

    def _slots(self, keys: np.ndarray) -> np.ndarray:
        words = keys.view(_U64)
        h = words[1::2] * _M2
        h ^= words[0::2]
        h ^= h >> _U64(32)
        h *= _M1
        h >>= self._shift
        return h.view(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Position of the first key equal to each query; -1 where there is none.

        Runs of equal neighbouring queries (files sorted by organization have long ones) are
        looked up once.
        """
        if len(keys) > 1:
            change = np.ones(len(keys), dtype=bool)
            change[1:] = ~_equal(keys[1:], keys[:-1])
            heads = np.flatnonzero(change)
            if len(heads) < 0.8 * len(keys):
                return self._find(keys[heads])[np.cumsum(change) - 1]
        return self._find(keys)

    def _find(self, keys: np.ndarray) -> np.ndarray:
        found = np.full(len(keys), -1, dtype=np.int64)
        if len(self.first) == 0:
            return found
        pos = self._slots(keys)
        rows: np.ndarray | None = None  # None: all the queries, in order
        while len(pos):
            row = self._rows[pos]
            taken = row >= 0
            hit = taken & _equal(self._keys[row], keys)  # row -1 reads the last key: masked
            if rows is None:
                found[hit] = row[hit]
            else:
                found[rows[hit]] = row[hit]
            more = np.flatnonzero(taken & ~hit)
            rows = more if rows is None else rows[more]
            pos, keys = (pos[more] + 1) & self._mask, keys[more]
        return found


def _equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Item-wise equality of two arrays of keys."""
    wa, wb = a.view(_U64), b.view(_U64)
    return (wa[0::2] == wb[0::2]) & (wa[1::2] == wb[1::2])


class PairTable:
    """Pairs ``(a, b)`` of non-negative integers, ``a < n``, where most ``a`` occur once.

    A dense array answers for the ``a`` that occur once; a ``KeyTable`` holds the pairs of the
    others. Cadre × organization pairs are like this: most cadres hold one post.

    Parameters
    ----------
    a, b : the pairs.
    n : a bound on ``a``.

    Attributes
    ----------
    first : for each pair, the position of the first pair equal to it.

    Examples
    --------
    >>> pairs = PairTable(np.array([0, 1, 1, 1]), np.array([5, 6, 7, 6]), 3)
    >>> pairs.first.tolist()
    [0, 1, 2, 1]
    >>> pairs.find(np.array([0, 1, 1, 2]), np.array([5, 7, 5, 5])).tolist()
    [0, 2, -1, -1]
    """

    def __init__(self, a: np.ndarray, b: np.ndarray, n: int) -> None:
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        self._count = np.bincount(a, minlength=n)
        self._row = np.full(n, -1, dtype=np.int64)
        self._row[a] = np.arange(len(a))
        self._b = np.full(n, -1, dtype=np.int64)
        self._b[a] = b
        many = np.flatnonzero(self._count[a] > 1)
        self._many_rows = many
        self._many = KeyTable(int_keys(a[many], b[many]))
        self.first = np.arange(len(a), dtype=np.int64)
        self.first[many] = many[self._many.first]

    def find(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Position of the first pair equal to each query; -1 where there is none."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        count = self._count[a]
        found = np.where((count == 1) & (self._b[a] == b), self._row[a], -1)
        many = np.flatnonzero(count > 1)
        if len(many):
            hit = self._many.find(int_keys(a[many], b[many]))
            found[many] = np.where(hit >= 0, self._many_rows[np.maximum(hit, 0)], -1)
        return found
