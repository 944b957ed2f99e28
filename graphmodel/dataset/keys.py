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

import numpy as np
import pyarrow as pa

__all__ = ["string_keys", "KeyTable"]

_U64 = np.uint64
_M1 = _U64(0xFF51AFD7ED558CCD)
_M2 = _U64(0xC4CEB9FE1A85EC53)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_EMPTY = _U64(0xFFFFFFFFFFFFFFFF)
"""Second word of a free slot; no key has it (short keys hold their length ≤ 15 in the top
byte, long ones 0xFE)."""
_LONG_TAG = _U64(0xFE00000000000000)
_LOW56 = _U64(0x00FFFFFFFFFFFFFF)
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
"""``_BYTE_MASKS[k]`` keeps the low ``k`` bytes of a little-endian word."""
_LENGTH_TAGS = np.array([k << 56 for k in range(16)], dtype=np.uint64)


def _mix(x: np.ndarray) -> np.ndarray:
    """The 64-bit finalizer of MurmurHash3 (a bijection that spreads every bit)."""
    x = x ^ (x >> _U64(33))
    x *= _M1
    x ^= x >> _U64(33)
    x *= _M2
    x ^= x >> _U64(33)
    return x


def _chunk_keys(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    n = len(chunk)
    if n == 0:
        return np.zeros(0, _U64), np.zeros(0, _U64)
    if chunk.null_count:
        chunk = chunk.fill_null("")
    offset_type = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[chunk.offset : chunk.offset + n + 1]
    base, end = int(offsets[0]), int(offsets[-1])
    size = end - base
    padded = np.zeros(size + 24, dtype=np.uint8)
    if size:
        padded[:size] = np.frombuffer(buffers[2], dtype=np.uint8)[base:end]
    words = np.ndarray((size + 17,), dtype="<u8", buffer=padded, strides=(1,))
    starts = offsets[:-1].astype(np.int64) - base
    lengths = np.diff(offsets).astype(np.int64)
    k1 = words[starts] & _BYTE_MASKS[np.minimum(lengths, 8)]
    k2 = words[starts + 8] & _BYTE_MASKS[np.clip(lengths - 8, 0, 7)]
    k2 |= _LENGTH_TAGS[np.minimum(lengths, 15)]
    long = np.flatnonzero(lengths > 15)
    if len(long):
        k1[long], k2[long] = _long_keys(words, starts[long], lengths[long])
    return k1, k2


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


def string_keys(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Two ``uint64`` words per string; equal strings get equal words (nulls count as "").

    Examples
    --------
    >>> k1, k2 = string_keys(pa.array(["ab", "ab", "abc", "组织一号组织一号"]))
    >>> bool(k1[0] == k1[1] and k2[0] == k2[1]), bool(k1[0] == k1[2] and k2[0] == k2[2])
    (True, False)
    """
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    parts = [_chunk_keys(c) for c in chunks]
    if not parts:
        return np.zeros(0, _U64), np.zeros(0, _U64)
    if len(parts) == 1:
        return parts[0]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


class KeyTable:
    """An open-addressing hash table (linear probing) over key pairs, built and probed vectorized.

    Parameters
    ----------
    k1, k2 : the keys, two ``uint64`` words each (see ``string_keys``; any pair of
        non-negative integers other than ``k2 == 2⁶⁴−1`` works too).

    Attributes
    ----------
    first : for each key, the position of the first key equal to it (itself when it is new).

    Examples
    --------
    >>> table = KeyTable(*string_keys(pa.array(["a", "b", "a"])))
    >>> table.first.tolist()
    [0, 1, 0]
    >>> table.find(*string_keys(pa.array(["b", "z", "a"]))).tolist()
    [1, -1, 0]
    """

    def __init__(self, k1: np.ndarray, k2: np.ndarray) -> None:
        k1 = np.asarray(k1, dtype=_U64)
        k2 = np.asarray(k2, dtype=_U64)
        n = len(k1)
        bits = max(4, (2 * n - 1).bit_length())
        self._shift = _U64(64 - bits)
        self._mask = (1 << bits) - 1
        free = np.iinfo(np.int64).max
        size = 1 << bits
        rows = np.full(size, free, dtype=np.int64)
        self._k1 = np.zeros(size, dtype=_U64)
        self._k2 = np.full(size, _EMPTY, dtype=_U64)
        first = np.empty(n, dtype=np.int64)
        pending = np.arange(n, dtype=np.int64)
        pos = self._slots(k1, k2)
        p1, p2 = k1, k2
        while len(pending):
            vacant = rows[pos] == free
            np.minimum.at(rows, pos[vacant], pending[vacant])  # a free slot goes to its smallest claimant
            won = rows[pos] == pending
            self._k1[pos[won]], self._k2[pos[won]] = p1[won], p2[won]
            same = (self._k1[pos] == p1) & (self._k2[pos] == p2)
            first[pending[same]] = rows[pos[same]]
            rest = ~same
            pending, pos, p1, p2 = pending[rest], (pos[rest] + 1) & self._mask, p1[rest], p2[rest]
        rows[rows == free] = -1
        self._rows = rows
        self.first = first

    def __len__(self) -> int:
        return len(self.first)

    def _slots(self, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        h = k2 * _M2
        h ^= k1
        h ^= h >> _U64(32)
        h *= _M1
        h ^= h >> _U64(29)
        h *= _GOLDEN
        h >>= self._shift
        return h.view(np.int64)

    def find(self, k1: np.ndarray, k2: np.ndarray) -> np.ndarray:
        """Position of the first key equal to each query; -1 where there is none."""
        k1 = np.asarray(k1, dtype=_U64)
        k2 = np.asarray(k2, dtype=_U64)
        found = np.full(len(k1), -1, dtype=np.int64)
        rows = np.arange(len(k1), dtype=np.int64)
        pos = self._slots(k1, k2)
        while len(rows):
            g2 = self._k2[pos]
            hit = (g2 == k2) & (self._k1[pos] == k1)
            found[rows[hit]] = self._rows[pos[hit]]
            more = ~hit & (g2 != _EMPTY)
            rows, pos, k1, k2 = rows[more], (pos[more] + 1) & self._mask, k1[more], k2[more]
        return found
