"""Reading and validating a dataset folder (DESIGN §3): every rule located, good input verbatim."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.dataset import csvfile
from graphmodel.dataset.reader import Dataset, dataset_problems, read_dataset
from graphmodel.dataset.schema import FILES
from graphmodel.errors import DatasetError, Problem

# A small valid dataset. Line numbers below are physical lines (the header is line 1).
BASE = {
    "organizations.csv": (
        "id,name,kind,parent_id,region\n"
        "R,市委,committee,,上海\n"  # 2
        "JW,市纪委,discipline,R,上海\n"  # 3
        "A,区委,committee,R,浦东\n"  # 4
        "AJ,区纪委,discipline,A,浦东\n"  # 5
        "B,街道党工委,leading_group,A,浦东\n"  # 6
        "PZ,派驻组,discipline,JW,上海\n"  # 7
        "C,支部,branch,B,浦东\n"  # 8
    ),
    "cadres.csv": (
        "id,name\n"
        "s0,张一\n"  # 2
        "s1,李二\n"  # 3
        "s2,王三\n"  # 4
        "s3,赵四\n"  # 5
        "s4,钱五\n"  # 6
        "s5,孙六\n"  # 7
    ),
    "posts.csv": (
        "cadre_id,org_id,role\n"
        "s0,R,secretary\n"  # 2
        "s1,R,member\n"  # 3
        "s2,A,secretary\n"  # 4
        "s3,A,deputy_secretary\n"  # 5
        "s4,JW,secretary\n"  # 6
        "s5,B,secretary\n"  # 7
    ),
    "duties.csv": (
        "cadre_id,org_id\n"
        "s1,A\n"  # 2: A lies below R, where s1 is a member
        "s3,C\n"  # 3: C lies below A (through B), where s3 is deputy secretary
    ),
    "supervision.csv": (
        "discipline_id,org_id\n"
        "JW,R\n"  # 2
        "AJ,A\n"  # 3
        "AJ,C\n"  # 4
        "PZ,B\n"  # 5: PZ's committee is R (through JW); B lies below R
    ),
    "evidence.csv": (
        "from_id,to_id,channel,count,date,note\n"
        "R,A,responsibility_letter,1,2024-01-05,\n"  # 2
        "s0,s1,talk,2,2024-02-29,\n"  # 3
        "s1,A,meeting,,,\n"  # 4
        "JW,R,inspection,0.5,2024-12-31,年中\n"  # 5
    ),
    "problems.csv": "id,org_id,source,description,severity\nP1,A,inspection,台账不全,2\nP2,C,audit,,\n",
    "projects.csv": "id,problem_id,owner_id,status,due\nJ1,P1,s2,open,2025-03-01\nJ2,P2,,done,\n",
    "cases.csv": "id,org_id,cadre_id,date,kind\nK1,C,s5,2024-06-01,诫勉\nK2,A,,,\n",
    "indicators.csv": "org_id,indicator,value,year,direction\nA,违纪率,0.5,2024,−\nA,满意度,92,2024,+\nC,满意度,88,,\n",
}


def write(folder: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write a dataset folder: text is written as UTF-8 exactly as given; None leaves a file out."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if content is None:
            continue
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def dataset(tmp_path: Path, **changes: str | bytes | None) -> Path:
    """BASE with some files replaced (keyword = file stem)."""
    files: dict[str, str | bytes | None] = dict(BASE)
    for stem, content in changes.items():
        files[f"{stem}.csv"] = content
    return write(tmp_path / "ds", files)


def append(stem: str, *rows: str) -> str:
    return BASE[f"{stem}.csv"] + "".join(r + "\n" for r in rows)


def problems_of(folder: Path) -> list[Problem]:
    found = dataset_problems(folder)
    with pytest.raises(DatasetError) as refused:
        read_dataset(folder)
    assert refused.value.problems == found  # read_dataset refuses with the same list
    return found


def only(folder: Path) -> Problem:
    found = problems_of(folder)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def assert_problem(problem: Problem, file: str, line: int, column: str, *fragments: str) -> None:
    assert (problem.file, problem.line, problem.column) == (file, line, column), str(problem)
    for fragment in fragments:
        assert fragment in problem.message, str(problem)


# -- the valid base -------------------------------------------------------------------------------


def test_base_dataset_loads_with_the_frame_conventions(tmp_path):
    data = read_dataset(dataset(tmp_path))
    assert data.present == frozenset(f.name for f in FILES)
    orgs = data.organizations
    assert orgs.index.name == "line" and orgs.index.tolist() == list(range(2, 9))
    assert list(orgs.columns) == ["id", "name", "kind", "parent_id", "region"]
    assert orgs.loc[3, "name"] == "市纪委" and orgs.loc[2, "parent_id"] == ""
    assert isinstance(orgs["id"].iloc[0], str)
    assert orgs["id"].to_numpy(dtype=object).tolist() == ["R", "JW", "A", "AJ", "B", "PZ", "C"]
    assert (orgs["kind"] == "discipline").tolist() == [False, True, False, True, False, True, False]
    assert orgs["id"].isin(["A", "C"]).sum() == 2
    ev = data.evidence
    assert ev["count"].dtype == np.float64
    assert ev["count"].tolist() == [1.0, 2.0, 1.0, 0.5]  # the empty count on line 4 counts 1
    assert ev["date"].tolist() == ["2024-01-05", "2024-02-29", "", "2024-12-31"]
    ind = data.indicators
    assert ind["value"].dtype == np.float64 and ind["value"].tolist() == [0.5, 92.0, 88.0]
    assert ind["direction"].tolist() == ["-", "+", ""]  # U+2212 read as "-"
    assert data.table("projects.csv").loc[3, "owner_id"] == ""
    for frame in (orgs, data.cadres, data.posts, data.duties, ev, data.problems):
        assert not frame.isna().any().any()
    for spec in FILES:  # text, but for the columns of few distinct values: categorical, sorted categories
        frame = data.table(spec.name)
        for column in spec.columns:
            if column in spec.categorical:
                categories = frame[column].cat.categories
                assert categories.dtype == "str" and list(categories) == sorted(categories)
                assert categories.is_unique and not frame[column].isna().any()
            elif column not in ("count", "value"):
                assert frame[column].dtype == "str", (spec.name, column)
    assert sorted(ind["direction"].cat.categories) == ["", "+", "-"]
    assert ev.sort_values("date")["date"].tolist() == ["", "2024-01-05", "2024-02-29", "2024-12-31"]


def test_absent_optional_files_give_empty_frames_with_the_spec_columns(tmp_path):
    folder = write(tmp_path / "ds", {n: BASE[n] for n in ("organizations.csv", "cadres.csv", "posts.csv")})
    data = read_dataset(folder)
    assert data.present == frozenset({"organizations.csv", "cadres.csv", "posts.csv"})
    for spec in FILES:
        frame = data.table(spec.name)
        assert list(frame.columns)[: len(spec.columns)] == list(spec.columns)
    assert len(data.evidence) == 0 and data.evidence["count"].dtype == np.float64
    assert data.duties.index.name == "line"
    with pytest.raises(KeyError):
        data.table("nonsense.csv")


def test_progress_gets_a_message_per_file_and_the_library_prints_nothing(tmp_path, capsys):
    messages: list[str] = []
    read_dataset(dataset(tmp_path), progress=messages.append)
    assert [m for m in messages if m.startswith("reading")] == [f"reading {f.name}" for f in FILES]
    assert capsys.readouterr() == ("", "")


# -- good input loads verbatim ---------------------------------------------------------------------


def test_bom_column_order_extra_columns_and_extra_files(tmp_path):
    folder = dataset(
        tmp_path,
        organizations="\ufeffparent_id,kind,extra,id,name\n,committee,x1,R,市委\nR,branch,,A,一支部\n",
        cadres="name,id,工号\n张一,s0,001\n",
        posts="\ufeffrole,org_id,cadre_id\nsecretary,R,s0\n",
        duties=None, supervision=None, evidence=None, problems=None, projects=None, cases=None, indicators=None,
    )
    (folder / "README.md").write_text("not a table, ignored", encoding="utf-8")
    (folder / "notes.csv").write_text("garbage,\n\"", encoding="utf-8")
    data = read_dataset(folder)
    orgs = data.organizations
    assert list(orgs.columns) == ["id", "name", "kind", "parent_id", "region", "extra"]
    assert orgs["region"].tolist() == ["", ""]
    assert orgs["extra"].tolist() == ["x1", ""]
    assert data.cadres["工号"].tolist() == ["001"]  # kept as text, leading zeros and all
    assert data.posts.loc[2].tolist() == ["s0", "R", "secretary"]


def test_names_with_commas_quotes_spaces_newlines_and_chinese_load_verbatim(tmp_path):
    names = ['中共"两新"组织, 第一支部', "  leading and trailing  ", "two\nlines", "crlf\r\ninside", "", "汉字"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["id", "name"])
    for i, name in enumerate(names):
        writer.writerow([f"s{i}", name])
    posts = "cadre_id,org_id,role\n" + "".join(f"s{i},R,member\n" for i in range(len(names)))
    folder = dataset(tmp_path, cadres=buffer.getvalue(), posts=posts, duties=None, evidence=None, projects=None, cases=None)
    data = read_dataset(folder)
    assert data.cadres["name"].tolist() == names
    # physical lines: s2's name spans lines 4-5, s3's lines 6-7 (\r\n inside the quotes)
    assert data.cadres.index.tolist() == [2, 3, 4, 6, 8, 9]


def test_ids_are_kept_exactly_as_written(tmp_path):
    folder = dataset(
        tmp_path,
        cadres=append("cadres", " s0,with a space"),  # " s0" is another id than "s0"
    )
    data = read_dataset(folder)
    assert data.cadres["id"].tolist()[-1] == " s0"


# -- file-level problems --------------------------------------------------------------------------


def test_missing_required_file(tmp_path):
    # the references into cadres.csv are not checked then: one problem, not one per reference
    assert_problem(only(dataset(tmp_path, cadres=None)), "cadres.csv", 1, "-", "required file is missing")


def test_empty_required_file(tmp_path):
    found = problems_of(dataset(tmp_path, posts=""))
    assert_problem(found[0], "posts.csv", 1, "-", "empty", "no header")
    assert len(found) == 1


def test_blank_optional_file_is_refused_too(tmp_path):
    assert_problem(only(dataset(tmp_path, supervision="\n\n")), "supervision.csv", 1, "-", "empty")


def test_header_only_file_is_an_empty_table(tmp_path):
    data = read_dataset(dataset(tmp_path, duties="cadre_id,org_id\n", evidence="from_id,to_id,channel"))
    assert len(data.duties) == 0 and len(data.evidence) == 0


def test_missing_required_column(tmp_path):
    posts = "cadre_id,org_id\ns0,R\n"
    found = problems_of(dataset(tmp_path, posts=posts))
    assert len(found) == 1
    assert_problem(found[0], "posts.csv", 1, "role", "missing required column")


def test_repeated_column_name(tmp_path):
    cadres = "id,name,name\ns0,a,b\ns1,c,d\ns2,e,f\ns3,g,h\ns4,i,j\ns5,k,l\n"
    assert_problem(only(dataset(tmp_path, cadres=cadres)), "cadres.csv", 1, "name", "appears twice")


def test_bytes_that_are_not_utf8_give_line_and_column(tmp_path):
    cadres = BASE["cadres.csv"].encode("utf-8").replace("李二".encode("utf-8"), b"\xc0\xaf\xe6")
    problem = only(dataset(tmp_path, cadres=cadres))
    assert_problem(problem, "cadres.csv", 3, "name", "not UTF-8", "0xc0")


def test_bad_bytes_inside_a_multiline_value_are_located_on_their_own_line(tmp_path):
    cadres = BASE["cadres.csv"].encode("utf-8") + b's6,"first line\nsecond \xff line"\n'
    posts = append("posts", "s6,C,member")
    assert_problem(only(dataset(tmp_path, cadres=cadres, posts=posts)), "cadres.csv", 9, "name", "not UTF-8")


def test_row_with_the_wrong_number_of_fields(tmp_path):
    found = problems_of(dataset(tmp_path, cadres=append("cadres", "s6,孙七,extra", "s7")))
    assert_problem(found[0], "cadres.csv", 8, "-", "3 fields", "header has 2")
    assert_problem(found[1], "cadres.csv", 9, "-", "1 field ")
    assert len(found) == 2


def test_quote_never_closed(tmp_path):
    problem = only(dataset(tmp_path, cadres=append("cadres", 's6,"never closed')))
    assert_problem(problem, "cadres.csv", 8, "-", "never closed")


def test_blank_lines_keep_physical_line_numbers(tmp_path):
    cadres = BASE["cadres.csv"].replace("s2,王三\n", "s2,王三\n\n\r\n")
    posts = BASE["posts.csv"].replace("s5,B,secretary", "s9,B,secretary")
    found = problems_of(dataset(tmp_path, cadres=cadres, posts=posts))
    data_lines = csvfile.read_csv_text(tmp_path / "ds" / "cadres.csv")[0].index.tolist()
    assert data_lines == [2, 3, 4, 7, 8, 9]
    assert_problem(found[0], "posts.csv", 7, "cadre_id", "unknown cadre 's9'")


# -- ids ------------------------------------------------------------------------------------------


def test_duplicate_id_reports_the_later_line_and_cites_the_first(tmp_path):
    orgs = append("organizations", "A,重复,branch,R,")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 9, "id",
                   "duplicate id 'A'", "line 4")


def test_duplicate_cadre_id(tmp_path):
    assert_problem(only(dataset(tmp_path, cadres=append("cadres", "s1,另一个"))), "cadres.csv", 8, "id",
                   "duplicate id 's1'", "line 3")


def test_org_id_that_is_also_a_cadre_id(tmp_path):
    cadres = append("cadres", "B,同名")
    assert_problem(only(dataset(tmp_path, cadres=cadres)), "cadres.csv", 8, "id",
                   "'B' is also an organization id", "organizations.csv line 6")


def test_empty_id(tmp_path):
    assert_problem(only(dataset(tmp_path, cadres=append("cadres", ",无名"))), "cadres.csv", 8, "id", "empty id")


# -- vocabulary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "old", "new", "line", "column", "fragment"),
    [
        ("organizations", "C,支部,branch", "C,支部,cell", 8, "kind", "unknown kind 'cell'"),
        ("posts", "s1,R,member", "s1,R,boss", 3, "role", "unknown role 'boss'"),
        ("evidence", "R,A,responsibility_letter", "R,A,letter", 2, "channel", "unknown channel 'letter'"),
        ("problems", "P2,C,audit", "P2,C,rumour", 3, "source", "unknown source 'rumour'"),
        ("projects", "J2,P2,,done", "J2,P2,,finished", 3, "status", "unknown status 'finished'"),
        ("indicators", "C,满意度,88,,", "C,满意度,88,,up", 4, "direction", "unknown direction 'up'"),
        ("problems", "台账不全,2", "台账不全,4", 2, "severity", "unknown severity '4'"),
        ("posts", "s1,R,member", "s1,R,", 3, "role", "empty role"),
    ],
)
def test_unknown_vocabulary(tmp_path, stem, old, new, line, column, fragment):
    text = BASE[f"{stem}.csv"]
    assert old in text
    problem = only(dataset(tmp_path, **{stem: text.replace(old, new)}))
    assert_problem(problem, f"{stem}.csv", line, column, fragment)


# -- the tree -------------------------------------------------------------------------------------


def test_dangling_parent(tmp_path):
    orgs = BASE["organizations.csv"].replace("C,支部,branch,B", "C,支部,branch,Q")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 8, "parent_id",
                   "unknown parent 'Q'")


def test_parent_that_is_a_cadre(tmp_path):
    orgs = BASE["organizations.csv"].replace("C,支部,branch,B", "C,支部,branch,s1")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 8, "parent_id",
                   "'s1' is a cadre")


def test_parent_cycle_names_its_members(tmp_path):
    orgs = append("organizations", "X,甲,branch,Z,", "Y,乙,branch,X,", "Z,丙,branch,Y,", "W,丁,branch,X,")
    problem = only(dataset(tmp_path, organizations=orgs))
    # reported once, on the line of its first member in the file, W (under the cycle) not named
    assert_problem(problem, "organizations.csv", 9, "parent_id", "parent cycle: 'X' → 'Z' → 'Y' → 'X'")


def test_an_organization_that_is_its_own_parent(tmp_path):
    orgs = BASE["organizations.csv"].replace("C,支部,branch,B", "C,支部,branch,C")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 8, "parent_id",
                   "parent cycle: 'C' → 'C'")


def test_two_roots(tmp_path):
    orgs = append("organizations", "R2,另一市委,committee,,")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 9, "parent_id",
                   "second root", "'R2'", "'R' (line 2)")


def test_no_root(tmp_path):
    orgs = BASE["organizations.csv"].replace("R,市委,committee,,", "R,市委,committee,C,")
    found = problems_of(dataset(tmp_path, organizations=orgs))
    assert [(p.line, p.column) for p in found] == [(1, "parent_id"), (2, "parent_id")]
    assert "no root" in found[0].message and "parent cycle" in found[1].message


def test_root_must_be_a_committee(tmp_path):
    orgs = BASE["organizations.csv"].replace("R,市委,committee", "R,市委,leading_group")
    found = problems_of(dataset(tmp_path, organizations=orgs))
    assert_problem(found[0], "organizations.csv", 2, "kind", "must be a committee", "leading_group")
    # and the root's 纪委 now sits under a leading group
    assert_problem(found[1], "organizations.csv", 3, "parent_id", "discipline body 'JW'", "leading_group")
    assert len(found) == 2


def test_discipline_body_under_a_branch(tmp_path):
    orgs = append("organizations", "CJ,纪检小组,discipline,C,")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 9, "parent_id",
                   "discipline body 'CJ'", "branch")


def test_discipline_body_under_a_leading_group(tmp_path):
    orgs = append("organizations", "BJ,纪检组,discipline,B,")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 9, "parent_id",
                   "discipline body 'BJ'", "leading_group")


def test_organization_under_a_discipline_body(tmp_path):
    orgs = append("organizations", "X,支部,branch,AJ,")
    assert_problem(only(dataset(tmp_path, organizations=orgs)), "organizations.csv", 9, "parent_id",
                   "under the discipline body 'AJ'")


# -- posts ----------------------------------------------------------------------------------------


def test_post_with_unknown_cadre_and_unknown_org(tmp_path):
    found = problems_of(dataset(tmp_path, posts=append("posts", "s9,R,member", "s2,Q,member", "s2,s3,member")))
    assert_problem(found[0], "posts.csv", 8, "cadre_id", "unknown cadre 's9'")
    assert_problem(found[1], "posts.csv", 9, "org_id", "unknown organization 'Q'")
    assert_problem(found[2], "posts.csv", 10, "org_id", "'s3' is a cadre, not an organization")
    assert len(found) == 3


def test_two_secretaries_in_one_organization(tmp_path):
    assert_problem(only(dataset(tmp_path, posts=append("posts", "s3,R,secretary"))), "posts.csv", 8, "role",
                   "'R' already has a secretary (line 2)")


def test_two_posts_for_one_cadre_in_one_organization(tmp_path):
    assert_problem(only(dataset(tmp_path, posts=append("posts", "s1,R,deputy_secretary"))), "posts.csv", 8,
                   "cadre_id", "'s1' already holds a post in 'R' (line 3)")


def test_one_cadre_may_hold_posts_in_several_organizations(tmp_path):
    read_dataset(dataset(tmp_path, posts=append("posts", "s1,A,member", "s1,C,secretary")))


# -- duties and supervision -----------------------------------------------------------------------


def test_duty_with_unknown_ids(tmp_path):
    found = problems_of(dataset(tmp_path, duties=append("duties", "s9,A", "s1,Q")))
    assert_problem(found[0], "duties.csv", 4, "cadre_id", "unknown cadre 's9'")
    assert_problem(found[1], "duties.csv", 5, "org_id", "unknown organization 'Q'")
    assert len(found) == 2


def test_duty_must_lie_below_an_organization_where_the_cadre_is_on_the_team(tmp_path):
    found = problems_of(dataset(tmp_path, duties=append("duties", "s1,R", "s3,A", "s0,A", "s2,C")))
    # s1 is a member of R, but R is not strictly below R; s3 is deputy of A, not above A;
    # s0 is R's secretary (not a member or deputy); s2 is A's secretary
    assert [(p.line, p.column) for p in found] == [(4, "org_id"), (5, "org_id"), (6, "org_id"), (7, "org_id")]
    assert "cadre 's1' is not a member or deputy secretary of any organization above 'R'" in found[0].message


def test_duty_over_a_discipline_body_is_refused(tmp_path):
    assert_problem(only(dataset(tmp_path, duties=append("duties", "s1,AJ"))), "duties.csv", 4, "org_id",
                   "discipline body", "no principal responsibility")


def test_repeated_duty_and_supervision_rows_are_fine(tmp_path):
    read_dataset(dataset(tmp_path, duties=append("duties", "s1,A"), supervision=append("supervision", "JW,R")))


def test_supervision_by_an_organization_that_is_not_a_discipline_body(tmp_path):
    assert_problem(only(dataset(tmp_path, supervision=append("supervision", "A,C"))), "supervision.csv", 6,
                   "discipline_id", "'A' is a committee, not a discipline body")


def test_supervised_organization_must_be_the_committee_or_below_it(tmp_path):
    # AJ's committee is A; R lies above A. PZ (stationed by JW) may supervise anything under R.
    found = problems_of(dataset(tmp_path, supervision=append("supervision", "AJ,R", "PZ,C")))
    assert len(found) == 1
    assert_problem(found[0], "supervision.csv", 6, "org_id", "'R' is neither 'A', the committee of 'AJ'")


def test_supervision_of_a_discipline_body_is_refused(tmp_path):
    assert_problem(only(dataset(tmp_path, supervision=append("supervision", "JW,AJ"))), "supervision.csv", 6,
                   "org_id", "'AJ' is a discipline body")


def test_supervision_with_unknown_ids(tmp_path):
    found = problems_of(dataset(tmp_path, supervision=append("supervision", "ZZ,A", "JW,s1")))
    assert_problem(found[0], "supervision.csv", 6, "discipline_id", "unknown organization 'ZZ'")
    assert_problem(found[1], "supervision.csv", 7, "org_id", "'s1' is a cadre")


# -- evidence -------------------------------------------------------------------------------------


def test_evidence_naming_unknown_ids(tmp_path):
    found = problems_of(dataset(tmp_path, evidence=append("evidence", "R,nobody,talk,1,,", "ghost,s1,talk,1,,")))
    assert_problem(found[0], "evidence.csv", 6, "to_id", "unknown organization or cadre 'nobody'")
    assert_problem(found[1], "evidence.csv", 7, "from_id", "unknown organization or cadre 'ghost'")
    assert len(found) == 2


@pytest.mark.parametrize(
    ("count", "fragment"),
    [("many", "is not a number"), ("-1", "is negative"), ("nan", "is not a number"), ("inf", "is not a number"),
     ("1e999", "is not finite"), ("1,5", "is not a number"), (" 2", "is not a number")],
)
def test_bad_count(tmp_path, count, fragment):
    row = f'R,A,talk,"{count}",,'
    assert_problem(only(dataset(tmp_path, evidence=append("evidence", row))), "evidence.csv", 6, "count",
                   f"count {count!r} {fragment}")


@pytest.mark.parametrize("count", ["0", "0.25", "3", "1e2", "+2", "-0"])
def test_good_counts(tmp_path, count):
    data = read_dataset(dataset(tmp_path, evidence=append("evidence", f"R,A,talk,{count},,")))
    assert data.evidence["count"].iloc[-1] == float(count)


@pytest.mark.parametrize(
    ("date", "fragment"),
    [("2024/01/05", "not a date written YYYY-MM-DD"), ("2024-1-5", "not a date written"),
     ("2023-02-29", "not a real date"), ("2024-13-01", "not a real date"), ("2024-04-31", "not a real date"),
     ("0000-01-01", "not a real date"), ("yesterday", "not a date written")],
)
def test_bad_date(tmp_path, date, fragment):
    assert_problem(only(dataset(tmp_path, evidence=append("evidence", f"R,A,talk,1,{date},"))), "evidence.csv", 6,
                   "date", f"{date!r} is {fragment}")


# -- problems, projects, cases, indicators -------------------------------------------------------


def test_problem_projects_cases_indicators_references(tmp_path):
    found = problems_of(dataset(
        tmp_path,
        problems=append("problems", "P3,Q,other,,", "P1,A,other,,"),
        projects=append("projects", "J3,P9,s1,open,", "J4,P1,s9,open,", "J5,P1,s1,open,2025-02-30"),
        cases=append("cases", "K3,Q,,,", "K4,A,s9,2024-01-01,", "K5,A,,24-01-01,"),
        indicators=append("indicators", "Q,满意度,1,,", "C,廉洁度,高,,", "A,满意度,1,2024.0,", "A,违纪率,0.7,2024,"),
    ))
    got = [(p.file, p.line, p.column) for p in found]
    assert got == [
        ("cases.csv", 4, "org_id"), ("cases.csv", 5, "cadre_id"), ("cases.csv", 6, "date"),
        ("indicators.csv", 5, "org_id"), ("indicators.csv", 6, "value"), ("indicators.csv", 7, "year"),
        ("indicators.csv", 8, "indicator"),
        ("problems.csv", 4, "org_id"), ("problems.csv", 5, "id"),
        ("projects.csv", 4, "problem_id"), ("projects.csv", 5, "owner_id"), ("projects.csv", 6, "due"),
    ]
    messages = {(p.file, p.line): p.message for p in found}
    assert "unknown problem 'P9'" in messages[("projects.csv", 4)]
    assert "unknown cadre 's9'" in messages[("projects.csv", 5)]
    assert "'高' is not a number" in messages[("indicators.csv", 6)]
    assert "'2024.0' is not an integer" in messages[("indicators.csv", 7)]
    assert "given twice for the same year (line 2)" in messages[("indicators.csv", 8)]
    assert "duplicate id 'P1' (first on line 2)" in messages[("problems.csv", 5)]


@pytest.mark.parametrize("rows, repeated", [
    (("A,满意度,1,2023,", "A,满意度,2,2024,", "A,违纪率,1,2023,", "R,满意度,1,2023,"), []),  # unordered, no repeat
    (("A,满意度,1,2023,", "A,违纪率,1,2023,", "A,满意度,1,2024,", "R,满意度,1,2023,"), []),  # by org, then year
    (("A,满意度,1,2023,", "R,满意度,1,2023,", "A,违纪率,1,2023,", "A,满意度,3,2023,"), [(5, 2)]),  # far apart
    (("A,满意度,1,,", "A,满意度,2,,"), [(3, 2)]),  # no year is a year of its own
])
def test_an_indicator_given_twice_for_an_org_and_year(tmp_path, rows, repeated):
    header = "org_id,indicator,value,year,direction\n"
    found = dataset_problems(dataset(tmp_path, indicators=header + "".join(row + "\n" for row in rows)))
    assert [(p.line, p.column) for p in found] == [(line, "indicator") for line, _ in repeated]
    for p, (_, first) in zip(found, repeated):
        assert p.message.endswith(f"is given twice for the same year (line {first})")


def test_projects_without_problems_file_name_unknown_problems(tmp_path):
    found = problems_of(dataset(tmp_path, problems=None))
    assert_problem(found[0], "projects.csv", 2, "problem_id", "unknown problem 'P1'")
    assert_problem(found[1], "projects.csv", 3, "problem_id", "unknown problem 'P2'")
    assert len(found) == 2


# -- many problems at once ------------------------------------------------------------------------


def test_every_problem_of_every_file_is_listed_sorted_by_file_then_line(tmp_path):
    folder = dataset(
        tmp_path,
        organizations=append("organizations", "A,重复,branch,R,", "D,支部,cell,R,"),
        cadres=BASE["cadres.csv"].encode("utf-8") + b"s6,\xff\n",
        posts=append("posts", "s3,R,secretary", "s1,R,member"),
        duties=append("duties", "s0,Q"),
        evidence=append("evidence", "R,A,talk,-2,2024-02-30,"),
    )
    found = problems_of(folder)
    assert [(p.file, p.line, p.column) for p in found] == [
        ("cadres.csv", 8, "name"),
        ("duties.csv", 4, "org_id"),
        ("evidence.csv", 6, "count"),
        ("evidence.csv", 6, "date"),
        ("organizations.csv", 9, "id"),
        ("organizations.csv", 10, "kind"),
        ("posts.csv", 8, "role"),
        ("posts.csv", 9, "cadre_id"),
    ]
    assert found == sorted(found)
    text = str(DatasetError(found))
    assert "8 problem(s)" in text and "posts.csv:9: cadre_id: cadre 's1' already holds a post in 'R' (line 3)" in text


def test_a_broken_file_is_one_problem_not_one_per_reference(tmp_path):
    found = problems_of(dataset(tmp_path, cadres="name\n张一\n"))
    assert [str(p) for p in found] == ["cadres.csv:1: id: missing required column"]


def test_not_a_folder(tmp_path):
    found = dataset_problems(tmp_path / "nowhere")
    assert len(found) == 1 and "no such dataset folder" in found[0].message


# -- fast and slow readers agree -------------------------------------------------------------------


def test_slow_path_reads_the_same_frames_as_the_fast_path(tmp_path, monkeypatch):
    folder = dataset(tmp_path, cadres=BASE["cadres.csv"] + 's6,"多\r\n行, ""引号"""\n', posts=append("posts", "s6,C,member"))
    fast = read_dataset(folder)

    def refuse(*args: object) -> None:
        raise csvfile._SlowPath

    monkeypatch.setattr(csvfile, "_read_fast", refuse)
    slow = read_dataset(folder)
    for spec in FILES:
        pd.testing.assert_frame_equal(fast.table(spec.name), slow.table(spec.name))
    assert slow.cadres.loc[8, "name"] == '多\r\n行, "引号"'


# -- properties -----------------------------------------------------------------------------------

_names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


def _csv(header: list[str], rows: list[list[str]], *, crlf: bool = True) -> str:
    """CSV text as the csv module writes it: CRLF line ends with minimal quoting (a value with
    a line break of either kind is quoted), or LF line ends with every value quoted."""
    buffer = io.StringIO()
    if crlf:
        writer = csv.writer(buffer, lineterminator="\r\n")
    else:
        writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), names=st.lists(_names, min_size=6, max_size=6))
def test_row_order_does_not_change_the_loaded_content(tmp_path_factory, data, names):
    """Shuffling the rows of every file gives the same tables up to row order and line numbers;
    names of any text load verbatim."""
    orgs = [["R", names[0], "committee", "", ""], ["JW", names[1], "discipline", "R", ""],
            ["A", names[2], "committee", "R", ""], ["C", names[3], "branch", "A", ""]]
    cadres = [["s0", names[4]], ["s1", names[5]], ["s2", "x"], ["s3", "y"]]
    posts = [["s0", "R", "secretary"], ["s1", "R", "member"], ["s2", "A", "secretary"], ["s3", "A", "member"]]
    duties = [["s1", "A"], ["s3", "C"], ["s1", "C"]]
    evidence = [["R", "A", "talk", "1", "2024-01-01", names[0]], ["s0", "s1", "meeting", "2.5", "", ""],
                ["A", "C", "report", "", "", ""]]
    tables = {"organizations.csv": orgs, "cadres.csv": cadres, "posts.csv": posts, "duties.csv": duties,
              "evidence.csv": evidence}
    headers = {"organizations.csv": ["id", "name", "kind", "parent_id", "region"], "cadres.csv": ["id", "name"],
               "posts.csv": ["cadre_id", "org_id", "role"], "duties.csv": ["cadre_id", "org_id"],
               "evidence.csv": ["from_id", "to_id", "channel", "count", "date", "note"]}
    base = tmp_path_factory.mktemp("ordered")
    shuffled = tmp_path_factory.mktemp("shuffled")
    write(base, {n: _csv(headers[n], rows) for n, rows in tables.items()})
    write(shuffled, {n: _csv(headers[n], data.draw(st.permutations(rows))) for n, rows in tables.items()})
    one, two = read_dataset(base), read_dataset(shuffled)
    assert one.cadres["name"].tolist()[:2] == names[4:]
    assert one.organizations["name"].tolist() == names[:4]
    for name in tables:
        a = one.table(name).reset_index(drop=True)
        b = two.table(name).reset_index(drop=True)
        key = list(a.columns)
        pd.testing.assert_frame_equal(
            a.sort_values(key, ignore_index=True), b.sort_values(key, ignore_index=True)
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_names, min_size=1, max_size=8), crlf=st.booleans())
def test_physical_lines_of_any_names(tmp_path_factory, names, crlf):
    """Each row's line is 1 + the number of line breaks before it, as the csv module counts them."""
    text = _csv(["id", "name"], [[f"c{i}", n] for i, n in enumerate(names)], crlf=crlf)
    path = tmp_path_factory.mktemp("lines") / "cadres.csv"
    path.write_bytes(text.encode("utf-8"))
    frame, problems = csvfile.read_csv_text(path)
    assert problems == []
    expected, line = [], 1
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    line = reader.line_num
    for _ in reader:
        expected.append(line + 1)
        line = reader.line_num
    assert frame.index.tolist() == expected
    assert frame["name"].tolist() == names
