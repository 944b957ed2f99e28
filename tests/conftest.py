"""Shared fixtures. Neo4j tests: mark them ``@pytest.mark.neo4j`` and use ``neo4j_clean``.

The Neo4j tests run against the server that ``scripts/test`` starts (``scripts/neo4j start``),
reached through NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE. When it cannot
be reached they are skipped, except with CI=true, where they fail.

Community edition has one user database, so tests that change it must not overlap. Each test
that takes ``neo4j_clean`` holds an exclusive file lock (one per NEO4J_URI and database) from
clearing the database until it ends: tests in other xdist workers, or in another pytest run
against the same server, wait for it. Tests marked ``neo4j`` also join the xdist group
``neo4j`` (``--dist loadgroup``), which keeps them in one worker where pytest-xdist can do so
(pytest-xdist 3.8 cannot under pytest 9, hence the lock).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from neo4j import Driver

from graphmodel.errors import StoreError
from graphmodel.store.connection import open_driver, store_errors
from graphmodel.store.settings import Neo4jSettings

NEO4J_GROUP = "neo4j"

# In CI the property tests draw the same examples on every run (a submission's result does not
# depend on luck); locally they keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    hypothesis_settings.load_profile("ci")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the xdist_group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("neo4j") is not None:
            item.add_marker(pytest.mark.xdist_group(NEO4J_GROUP))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def neo4j_settings() -> Neo4jSettings:
    """Settings of the test server, checked to connect (skip, or fail with CI=true, if not)."""
    try:
        settings = Neo4jSettings.from_env()
        open_driver(settings).close()
    except StoreError as err:
        reason = f"Neo4j is not reachable ({err}); start it with scripts/neo4j start or run scripts/test"
        if _in_ci():
            pytest.fail(f"CI=true, so the Neo4j tests may not skip: {reason}", pytrace=False)
        pytest.skip(reason)
    return settings


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings: Neo4jSettings) -> Iterator[Driver]:
    """One driver for the whole session."""
    driver = open_driver(neo4j_settings)
    try:
        yield driver
    finally:
        driver.close()


def clear_database(driver: Driver, settings: Neo4jSettings) -> None:
    """Delete every node and relationship, and graphmodel's constraints and indexes."""
    from graphmodel.store.schema import drop_schema

    with store_errors(settings, "clear"), driver.session(database=settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    drop_schema(driver, settings)


LOCK_WAIT_SECONDS = 900


def _lock_path(settings: Neo4jSettings) -> Path:
    key = hashlib.sha256(f"{settings.uri}|{settings.database}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"graphmodel-neo4j-{key}.lock"


@pytest.fixture
def neo4j_lock(neo4j_settings: Neo4jSettings) -> Iterator[None]:
    """Exclusive use of the test database for one test (across workers and pytest runs)."""
    with open(_lock_path(neo4j_settings), "a+") as fh:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the Neo4j test database stayed locked for {LOCK_WAIT_SECONDS}s")
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@pytest.fixture
def neo4j_clean(neo4j_lock: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings) -> Iterator[Neo4jSettings]:
    """An empty database (no data, none of graphmodel's schema), for this test alone; yields the settings."""
    clear_database(neo4j_driver, neo4j_settings)
    yield neo4j_settings
