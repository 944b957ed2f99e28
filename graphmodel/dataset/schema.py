"""The dataset folder's files and columns (DESIGN §3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["FileSpec", "FILES", "REQUIRED_FILES", "spec"]


@dataclass(frozen=True)
class FileSpec:
    """One CSV file of a dataset folder.

    Examples
    --------
    >>> spec("posts.csv").required
    ('cadre_id', 'org_id', 'role')
    """

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    mandatory: bool = False
    key: str | None = None
    """Column whose values must be unique within the file."""
    categorical: tuple[str, ...] = ()
    """Columns of few distinct values, read as pandas ``Categorical`` (see ``reader``)."""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


FILES: Final = (
    FileSpec("organizations.csv", ("id", "name", "kind", "parent_id"), ("region",), True, "id", ("kind",)),
    FileSpec("cadres.csv", ("id", "name"), (), True, "id"),
    FileSpec("posts.csv", ("cadre_id", "org_id", "role"), (), True, categorical=("role",)),
    FileSpec("duties.csv", ("cadre_id", "org_id")),
    FileSpec("supervision.csv", ("discipline_id", "org_id")),
    FileSpec("evidence.csv", ("from_id", "to_id", "channel"), ("count", "date", "note"), categorical=("channel", "date")),
    FileSpec("problems.csv", ("id", "org_id", "source"), ("description", "severity"), key="id",
             categorical=("source", "severity")),
    FileSpec("projects.csv", ("id", "problem_id", "owner_id", "status"), ("due",), key="id", categorical=("status",)),
    FileSpec("cases.csv", ("id", "org_id"), ("cadre_id", "date", "kind"), key="id", categorical=("kind",)),
    FileSpec("indicators.csv", ("org_id", "indicator", "value"), ("year", "direction"),
             categorical=("indicator", "year", "direction")),
)

REQUIRED_FILES: Final = tuple(f.name for f in FILES if f.mandatory)


def spec(name: str) -> FileSpec:
    """The spec of the file called ``name`` (for example ``"posts.csv"``)."""
    for f in FILES:
        if f.name == name:
            return f
    raise KeyError(name)
