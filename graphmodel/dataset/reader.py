"""Reading a dataset folder (DESIGN §3): every file checked, every problem listed, or typed frames.

``read_dataset`` returns a ``Dataset`` of pandas frames or raises ``DatasetError`` listing every
problem of every file (``file:line: column: what is wrong``, physical lines, the header being
line 1). ``dataset_problems`` returns the same list without raising, for ``graphmodel validate``.

The frames follow one convention, which the rest of the package relies on:

- the index, named ``line``, is the physical line where the row starts in its file;
- every column of the file's spec is there, in spec order, then the file's extra columns in
  file order; an absent optional column is all ``""``, an absent optional file an empty frame;
- text columns have pandas' Arrow-backed ``str`` dtype (``csvfile.STRING``): values are Python
  ``str``, ``""`` when empty, never NaN; ``==``, ``isin`` and ``to_numpy(dtype=object)`` work as
  on object columns;
- the columns of few distinct values (``FileSpec.categorical``: kinds, roles, channels, dates,
  indicator names, years …) are pandas ``Categorical`` of those same strings, their categories
  sorted (so that sorting the column sorts its text): millions of evidence and indicator rows
  take a byte or two each instead of a string;
- ``evidence.count`` and ``indicators.value`` are ``float64`` (``count`` is 1 where the column or
  the value is empty); ``indicators.direction`` is ``+``, ``-`` (a ``−`` is read as ``-``) or ``""``;
  everything else stays text exactly as written (ids and names are not stripped; only the
  header's column names lose their surrounding spaces).

The files are read by a background thread while the rules run on those already read; the
``progress`` callback is always called from the calling thread. Nothing is ever written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.dataset.csvfile import LINE, STRING, WHOLE_ROW, read_csv_text
from graphmodel.dataset.schema import FILES, FileSpec
from graphmodel.dataset.keys import KeyTable, string_keys
from graphmodel.dataset.resolved import Resolved
from graphmodel.dataset.validate import arrow_strings, check_tables, distinct_codes, entity_table, parse_numbers
from graphmodel.errors import DatasetError, GraphModelError, Problem
from graphmodel.memory import release_after, release_freed
from graphmodel.model.tree import OrgTree

__all__ = ["Dataset", "read_dataset", "dataset_problems", "org_tree_of"]

Progress = Callable[[str], None]


@dataclass(frozen=True, eq=False)
class Dataset:
    """A dataset folder that passed every rule of DESIGN §3, one frame per file.

    Attributes
    ----------
    path : the folder it was read from (``None`` when built otherwise).
    organizations, cadres, posts, duties, supervision, evidence, problems, projects, cases,
    indicators : the files' frames (see the module docstring for their conventions).
    present : names of the spec's files that were in the folder (``"supervision.csv"`` …).
    resolved : the tree and id look-ups that checking the rules found (see ``entity_positions``).
    released : files whose rows were let go (``release``), with the rows they had.
    """

    path: Path | None
    organizations: pd.DataFrame
    cadres: pd.DataFrame
    posts: pd.DataFrame
    duties: pd.DataFrame
    supervision: pd.DataFrame
    evidence: pd.DataFrame
    problems: pd.DataFrame
    projects: pd.DataFrame
    cases: pd.DataFrame
    indicators: pd.DataFrame
    present: frozenset[str]
    resolved: Resolved = field(default_factory=Resolved, repr=False)
    released: Mapping[str, int] = field(default_factory=dict)

    def table(self, file_name: str) -> pd.DataFrame:
        """The frame of a file of the spec, by file name (``"posts.csv"``).

        Examples
        --------
        >>> from graphmodel.dataset.sample import sample_path
        >>> list(read_dataset(sample_path()).table("posts.csv").columns[:3])
        ['cadre_id', 'org_id', 'role']
        """
        if file_name not in _FIELD:
            raise KeyError(f"{file_name!r} is not a file of the dataset spec")
        frame: pd.DataFrame = getattr(self, _FIELD[file_name])
        return frame

    def entity_positions(self, file_name: str, column: str, *, compact: bool = False) -> np.ndarray:
        """The entity each value of an id column names, as a position (int64): an organization's
        row in ``organizations``, or the number of organizations plus a cadre's row in ``cadres``;
        -1 where the value is empty or names nothing.

        The look-ups validation made are reused as long as the column is the one it checked.
        ``compact``: int32 rather than int64 when the positions fit (for arrays of millions).

        Examples
        --------
        >>> from graphmodel.dataset.sample import sample_path
        >>> data = read_dataset(sample_path())
        >>> at = data.entity_positions("posts.csv", "cadre_id")[0] - len(data.organizations)
        >>> data.cadres["id"].iat[at] == data.posts["cadre_id"].iat[0]
        True
        """
        values = self.table(file_name)[column]
        found = self.resolved.positions(file_name, column, values, compact=compact)
        if found is None:
            gone = sorted({"organizations.csv", "cadres.csv"} & set(self.released))
            if gone:  # the ids to look up are gone: no silent -1 for every value
                raise GraphModelError(f"{file_name} {column}: cannot look up entities once {' and '.join(gone)} "
                                      "were released")
            found = self._entities.find(string_keys(arrow_strings(values)))
        return found

    def rows(self, file_name: str) -> int:
        """The rows of a file: its frame's, or as many as it had before ``release``."""
        return self.released.get(file_name, len(self.table(file_name)))

    def release(self, *file_names: str) -> Dataset:
        """This dataset without the rows of these files (their frames empty, their ``rows`` kept),
        so that their memory can go: an analysis needs the evidence only to build the network.

        Examples
        --------
        >>> from graphmodel.dataset.sample import sample_path
        >>> data = read_dataset(sample_path())
        >>> light = data.release("evidence.csv")
        >>> len(light.evidence), light.rows("evidence.csv") == len(data.evidence), list(light.evidence.columns)[:2]
        (0, True, ['from_id', 'to_id'])
        """
        frames = {_FIELD[name]: _emptied(self.table(name)) for name in file_names}
        rows = {name: self.rows(name) for name in file_names}
        return dataclasses.replace(self, released={**self.released, **rows}, resolved=self.resolved.without(*file_names),
                                   **frames)

    def org_tree(self) -> OrgTree:
        """The organization tree (the one validation built, while the frame is unchanged)."""
        return self.resolved.tree(self.organizations) or OrgTree.from_frame(self.organizations)

    @cached_property
    def _entities(self) -> KeyTable:
        """Organization ids then cadre ids."""
        return entity_table(self.organizations["id"], self.cadres["id"])


_FIELD = {f.name: f.name.removesuffix(".csv") for f in FILES}


def org_tree_of(dataset: Any) -> OrgTree:
    """The organization tree of a ``Dataset`` (validation's, see ``Dataset.org_tree``) or of any
    object with an ``organizations`` frame (built from it)."""
    if isinstance(dataset, Dataset):
        return dataset.org_tree()
    return OrgTree.from_frame(dataset.organizations)


def read_dataset(path: str | Path, *, progress: Progress | None = None) -> Dataset:
    """Read and check a dataset folder.

    Parameters
    ----------
    path : the folder.
    progress : called with a short message as each file is read, then as the rules are checked.

    Returns
    -------
    Dataset

    Raises
    ------
    DatasetError
        The folder breaks the rules; ``problems`` lists every problem found, in every file.

    Examples
    --------
    >>> from graphmodel.dataset.sample import sample_path
    >>> data = read_dataset(sample_path())
    >>> data.organizations.index.name, bool((data.evidence["count"] >= 0).all())
    ('line', True)
    """
    frames, present, problems, resolved = _load(Path(path), progress)
    if problems:
        raise DatasetError(problems)
    data = _typed(Path(path), frames, present, resolved)
    release_after(sum(len(data.table(spec.name)) for spec in FILES))  # the text read, the rules' arrays
    return data


def dataset_problems(path: str | Path, *, progress: Progress | None = None) -> list[Problem]:
    """Every problem of a dataset folder (empty when it passes), sorted by file then line.

    These are the rules of DESIGN §3; evidence rows that match no expected link are found
    when the network is built (``graphmodel.model.network.build_network``).

    Examples
    --------
    >>> import tempfile
    >>> [str(p) for p in dataset_problems(tempfile.mkdtemp())]  # doctest: +NORMALIZE_WHITESPACE
    ['cadres.csv:1: -: the required file is missing',
     'organizations.csv:1: -: the required file is missing',
     'posts.csv:1: -: the required file is missing']
    """
    return sorted(_load(Path(path), progress)[2])


READ_AHEAD = 3
"""Files read ahead of the one the rules ask for: the evidence (the largest file) is then read while
the rules check the posts, and the indicators while they check the evidence."""


def _load(
    folder: Path, progress: Progress | None
) -> tuple[dict[str, pd.DataFrame], frozenset[str], list[Problem], Resolved]:
    """Read every file of the spec that is present, and check the rules across them.

    The files are read one after another (``READ_AHEAD`` ahead) by a background thread while the rules run on the
    ones already read (the organizations and cadres come first), so checking overlaps reading.
    """
    if not folder.is_dir():
        return {}, frozenset(), [Problem(str(folder), 1, WHOLE_ROW, "no such dataset folder")], Resolved()
    with _Reading(folder, progress) as reading:
        if progress is not None:
            progress("checking the rules")
        problems, resolved = check_tables(reading.frames, unreadable=reading.unreadable, checked=reading.checked)
        problems += reading.problems()
        return dict(reading.frames.items()), reading.present, problems, resolved


class _Reading:
    """The spec's files of a folder, read in spec order by a background thread, awaited on use."""

    def __init__(self, folder: Path, progress: Progress | None) -> None:
        self._progress = progress
        specs = [spec for spec in FILES if (folder / spec.name).is_file()]
        self.present = frozenset(spec.name for spec in specs)
        self._missing = [spec.name for spec in FILES if spec.mandatory and spec.name not in self.present]
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="graphmodel-read")
        self._folder, self._specs = folder, specs
        self._futures: dict[str, Future[tuple[pd.DataFrame | None, list[Problem]]]] = {}
        self._submit(READ_AHEAD - 1)
        self._results: dict[str, tuple[pd.DataFrame | None, list[Problem]]] = {}
        self.frames = _Frames(self)
        self.unreadable = _Unreadable(self)

    def __enter__(self) -> _Reading:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, upto: int) -> None:
        """Have the files up to position ``upto`` (in spec order) read, or being read."""
        for spec in self._specs[len(self._futures) : upto + 1]:
            self._futures[spec.name] = self._pool.submit(_read_one, self._folder / spec.name, spec)

    def result(self, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
        """The frame (``None`` if unusable) and the problems of a present file, once it is read.

        ``READ_AHEAD`` files are read ahead of the one asked for: enough to overlap reading with checking,
        without holding the text of every file at once.
        """
        if name not in self._results:
            if self._progress is not None:
                self._progress(f"reading {name}")
            at = [spec.name for spec in self._specs].index(name)
            self._submit(at + READ_AHEAD)
            self._results[name] = self._futures[name].result()
        return self._results[name]

    def checked(self, name: str) -> None:
        """The rules of a file have run: what they freed goes back to the system."""
        frame = self._results[name][0] if name in self._results else None
        if frame is not None and len(frame) > 100_000:
            release_freed()  # (the big files of a large dataset: see ``release_after``)

    def usable(self, name: str) -> bool:
        return name in self.present and self.result(name)[0] is not None

    def broken(self, name: str) -> bool:
        return name in self._missing or (name in self.present and self.result(name)[0] is None)

    def problems(self) -> list[Problem]:
        found = [Problem(name, 1, WHOLE_ROW, "the required file is missing") for name in self._missing]
        for spec in self._specs:
            found += self.result(spec.name)[1]
        return found


class _Frames(Mapping[str, pd.DataFrame]):
    """The usable frames of a ``_Reading``, by file name (reading each on first use)."""

    def __init__(self, reading: _Reading) -> None:
        self._reading = reading

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._reading.usable(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self._reading.result(name)[0] if name in self._reading.present else None
        if frame is None:
            raise KeyError(name)
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter([spec.name for spec in FILES if spec.name in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Unreadable(Collection[str]):
    """The files that are missing though required, or present but unusable."""

    def __init__(self, reading: _Reading) -> None:
        self._reading = reading

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._reading.broken(name)

    def __iter__(self) -> Iterator[str]:
        return iter([spec.name for spec in FILES if spec.name in self])

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _read_one(path: Path, spec: FileSpec) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read one file: its frame, conformed to its spec (``None`` when unusable), and its problems."""
    frame, problems = read_csv_text(path, spec.name)
    if frame is None:
        return None, problems
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        return None, problems + [Problem(spec.name, 1, c, "missing required column") for c in missing]
    return _conform(frame, spec), problems


def _conform(frame: pd.DataFrame, spec: FileSpec) -> pd.DataFrame:
    """Spec columns first (absent optional ones as ``""``), then the extra columns; the columns
    of few values categorical."""
    for column in spec.optional:
        if column not in frame.columns:
            frame[column] = _blank(len(frame), frame.index)
    extras = [c for c in frame.columns if c not in spec.columns]
    frame = frame[list(spec.columns) + extras]
    for column in spec.categorical:  # coded at once: the text of millions of rows is let go here
        frame[column] = _categorical(frame.index, *distinct_codes(frame[column]))
    return frame


def _emptied(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of no rows with the columns and dtypes of ``frame``, sharing none of its data."""
    index = pd.Index(np.zeros(0, dtype=np.int64), name=frame.index.name)
    return pd.DataFrame({c: pd.Series(pd.array([], dtype=frame[c].dtype), index=index) for c in frame.columns}, index=index)


def _blank(n: int, index: pd.Index) -> pd.Series:
    return pd.Series(pa.repeat(pa.scalar("", pa.string()), n).to_pandas(types_mapper={pa.string(): STRING}.get).array,
                     index=index)


def _empty(spec: FileSpec) -> pd.DataFrame:
    index = pd.Index(np.zeros(0, dtype=np.int64), name=LINE)
    return _conform(pd.DataFrame({c: pd.Series([], dtype=STRING, index=index) for c in spec.columns}, index=index), spec)


def _typed(
    folder: Path | None, frames: dict[str, pd.DataFrame], present: frozenset[str], resolved: Resolved | None = None
) -> Dataset:
    """The Dataset of frames that passed: numbers parsed, directions normalized, absent files empty."""
    resolved = resolved or Resolved()
    tables = {spec.name: frames[spec.name] if spec.name in frames else _empty(spec) for spec in FILES}
    evidence = tables["evidence.csv"]
    count = parse_numbers(evidence["count"])
    evidence["count"] = np.where(np.isnan(count), 1.0, count)
    indicators = tables["indicators.csv"]
    indicators["value"] = parse_numbers(indicators["value"]).astype(np.float64)
    if len(indicators):
        direction = indicators["direction"]
        indicators["direction"] = _categorical(indicators.index, *distinct_codes(direction), translate=_ascii_minus)
    fields = {_FIELD[name]: frame for name, frame in tables.items()}
    return Dataset(path=folder, present=present, resolved=resolved, **fields)


def _ascii_minus(values: pa.Array) -> pa.Array:
    return pc.replace_substring(values, "\u2212", "-")


def _categorical(index: pd.Index, distinct: pa.Array, codes: np.ndarray,
                 translate: Callable[[pa.Array], pa.Array] | None = None) -> pd.Series:
    """A ``Categorical`` column from distinct values and codes; the categories sorted (so that
    sorting the column sorts its text), each value first passed through ``translate``."""
    if translate is not None:
        distinct = translate(distinct)
    categories = pc.unique(distinct)
    categories = categories.take(pc.array_sort_indices(categories))
    to_category = pc.index_in(distinct, value_set=categories).to_numpy(zero_copy_only=False)
    width = np.int8 if len(categories) < 2**7 else np.int16 if len(categories) < 2**15 else np.int32
    text = pd.arrays.ArrowStringArray(categories.cast(pa.large_string()))
    cat = pd.Categorical.from_codes(to_category.astype(width)[codes], dtype=pd.CategoricalDtype(pd.Index(text, dtype=STRING)))
    return pd.Series(cat, index=index)
