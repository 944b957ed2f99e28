"""The project's exceptions: one root, a subclass per kind of failure."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "GraphModelError",
    "Problem",
    "DatasetError",
    "NetworkError",
    "StoreError",
    "RenderError",
    "QueryError",
]


class GraphModelError(Exception):
    """Root of every error this package raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a dataset file, located by physical line and column.

    Examples
    --------
    >>> str(Problem("posts.csv", 4, "role", "unknown role 'boss'"))
    "posts.csv:4: role: unknown role 'boss'"
    """

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class DatasetError(GraphModelError):
    """A dataset folder was refused; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = [str(p) for p in self.problems]
        super().__init__(f"{len(lines)} problem(s) in the dataset:\n" + "\n".join(lines))


class NetworkError(GraphModelError):
    """The responsibility network cannot be built (for example it has a cycle)."""


class StoreError(GraphModelError):
    """Neo4j could not be reached, refused the credentials, or a query failed."""


class RenderError(GraphModelError):
    """A figure cannot be drawn: a table lacks a column it needs, or an option is unknown."""


class QueryError(GraphModelError):
    """A query of the ``queries/`` library is unknown, has a malformed header, or was given bad parameters."""
