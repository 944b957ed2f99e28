"""Open the official Neo4j driver with fast failure, and turn driver errors into ``StoreError``.

Every failure at the storage boundary leaves as a ``StoreError`` with a one-line message that
names the URI and never the password: a server that is down, refused credentials, an unknown
database, a query Neo4j rejects.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import neo4j
from neo4j import Driver, GraphDatabase
from neo4j import exceptions as nx

from graphmodel.errors import StoreError
from graphmodel.store.settings import Neo4jSettings

__all__ = ["open_driver", "connect", "store_errors", "server_info", "CONNECTION_TIMEOUT"]

CONNECTION_TIMEOUT = 5.0
"""Seconds to wait for a TCP connection (and for a free connection from the pool)."""

RETRY_TIME = 5.0
"""Seconds a managed transaction keeps retrying transient failures (the driver's default is 30)."""

# The driver logs some failures (for example "Unable to retrieve routing information") as
# warnings; without this, Python's last-resort handler prints them next to our one-line error.
# Applications that configure logging still receive the records.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def _one_line(text: str, password: str) -> str:
    """``text`` on one line, with the password (if any) masked."""
    line = " ".join(str(text).split())
    if password:
        line = line.replace(password, "***")
    return line


def _reason(text: str) -> str:
    """The socket-level reason inside a driver's connection message, else the whole message.

    Examples
    --------
    >>> _reason("Couldn't connect to h:1 (resolved to ...): Failed to establish connection to "
    ...         "ResolvedIPv4Address(('h', 1)) (reason [Errno 111] Connection refused)")
    'connection refused'
    """
    found = re.search(r"\(reason (?:\[Errno -?\d+\] )?([^()]*)\)\s*$", text)
    return found.group(1).strip().lower() if found else text


@contextmanager
def store_errors(settings: Neo4jSettings, action: str = "talk to") -> Iterator[None]:
    """Translate driver and socket errors raised inside the block into ``StoreError``.

    Parameters
    ----------
    settings : the connection settings (their URI is named in messages, never the password).
    action : what was being done, for the message ("load into", "read from" …).

    Raises
    ------
    StoreError
        For any ``neo4j`` driver error or ``OSError`` raised in the block.

    Examples
    --------
    >>> s = Neo4jSettings("bolt://db.example.org:7687", password="hunter22")
    >>> with store_errors(s, "read from"):
    ...     raise nx.AuthError("bad credentials for hunter22")
    Traceback (most recent call last):
    ...
    graphmodel.errors.StoreError: Neo4j at bolt://db.example.org:7687 refused the credentials of user 'neo4j' (check NEO4J_USERNAME and NEO4J_PASSWORD)
    """
    where = f"Neo4j at {settings.uri}"
    try:
        yield
    except StoreError:
        raise
    except nx.AuthError as err:
        raise StoreError(
            f"{where} refused the credentials of user {settings.username!r} "
            "(check NEO4J_USERNAME and NEO4J_PASSWORD)"
        ) from err
    except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as err:
        reason = _reason(_one_line(str(err), settings.password))
        raise StoreError(
            f"cannot {action} {where}: {reason} "
            "(is the server running? scripts/neo4j start, or set NEO4J_URI)"
        ) from err
    except nx.ConfigurationError as err:
        raise StoreError(f"cannot {action} {where}: {_one_line(str(err), settings.password)}") from err
    except nx.Neo4jError as err:
        code = err.code or ""
        if code.endswith("DatabaseNotFound"):
            raise StoreError(f"{where} has no database {settings.database!r} (check NEO4J_DATABASE)") from err
        if code.startswith("Neo.ClientError.Security"):
            raise StoreError(f"{where} refused {action} for user {settings.username!r}: {code}") from err
        message = _one_line(err.message or str(err), settings.password)
        raise StoreError(f"{where} rejected a query ({code}): {message}") from err
    except nx.DriverError as err:
        raise StoreError(f"cannot {action} {where}: {_one_line(str(err), settings.password)}") from err


def open_driver(settings: Neo4jSettings, *, verify: bool = True) -> Driver:
    """A driver for ``settings`` with short timeouts; checked to connect unless ``verify=False``.

    Parameters
    ----------
    settings : where and how to connect.
    verify : open one connection now (and check the database exists), so that a server that is
        down or refuses the credentials fails here, in about a second, not in the first query.

    Returns
    -------
    neo4j.Driver
        The caller closes it (or use ``connect``).

    Raises
    ------
    StoreError
        The server is unreachable, refuses the credentials, or lacks the database.

    Examples
    --------
    >>> driver = open_driver(Neo4jSettings("bolt://127.0.0.1:1"), verify=False)
    >>> driver.close()
    """
    with store_errors(settings, "connect to"):
        driver = GraphDatabase.driver(
            settings.uri,
            auth=settings.auth,
            connection_timeout=CONNECTION_TIMEOUT,
            connection_acquisition_timeout=CONNECTION_TIMEOUT,
            max_transaction_retry_time=RETRY_TIME,
            user_agent=f"graphmodel neo4j-python/{neo4j.__version__}",
        )
    if not verify:
        return driver
    try:
        with store_errors(settings, "connect to"):
            driver.verify_connectivity()
            if settings.database is not None:
                driver.execute_query("RETURN 1", database_=settings.database, routing_="r")
    except BaseException:
        driver.close()
        raise
    return driver


@contextmanager
def connect(settings: Neo4jSettings) -> Iterator[Driver]:
    """``open_driver`` as a context manager that closes the driver.

    Examples
    --------
    >>> from graphmodel.errors import StoreError
    >>> try:
    ...     with connect(Neo4jSettings("bolt://127.0.0.1:1", password="pw-12345")):
    ...         pass
    ... except StoreError as err:
    ...     print(str(err).startswith("cannot connect to Neo4j at bolt://127.0.0.1:1:"))
    True
    """
    driver = open_driver(settings)
    try:
        yield driver
    finally:
        driver.close()


def server_info(settings: Neo4jSettings) -> dict[str, str]:
    """The server's version and edition (``{"version": "5.26.30", "edition": "community"}``).

    Raises
    ------
    StoreError
        The server cannot be reached.
    """
    with connect(settings) as driver, store_errors(settings, "query"):
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition",
            database_=settings.database,
            routing_="r",
        )
    if not records:
        return {"version": "", "edition": ""}
    return {"version": str(records[0]["version"]), "edition": str(records[0]["edition"])}
