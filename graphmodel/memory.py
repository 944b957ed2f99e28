"""Handing memory that was freed back to the system, between the big steps of an analysis.

Reading a large dataset and building its network allocate and free gigabytes in pieces of a
few megabytes. glibc's allocator keeps such freed pieces for reuse rather than returning them,
so the process would carry the high-water mark of one step into the next; Arrow's allocator
(mimalloc) does the same. ``release_freed`` asks both to return what is free (Arrow's
``release_unused``, glibc's ``malloc_trim``; the latter only where glibc is the C library).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc

__all__ = ["release_freed", "release_after", "LARGE"]

LARGE = 1_000_000
"""Rows, links or nodes from which a step's freed memory is worth handing back (each hand-back
costs a garbage collection: tens of milliseconds, too much to pay after every small step)."""


@functools.cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def release_freed() -> bool:
    """Collect unreachable cycles, then return freed heap memory to the system; whether the
    allocator could be asked.

    Examples
    --------
    >>> isinstance(release_freed(), bool)
    True
    """
    gc.collect()
    import pyarrow as pa  # Arrow's own allocator keeps freed pages for reuse too

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def release_after(size: int) -> bool:
    """``release_freed`` after a step that handled ``size`` rows, links or nodes, if that is ``LARGE``.

    Examples
    --------
    >>> release_after(10)
    False
    """
    return size >= LARGE and release_freed()
