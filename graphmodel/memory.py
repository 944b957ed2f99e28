"""Handing memory that was freed back to the system, between the big steps of an analysis.

Reading a large dataset and building its network allocate and free gigabytes in pieces of a
few megabytes. glibc's allocator keeps such freed pieces for reuse rather than returning them,
so the process would carry the high-water mark of one step into the next. ``release_freed``
asks it to return what is free (``malloc_trim``); elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc

__all__ = ["release_freed"]


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
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
