"""Connection settings and fast, clear failures at the storage boundary."""

from __future__ import annotations

import socket
import time

import pytest

from graphmodel.errors import StoreError
from graphmodel.store.connection import connect, server_info
from graphmodel.store.settings import Neo4jSettings

SECRET = "pa$$w0rd-never-shown"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_from_env_defaults_and_overrides() -> None:
    s = Neo4jSettings.from_env({})
    assert (s.uri, s.username, s.password, s.database) == ("bolt://127.0.0.1:7687", "neo4j", "", None)
    assert s.auth is None
    env = {"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "NEO4J_USERNAME": "ana",
           "NEO4J_PASSWORD": SECRET, "NEO4J_DATABASE": "sales"}
    s = Neo4jSettings.from_env(env)
    assert s.auth == ("ana", SECRET) and s.routing and s.database == "sales"
    assert Neo4jSettings.from_env(env, database="other", username="bo").database == "other"


def test_password_is_never_shown() -> None:
    s = Neo4jSettings("bolt://h:7687", "neo4j", SECRET, None)
    for text in (repr(s), str(s), f"{s}", f"{s!r}", repr([s])):
        assert SECRET not in text


@pytest.mark.parametrize(
    "uri",
    ["http://localhost:7474", "localhost:7687", "bolt://", "bolt://h:99999", "bolt://h/db"],
)
def test_bad_uri_is_refused(uri: str) -> None:
    with pytest.raises(StoreError, match="NEO4J_URI"):
        Neo4jSettings(uri)


def test_credentials_in_uri_are_refused_without_echo() -> None:
    with pytest.raises(StoreError) as info:
        Neo4jSettings(f"bolt://neo4j:{SECRET}@h:7687")
    assert SECRET not in str(info.value)
    with pytest.raises(StoreError) as info:
        Neo4jSettings(f"http://neo4j:{SECRET}@h:7474")
    assert SECRET not in str(info.value)


def test_bad_database_and_username_are_refused() -> None:
    with pytest.raises(StoreError, match="NEO4J_DATABASE"):
        Neo4jSettings(database="no spaces")
    with pytest.raises(StoreError, match="NEO4J_USERNAME"):
        Neo4jSettings(username="")


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_down_server_fails_fast_with_one_line(scheme: str) -> None:
    uri = f"{scheme}://127.0.0.1:{_closed_port()}"
    start = time.monotonic()
    with pytest.raises(StoreError) as info:
        with connect(Neo4jSettings(uri, password=SECRET)):
            pass
    assert time.monotonic() - start < 5
    message = str(info.value)
    assert uri in message and "\n" not in message and SECRET not in message
    assert isinstance(info.value.__cause__, Exception)  # raised from the driver's error


@pytest.mark.neo4j
def test_the_test_server_answers(neo4j_settings: Neo4jSettings) -> None:
    info = server_info(neo4j_settings)
    assert info["version"].split(".")[0].isdigit()
    assert info["edition"] in ("community", "enterprise")


@pytest.mark.neo4j
def test_unknown_database_is_a_clear_error(neo4j_settings: Neo4jSettings) -> None:
    s = Neo4jSettings(neo4j_settings.uri, neo4j_settings.username, neo4j_settings.password, "nosuchdb")
    with pytest.raises(StoreError, match="has no database 'nosuchdb'"):
        with connect(s):
            pass
