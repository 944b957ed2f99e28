"""Shared fixtures. Neo4j tests: mark them ``@pytest.mark.neo4j`` and use ``neo4j_clean``.

The Neo4j tests run against the server that ``scripts/test`` starts (``scripts/neo4j start``),
reached through NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE. When it cannot
be reached they are skipped, except with CI=true, where they fail.

Community edition has one user database, so every test marked ``neo4j`` joins the xdist group
``neo4j``: with ``--dist loadgroup`` (as ``scripts/test`` runs) they all run in one worker, one
after another, while the other tests run in parallel.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from neo4j import Driver

from graphmodel.errors import StoreError
from graphmodel.store.connection import open_driver, store_errors
from graphmodel.store.settings import Neo4jSettings

NEO4J_GROUP = "neo4j"


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


@pytest.fixture
def neo4j_clean(neo4j_driver: Driver, neo4j_settings: Neo4jSettings) -> Iterator[Neo4jSettings]:
    """An empty database (no data, none of graphmodel's schema) for one test; yields the settings."""
    clear_database(neo4j_driver, neo4j_settings)
    yield neo4j_settings
