"""DirectFile: files written past the page cache hold exactly the bytes written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.results import diskfile
from graphmodel.results.diskfile import BLOCK, DirectFile, open_for_writing


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(st.binary(max_size=3 * BLOCK), max_size=12), size=st.sampled_from([BLOCK, 2 * BLOCK]))
def test_the_file_holds_what_was_written(tmp_path_factory: pytest.TempPathFactory, pieces: list[bytes], size: int):
    path = tmp_path_factory.mktemp("direct") / "out.bin"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    out = open_for_writing(path, fd)
    if isinstance(out, DirectFile):  # a small buffer: many pieces straddle its end
        out.close()
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_DIRECT", 0))
        out = DirectFile(fd, size)
    with out:
        counts = [out.write(memoryview(piece)) for piece in pieces]
    assert counts == [len(p) for p in pieces]
    assert path.read_bytes() == b"".join(pieces)


def test_the_disk_is_written_directly_where_the_file_system_allows(tmp_path: Path):
    if not hasattr(os, "O_DIRECT"):
        pytest.skip("no O_DIRECT on this system")
    with open_for_writing(tmp_path / "out.bin") as out:
        import fcntl

        direct = bool(fcntl.fcntl(out.fileno(), fcntl.F_GETFL) & os.O_DIRECT)
        out.write(b"x" * (BLOCK + 1))
    assert isinstance(out, DirectFile) == direct
    assert (tmp_path / "out.bin").read_bytes() == b"x" * (BLOCK + 1)


def test_a_file_system_that_refuses_direct_writes_gets_a_buffered_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import fcntl

    def refuse(fd: int, cmd: int, arg: int = 0) -> int:
        if cmd == fcntl.F_SETFL:
            raise OSError(22, "Invalid argument")
        return real(fd, cmd, arg)

    real = fcntl.fcntl
    monkeypatch.setattr(fcntl, "fcntl", refuse)
    with open_for_writing(tmp_path / "out.txt") as out:
        out.write(b"plain")
    assert not isinstance(out, DirectFile)
    assert (tmp_path / "out.txt").read_bytes() == b"plain"


def test_a_buffer_that_is_not_whole_blocks_is_refused(tmp_path: Path):
    fd = os.open(tmp_path / "x", os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(ValueError, match="multiple"):
            DirectFile(fd, BLOCK + 1)
    finally:
        os.close(fd)


def test_writing_after_close_is_refused(tmp_path: Path):
    out = open_for_writing(tmp_path / "x")
    out.close()
    with pytest.raises(ValueError):
        out.write(b"late")
    assert diskfile.BUFFER % BLOCK == 0
