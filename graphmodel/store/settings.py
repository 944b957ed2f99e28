"""Neo4j connection settings: one validated object, read from NEO4J_* environment variables."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from graphmodel.errors import StoreError

__all__ = ["Neo4jSettings", "DEFAULT_URI", "URI_SCHEMES"]

DEFAULT_URI = "bolt://127.0.0.1:7687"
"""The local server that ``scripts/neo4j start`` runs."""

URI_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""URI schemes the official driver accepts: ``bolt`` for one server, ``neo4j`` for a cluster
or Aura (routing); ``+s`` with a verified certificate, ``+ssc`` with a self-signed one."""

_DATABASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


@dataclass(frozen=True)
class Neo4jSettings:
    """Where and how to reach Neo4j; validated at construction; never shows the password.

    Parameters
    ----------
    uri : ``scheme://host[:port]`` with a scheme of ``URI_SCHEMES``; no credentials in it.
    username : the user to log in as.
    password : the password; empty means no authentication (a server with auth disabled).
    database : the database to use; ``None`` means the server's default (home) database.

    Raises
    ------
    StoreError
        A setting is malformed.

    Examples
    --------
    >>> s = Neo4jSettings("neo4j+s://abcd1234.databases.neo4j.io", "neo4j", "s3cret", "neo4j")
    >>> s
    Neo4jSettings(uri='neo4j+s://abcd1234.databases.neo4j.io', username='neo4j', password='***', database='neo4j')
    >>> "s3cret" in repr(s) + str(s)
    False
    >>> Neo4jSettings("http://localhost:7474")
    Traceback (most recent call last):
    ...
    graphmodel.errors.StoreError: NEO4J_URI 'http://localhost:7474' has scheme 'http'; use one of bolt, bolt+s, bolt+ssc, neo4j, neo4j+s, neo4j+ssc
    """

    uri: str = DEFAULT_URI
    username: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str | None = None

    def __post_init__(self) -> None:
        try:
            parts = urlsplit(self.uri)
            port = parts.port
        except ValueError as err:
            raise StoreError(f"NEO4J_URI {self._safe_uri()!r} is not a valid URI: {err}") from None
        if parts.scheme not in URI_SCHEMES:
            raise StoreError(
                f"NEO4J_URI {self._safe_uri()!r} has scheme {parts.scheme!r}; "
                f"use one of {', '.join(URI_SCHEMES)}"
            )
        if parts.username is not None or parts.password is not None:
            raise StoreError(
                "NEO4J_URI must not carry credentials; set NEO4J_USERNAME and NEO4J_PASSWORD"
            )
        if not parts.hostname:
            raise StoreError(f"NEO4J_URI {self.uri!r} names no host")
        if port == 0:
            raise StoreError(f"NEO4J_URI {self.uri!r} has port 0")
        if parts.path not in ("", "/") or parts.fragment:
            raise StoreError(
                f"NEO4J_URI {self.uri!r} has a path; name the database with NEO4J_DATABASE"
            )
        if not self.username:
            raise StoreError("NEO4J_USERNAME is empty")
        if self.database is not None and not _DATABASE_NAME.match(self.database):
            raise StoreError(
                f"NEO4J_DATABASE {self.database!r} is not a database name "
                "(letters, digits, '.', '-', '_'; at most 63 characters)"
            )

    def _safe_uri(self) -> str:
        """The URI with any userinfo hidden (for messages about a malformed URI)."""
        head, sep, tail = self.uri.rpartition("@")
        if not sep:
            return self.uri
        scheme, colon, _ = head.partition("://")
        return f"{scheme}://***@{tail}" if colon else f"***@{tail}"

    @property
    def auth(self) -> tuple[str, str] | None:
        """The driver's ``auth`` argument: ``None`` when no password is set.

        Examples
        --------
        >>> Neo4jSettings().auth is None
        True
        """
        return (self.username, self.password) if self.password else None

    @property
    def routing(self) -> bool:
        """Whether the URI asks for routing (a cluster or Aura).

        Examples
        --------
        >>> Neo4jSettings("neo4j+s://db.example.org").routing
        True
        """
        return self.uri.startswith("neo4j")

    def __repr__(self) -> str:
        shown = "'***'" if self.password else "''"
        return (
            f"Neo4jSettings(uri={self.uri!r}, username={self.username!r}, "
            f"password={shown}, database={self.database!r})"
        )

    def __str__(self) -> str:
        db = self.database or "default database"
        return f"{self.username}@{self.uri} ({db})"

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        uri: str | None = None,
        username: str | None = None,
        password: str | None = None,
        database: str | None = None,
    ) -> Neo4jSettings:
        """Read NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE.

        Parameters
        ----------
        environ : the variables to read (default: ``os.environ``).
        uri, username, password, database : overrides, for example from command-line
            options; ``None`` keeps the environment's value.

        Returns
        -------
        Neo4jSettings
            Unset or empty variables take the defaults: ``bolt://127.0.0.1:7687``, user
            ``neo4j``, no password, the server's default database.

        Raises
        ------
        StoreError
            A value is malformed.

        Examples
        --------
        >>> Neo4jSettings.from_env({"NEO4J_DATABASE": "", "NEO4J_PASSWORD": "pw"})
        Neo4jSettings(uri='bolt://127.0.0.1:7687', username='neo4j', password='***', database=None)
        >>> Neo4jSettings.from_env({"NEO4J_URI": "neo4j://db:7687"}, database="sales").database
        'sales'
        """
        env = os.environ if environ is None else environ

        def pick(override: str | None, name: str, default: str) -> str:
            if override is not None:
                return override
            return env.get(name) or default

        db = pick(database, "NEO4J_DATABASE", "")
        return cls(
            uri=pick(uri, "NEO4J_URI", DEFAULT_URI).strip(),
            username=pick(username, "NEO4J_USERNAME", "neo4j"),
            password=pick(password, "NEO4J_PASSWORD", ""),
            database=db or None,
        )
