"""How the test command runs the notebooks (``pytest --nbmake … notebooks``).

A notebook that needs Neo4j says so in its metadata (``"graphmodel": {"needs": ["neo4j"]}``).
Such a notebook is marked ``neo4j``; before it runs, the server named by NEO4J_URI must answer —
else it is skipped, or fails with CI=true, as the Neo4j tests in ``tests/`` do — and while it
runs it holds the same exclusive lock on the test database as those tests (see
``tests/conftest.py``), because it replaces what the database holds.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

LOCK_WAIT_SECONDS = 900


def needs(path: Path) -> set[str]:
    """What a notebook declares it needs (``metadata.graphmodel.needs``)."""
    if path.suffix != ".ipynb":
        return set()
    metadata = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    return set(metadata.get("graphmodel", {}).get("needs", []))


def lock_path(uri: str, database: str | None) -> Path:
    """The lock file of one Neo4j database: the same path as ``tests/conftest.py`` uses."""
    key = hashlib.sha256(f"{uri}|{database}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"graphmodel-neo4j-{key}.lock"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "neo4j" in needs(Path(str(item.path))):
            item.add_marker(pytest.mark.neo4j)


def _settings() -> object:
    from graphmodel.errors import StoreError
    from graphmodel.store.connection import open_driver
    from graphmodel.store.settings import Neo4jSettings

    try:
        settings = Neo4jSettings.from_env()
        open_driver(settings).close()
    except StoreError as err:
        reason = f"Neo4j is not reachable ({err}); start it with scripts/neo4j start or run scripts/test"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true, so a Neo4j notebook may not skip: {reason}", pytrace=False)
        pytest.skip(reason)
    return settings


def pytest_runtest_setup(item: pytest.Item) -> None:
    if "neo4j" in needs(Path(str(item.path))):
        _settings()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    if "neo4j" not in needs(Path(str(item.path))):
        return (yield)
    settings = _settings()
    with open(lock_path(settings.uri, settings.database), "a+") as fh:  # type: ignore[attr-defined]
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
            return (yield)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
