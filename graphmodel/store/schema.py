"""The graph's vocabulary in Neo4j (DESIGN §7), its constraints and its indexes.

Labels, relationship types and property keys that Cypher text names come only from the
constants here; values always travel as ``$parameters``.

Every label has a uniqueness constraint on ``id``. ``Indicator`` is keyed by its name: its
node carries ``id`` and ``name``, both equal to the ``indicator`` column's value, so that the
rule "a uniqueness constraint on ``id`` for every label" holds for it too. ``LoadRun`` is the
marker of one load (see ``graphmodel.store.load``).
"""

from __future__ import annotations

from typing import Final

from neo4j import Driver

from graphmodel.store.connection import store_errors
from graphmodel.store.settings import Neo4jSettings

__all__ = [
    "LABELS",
    "NODE_LABELS",
    "RELATIONSHIP_TYPES",
    "CONSTRAINTS",
    "INDEXES",
    "ensure_schema",
    "drop_schema",
    "schema_names",
]

NODE_LABELS: Final = (
    "Organization",
    "Cadre",
    "Responsibility",
    "Problem",
    "Project",
    "Case",
    "Indicator",
)
"""The labels of DESIGN §7, each keyed by ``id``."""

LABELS: Final = NODE_LABELS + ("LoadRun",)
"""Every label graphmodel writes: the contract's, and the load marker."""

RELATIONSHIP_TYPES: Final = (
    "HOLDS",
    "SUBORDINATE_TO",
    "IN_CHARGE_OF",
    "SUPERVISES",
    "BEARS",
    "TRANSMITS_TO",
    "FOUND_IN",
    "ADDRESSES",
    "OWNS",
    "OCCURRED_IN",
    "INVOLVES",
    "SCORED",
)
"""The relationship types of DESIGN §7."""


def _constraint_name(label: str) -> str:
    return f"graphmodel_{label.lower()}_id"


CONSTRAINTS: Final = {
    _constraint_name(label): f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" for label in LABELS
}
"""Name → body of each uniqueness constraint (one per label, on ``id``)."""

INDEXES: Final = {
    "graphmodel_organization_kind": "FOR (n:Organization) ON (n.kind)",
    "graphmodel_organization_level": "FOR (n:Organization) ON (n.level)",
    "graphmodel_responsibility_org": "FOR (n:Responsibility) ON (n.org)",
}
"""Name → body of each range index: organizations by kind or level, the responsibilities of
one organization. (Each index slows loads: three more on ``Responsibility`` cost a third of its
write rate, so kind and level there are left to label scans.)"""

INDEX_WAIT_SECONDS: Final = 300


def schema_names() -> tuple[str, ...]:
    """The names of graphmodel's constraints and indexes.

    Examples
    --------
    >>> "graphmodel_organization_id" in schema_names()
    True
    >>> len(schema_names()) == len(LABELS) + len(INDEXES)
    True
    """
    return tuple(CONSTRAINTS) + tuple(INDEXES)


def ensure_schema(driver: Driver, settings: Neo4jSettings) -> None:
    """Create the constraints and indexes that are missing, and wait until they are online.

    Parameters
    ----------
    driver : an open driver (see ``graphmodel.store.connection.open_driver``).
    settings : the settings the driver was opened with (for the database and messages).

    Raises
    ------
    StoreError
        Neo4j refused a statement, for example because data already breaks a constraint.
    """
    with store_errors(settings, "create the schema in"):
        for name, body in CONSTRAINTS.items():
            driver.execute_query(f"CREATE CONSTRAINT {name} IF NOT EXISTS {body}", database_=settings.database)
        for name, body in INDEXES.items():
            driver.execute_query(f"CREATE INDEX {name} IF NOT EXISTS {body}", database_=settings.database)
        driver.execute_query(
            "CALL db.awaitIndexes($seconds)", seconds=INDEX_WAIT_SECONDS, database_=settings.database
        )


def drop_schema(driver: Driver, settings: Neo4jSettings) -> None:
    """Drop graphmodel's constraints and indexes (the data stays).

    Raises
    ------
    StoreError
        Neo4j refused a statement.
    """
    with store_errors(settings, "drop the schema in"):
        for name in CONSTRAINTS:
            driver.execute_query(f"DROP CONSTRAINT {name} IF EXISTS", database_=settings.database)
        for name in INDEXES:
            driver.execute_query(f"DROP INDEX {name} IF EXISTS", database_=settings.database)
