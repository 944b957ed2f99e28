"""The CSV reader: the fast (pyarrow) and slow (csv module) paths agree on frames, lines and problems."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.dataset import csvfile
from graphmodel.dataset.csvfile import read_csv_text

MESSY = {
    "bom and blank line": '\ufeffid,name\nc1,"Li, ""Lao"" Si"\n\nc2,"两\n行"\n'.encode(),
    "crlf with breaks in values": 'id,name\r\nc1,"a\r\nb"\r\nc2,x\r\n\r\n\r\n'.encode(),
    "bad bytes": b'id,name\nc1,ok\nc2,"x\ny\xff"\nc3,\xfe\n',
    "wrong field counts": b'id,name\nc1,ok,extra\nc2\nc3,fine\n',
    "wrong field counts after breaks": b'id,name\nc1,"o\nk",extra\nc2\nc3,"fi\nne"\nc4,x\n',
    "blank line and a row of empty values": b"id,name\na,b\n\n,\nc,d\n",
    "same with crlf": b"id,name\r\na,b\r\n\r\n,\r\nc,d\r\n",
    "lone carriage returns": b"id,name\ra,b\rc,d\r",
    "lone carriage return inside a value": b'id,name\na,"x\ry"\nb,c\n',
    "bad bytes and wrong counts": b'id,name\na,\xff\nb\nc,"\xfe\nz"\n',
    "only a blank line and a short row": b'id,name\n\n"x"\n',
    "bad bytes after breaks in earlier fields": b'id,name,note\na,"x\ny","\xff"\nb,"\r",\xfe\n',
}

EXPECTED = {  # (lines of the rows, problems as file:line: column: …)
    "bom and blank line": ([2, 4], []),
    "crlf with breaks in values": ([2, 4], []),
    "bad bytes": ([2, 3, 5], ["f.csv:4: name: bytes that are not UTF-8 (0xff)", "f.csv:5: name: bytes that are not UTF-8 (0xfe)"]),
    "wrong field counts": ([4], ["f.csv:2: -: the row has 3 fields but the header has 2",
                                 "f.csv:3: -: the row has 1 field but the header has 2"]),
    "wrong field counts after breaks": ([5, 7], ["f.csv:2: -: the row has 3 fields but the header has 2",
                                                 "f.csv:4: -: the row has 1 field but the header has 2"]),
    "blank line and a row of empty values": ([2, 4, 5], []),
    "same with crlf": ([2, 4, 5], []),
    "lone carriage returns": ([2, 3], []),
    "lone carriage return inside a value": ([2, 4], []),
    "bad bytes and wrong counts": ([2, 4], ["f.csv:2: name: bytes that are not UTF-8 (0xff)",
                                            "f.csv:3: -: the row has 1 field but the header has 2",
                                            "f.csv:4: name: bytes that are not UTF-8 (0xfe)"]),
    "only a blank line and a short row": ([], ["f.csv:3: -: the row has 1 field but the header has 2"]),
    "bad bytes after breaks in earlier fields": ([2, 4], ["f.csv:3: note: bytes that are not UTF-8 (0xff)",
                                                          "f.csv:5: note: bytes that are not UTF-8 (0xfe)"]),
}


def _slow(*args: object) -> None:
    raise csvfile._SlowPath


@pytest.mark.parametrize("case", sorted(MESSY))
def test_fast_and_slow_paths_agree(tmp_path, monkeypatch, case):
    path = tmp_path / "f.csv"
    path.write_bytes(MESSY[case])
    fast, fast_problems = read_csv_text(path)
    lines, problems = EXPECTED[case]
    assert fast.index.tolist() == lines
    assert sorted(str(p) for p in fast_problems) == problems
    monkeypatch.setattr(csvfile, "_read_fast", _slow)
    slow, slow_problems = read_csv_text(path)
    assert fast.equals(slow) and fast.index.equals(slow.index)
    assert sorted(fast_problems) == sorted(slow_problems)


def test_a_value_with_bad_bytes_keeps_the_rest_with_a_replacement_character(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"id,name\nc1,\xe5\xbc\xa0\xff\xe4\xb8\x89\n")
    frame, problems = read_csv_text(path)
    assert frame["name"].tolist() == ["张\ufffd三"]
    assert [str(p) for p in problems] == ["f.csv:2: name: bytes that are not UTF-8 (0xff)"]


def test_the_fast_path_handles_the_common_faults_itself(tmp_path, monkeypatch):
    """Bad bytes, wrong field counts and blank lines do not need the slow csv-module pass (both
    bad bytes and wrong field counts in one file do: pyarrow cannot hand such rows over)."""
    def refuse(*args: object) -> None:
        raise AssertionError("slow path taken")

    monkeypatch.setattr(csvfile, "_read_slow", refuse)
    for case in ("bad bytes", "wrong field counts after breaks", "same with crlf"):
        path = tmp_path / "f.csv"
        path.write_bytes(MESSY[case])
        assert read_csv_text(path)[0].index.tolist() == EXPECTED[case][0]


def test_zero_bytes_and_a_lone_bom_are_empty_files(tmp_path):
    for content in (b"", b"\xef\xbb\xbf", b"\r\n\r\n"):
        path = tmp_path / "f.csv"
        path.write_bytes(content)
        frame, problems = read_csv_text(path)
        assert frame is None
        assert [str(p) for p in problems] == ["f.csv:1: -: the file is empty: it has no header row"]


def test_header_names_are_stripped_and_a_repeated_name_keeps_the_first_column(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b" id , name,name\na,b,c\n")
    frame, problems = read_csv_text(path)
    assert list(frame.columns) == ["id", "name"] and frame["name"].tolist() == ["b"]
    assert [str(p) for p in problems] == ["f.csv:1: name: the column appears twice in the header"]


_field = st.text(alphabet=st.sampled_from(list('ab,"\n\r 组') + ["\ufffe"]), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.lists(_field, min_size=1, max_size=4), max_size=8),
    terminator=st.sampled_from(["\n", "\r\n"]),
    blank_after=st.sets(st.integers(0, 7)),
    bad_byte_in=st.sets(st.integers(0, 7)),
)
def test_fast_and_slow_paths_agree_on_generated_files(tmp_path, monkeypatch, rows, terminator, blank_after, bad_byte_in):
    """Well-formed CSV (as the csv module writes it, so values may hold quotes, commas and line
    breaks), with blank lines, rows of the wrong width and bytes that are not UTF-8 mixed in."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["id", "name", "note"])
    lines = [buffer.getvalue().encode("utf-8")]
    for i, row in enumerate(rows):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator=terminator).writerow(row)
        text = buffer.getvalue().encode("utf-8")
        if i in bad_byte_in:
            text = text.replace("\ufffe".encode("utf-8"), b"\xff", 1)
        lines.append(text)
        if i in blank_after:
            lines.append(terminator.encode())
    path = tmp_path / "f.csv"
    path.write_bytes(b"".join(lines))
    fast, fast_problems = read_csv_text(path)
    monkeypatch.setattr(csvfile, "_read_fast", _slow)
    slow, slow_problems = read_csv_text(path)
    monkeypatch.undo()
    assert sorted(fast_problems) == sorted(slow_problems)
    assert fast.index.tolist() == slow.index.tolist()
    assert fast.equals(slow)


def test_a_quoted_header_stays_on_the_fast_path(tmp_path, monkeypatch):
    def refuse(*args: object) -> None:
        raise AssertionError("slow path taken")

    monkeypatch.setattr(csvfile, "_read_slow", refuse)
    path = tmp_path / "f.csv"
    path.write_bytes(b'"id","name, full"\n"c1","a"\n')
    frame, problems = read_csv_text(path)
    assert list(frame.columns) == ["id", "name, full"] and frame.index.tolist() == [2] and problems == []


def test_a_header_with_a_line_break_in_a_quoted_name(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b'id,"two\nlines"\nc1,a\n')
    frame, problems = read_csv_text(path)
    assert list(frame.columns) == ["id", "two\nlines"] and frame.index.tolist() == [3] and problems == []
