"""release_freed hands freed heap memory back to the system."""

from __future__ import annotations

import platform
from pathlib import Path

import numpy as np
import pytest

from graphmodel.memory import release_freed


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_freed_small_blocks_go_back_to_the_system():
    keep, blocks = [], []
    for i in range(4000):  # 4000 × 64 KiB, each below the allocator's mmap threshold: heap memory
        block = np.ones(8192, dtype=np.float64)
        (keep if i % 400 == 399 else blocks).append(block)  # a few survivors pin the heap
    held = _rss_bytes()
    del blocks
    assert release_freed() is True
    assert held - _rss_bytes() > 150 * 2**20  # most of the ≈250 MiB freed is returned
    assert all(float(b.sum()) == 8192 for b in keep)
