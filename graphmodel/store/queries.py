"""The Cypher library for data teams: one query per file under ``queries/``, run by name.

Each ``queries/NAME.cypher`` answers one question. It opens with a header of ``//`` comment
lines, one field per line (a line ``//`` followed by three or more spaces continues the field
above). An empty ``//`` line ends the fields: the comment lines after it are free notes. The
header ends at the first line that is not a comment::

    // question: The chain of command above an organization, up to the root.
    // 问题: 某组织之上的领导链条，逐级上溯至根。
    // param org: string — the organization's id
    // param limit: integer = 50 — at most this many rows
    // :params {org: "O00002", limit: 50}
    // columns: step, org, name, kind, level, secretary, secretary_name, pressure
    // mode: read
    // reads: pressure (graphmodel analyze --write)
    //
    // step 0 is the organization itself; pressure is its principal responsibility's.

=============  ========================================================================
field          meaning
=============  ========================================================================
``question``   the question the query answers, in English (required)
``问题``       the same question in Chinese (required)
``param``      one per parameter: ``NAME: TYPE [= DEFAULT] — DESCRIPTION``; TYPE is one
               of ``PARAM_TYPES``; a parameter without a default is required; DEFAULT is
               a Cypher literal (``null``, ``0.5``, ``50``, ``true``, ``"text"``,
               ``date("2024-12-31")``); ``—`` may be written ``--``
``:params``    a map of example values, pasted as is into Neo4j Browser; it names every
               parameter, and ``make_query_docs.py`` runs the query with it (required)
``columns``    the columns the query returns, in order (required)
``mode``       ``read`` (writes nothing; run in a read transaction) or ``write``
``reads``      what stored results it needs, free text (optional)
=============  ========================================================================

Values reach Neo4j only as ``$parameters``; ``run_query`` checks them against the declared
types, fills in defaults, and returns a pandas DataFrame with exactly the declared columns.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import neo4j
import orjson
import pandas as pd
from neo4j import Driver

from graphmodel.errors import QueryError
from graphmodel.store.connection import open_driver, store_errors
from graphmodel.store.settings import Neo4jSettings

__all__ = [
    "PARAM_TYPES",
    "QUERY_DIR",
    "QueryParam",
    "QuerySpec",
    "coerce_params",
    "get_query",
    "list_queries",
    "parse_assignments",
    "parse_query",
    "read_query",
    "run_query",
    "table_to_csv",
    "table_to_json",
    "used_parameters",
]

QUERY_DIR: Final = Path(__file__).resolve().parents[2] / "queries"
"""The library's folder: ``queries/`` at the top of the repository."""

PARAM_TYPES: Final = ("string", "integer", "float", "boolean", "date")
"""The types a ``param`` line may declare."""

MODES: Final = ("read", "write")

_FIELDS: Final = ("question", "问题", "param", ":params", "columns", "mode", "reads")
_REQUIRED: Final = ("question", "问题", ":params", "columns", "mode")
_PARAM_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z]+)"
    r"(?:\s*=\s*(?P<default>.+?))?\s+(?:—|--)\s+(?P<description>.+)$"
)
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MISSING: Final = object()


@dataclass(frozen=True)
class QueryParam:
    """One declared parameter of a query.

    Attributes
    ----------
    name : as used in the Cypher text (``$name``).
    type : one of ``PARAM_TYPES``.
    description : what it means.
    required : whether a value must be given (no default declared).
    default : the value used when none is given (``None`` for ``= null``).
    """

    name: str
    type: str
    description: str
    required: bool = True
    default: Any = None

    def coerce(self, value: Any) -> Any:
        """``value`` as this parameter's type; strings (from a command line) are parsed.

        The text ``null`` means no value (Cypher ``null``).

        Raises
        ------
        QueryError
            The value does not fit the type, or is null for a required parameter.

        Examples
        --------
        >>> QueryParam("as_of", "date", "the day").coerce("2024-12-31")
        datetime.date(2024, 12, 31)
        >>> QueryParam("limit", "integer", "rows").coerce("1.5")
        Traceback (most recent call last):
        ...
        graphmodel.errors.QueryError: parameter limit: '1.5' is not an integer
        """
        if value is None or (isinstance(value, str) and value == "null" and self.type != "string"):
            if self.required:
                raise QueryError(f"parameter {self.name}: a value is required, not null")
            return None
        if value == "null" and self.type == "string" and not self.required and self.default is None:
            return None
        try:
            return _COERCE[self.type](value)
        except (TypeError, ValueError):
            article = "an" if self.type[0] in "aeiou" else "a"
            raise QueryError(f"parameter {self.name}: {value!r} is not {article} {self.type}") from None


def _to_string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def _to_integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise ValueError


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, (int, float)):
        out = float(value)
    elif isinstance(value, str):
        out = float(value)
    else:
        raise TypeError
    if out != out or out in (float("inf"), float("-inf")):
        raise ValueError
    return out


_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def _to_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return dt.date.fromisoformat(value.strip())
    raise ValueError


_COERCE: Final = {
    "string": _to_string,
    "integer": _to_integer,
    "float": _to_float,
    "boolean": _to_boolean,
    "date": _to_date,
}


@dataclass(frozen=True)
class QuerySpec:
    """One query of the library: its header and its Cypher text.

    Attributes
    ----------
    name : the file's stem; callers refer to the query by it.
    question, question_zh : the question it answers, in English and Chinese.
    params : the declared parameters, in header order.
    example : the ``:params`` example values (parameter name → value).
    example_text : the ``:params`` line as written, for Neo4j Browser.
    columns : the columns it returns, in order.
    mode : ``read`` or ``write``.
    reads : the stored results it needs (free text, may be empty).
    notes : the free text after the fields (may be empty).
    text : the whole file, header included (what is sent to Neo4j).
    path : the file, when read from one.
    """

    name: str
    question: str
    question_zh: str
    params: tuple[QueryParam, ...]
    example: dict[str, Any]
    example_text: str
    columns: tuple[str, ...]
    mode: str
    text: str
    reads: str = ""
    notes: str = ""
    path: Path | None = field(default=None, compare=False)

    @property
    def body(self) -> str:
        """The Cypher text after the header."""
        lines = self.text.splitlines()
        start = 0
        while start < len(lines) and lines[start].lstrip().startswith("//"):
            start += 1
        return "\n".join(lines[start:]).strip()

    def param(self, name: str) -> QueryParam:
        """The declared parameter ``name``.

        Raises
        ------
        QueryError
            The query declares no such parameter.
        """
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name} has no parameter {name!r} (its parameters: {known})")


# ---------------------------------------------------------------------------- literals


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<date>date\(\s*(?:'[^']*'|"[^"]*")\s*\))
      | (?P<number>[+-]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<punct>[{}:,])
    )""",
    re.VERBOSE,
)
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ValueError(f"cannot read {text[pos:pos + 20]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


def _literal(kind: str, token: str) -> Any:
    if kind == "string":
        return _unquote(token)
    if kind == "date":
        return dt.date.fromisoformat(_unquote(token[token.index("(") + 1:-1].strip()))
    if kind == "number":
        return float(token) if any(c in token for c in ".eE") else int(token)
    if kind == "word" and token.lower() in ("null", "true", "false"):
        return {"null": None, "true": True, "false": False}[token.lower()]
    raise ValueError(f"{token!r} is not a literal")


def _parse_literal(text: str) -> Any:
    """A Cypher literal: null, true, false, a number, a quoted string or ``date("…")``.

    Examples
    --------
    >>> [_parse_literal(t) for t in ("null", "0.5", "50", "'a\\\\'b'", 'date("2024-01-02")')]
    [None, 0.5, 50, "a'b", datetime.date(2024, 1, 2)]
    """
    tokens = _tokens(text)
    if len(tokens) != 1:
        raise ValueError(f"{text!r} is not one literal")
    return _literal(*tokens[0])


def _parse_map(text: str) -> dict[str, Any]:
    """A Cypher map of literals, as a ``:params`` line writes it.

    Examples
    --------
    >>> _parse_map('{org: "O1", limit: 5, under: null}')
    {'org': 'O1', 'limit': 5, 'under': None}
    >>> _parse_map("{}")
    {}
    """
    tokens = _tokens(text)
    if len(tokens) < 2 or tokens[0] != ("punct", "{") or tokens[-1] != ("punct", "}"):
        raise ValueError("a map is written {name: value, …}")
    out: dict[str, Any] = {}
    inner = tokens[1:-1]
    i = 0
    while i < len(inner):
        if i + 2 >= len(inner) or inner[i][0] not in ("word",) or inner[i + 1] != ("punct", ":"):
            raise ValueError("a map is written {name: value, …}")
        key = inner[i][1]
        if key in out:
            raise ValueError(f"{key!r} is given twice")
        out[key] = _literal(*inner[i + 2])
        i += 3
        if i < len(inner):
            if inner[i] != ("punct", ",") or i + 1 == len(inner):
                raise ValueError("map entries are separated by commas")
            i += 1
    return out


# ---------------------------------------------------------------------------- parsing


def used_parameters(cypher: str) -> set[str]:
    """The ``$parameters`` a Cypher text uses, outside comments and string literals.

    Examples
    --------
    >>> sorted(used_parameters("MATCH (n {id: $id}) // not $this\\nRETURN '$nor_this', $`odd name`, $id"))
    ['id', 'odd name']
    """
    names: set[str] = set()
    i, n = 0, len(cypher)
    while i < n:
        c = cypher[i]
        if cypher.startswith("//", i):
            end = cypher.find("\n", i)
            i = n if end < 0 else end
        elif cypher.startswith("/*", i):
            end = cypher.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "'\"`":
            j = i + 1
            while j < n and cypher[j] != c:
                j += 2 if cypher[j] == "\\" else 1
            i = j + 1
        elif c == "$":
            if cypher.startswith("`", i + 1):
                end = cypher.find("`", i + 2)
                names.add(cypher[i + 2:end if end > 0 else n])
                i = n if end < 0 else end + 1
            else:
                match = _IDENT.match(cypher, i + 1)
                if match:
                    names.add(match.group(0))
                    i = match.end()
                else:
                    i += 1
        else:
            i += 1
    return names


def parse_query(text: str, name: str, path: Path | None = None) -> QuerySpec:
    """Read a query's header (see the module docstring) and check it.

    Parameters
    ----------
    text : the whole ``.cypher`` file.
    name : the query's name (its file's stem).
    path : the file, for messages.

    Returns
    -------
    QuerySpec

    Raises
    ------
    QueryError
        ``file:line: what is wrong`` for a malformed or incomplete header, ``:params`` that do
        not name exactly the declared parameters or give a value of the wrong type, or
        declared parameters that differ from the ``$parameters`` the Cypher uses.

    Examples
    --------
    >>> spec = parse_query('''// question: How many organizations of a kind?
    ... // 问题: 某类组织有多少？
    ... // param kind: string = "committee" — an organization kind
    ... // :params {kind: "branch"}
    ... // columns: organizations
    ... // mode: read
    ... MATCH (o:Organization {kind: $kind}) RETURN count(o) AS organizations''', "count_kind")
    >>> spec.params[0].default, spec.example, spec.columns
    ('committee', {'kind': 'branch'}, ('organizations',))
    >>> parse_query(spec.text.replace("{kind: $kind}", "{kind: $sort}"), "bad")
    Traceback (most recent call last):
    ...
    graphmodel.errors.QueryError: bad.cypher: the header declares kind but the Cypher uses sort
    """
    where = str(path) if path is not None else f"{name}.cypher"
    fields: list[tuple[str, str, int]] = []
    notes: list[str] = []
    in_notes = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line.startswith("//"):
            break
        content = line[2:]
        if in_notes:
            notes.append(content.strip())
            continue
        if re.match(r"\s{3,}\S", content) and fields:
            key, value, first = fields[-1]
            fields[-1] = (key, f"{value} {content.strip()}", first)
            continue
        content = content.strip()
        if not content:
            in_notes = bool(fields)
            continue
        key, colon, value = content.partition(":") if not content.startswith(":params") else (
            ":params", ":", content[len(":params"):])
        key = key.strip()
        if key.startswith("param ") and colon:
            key, value = "param", content[len("param "):]
        if not colon or key not in _FIELDS:
            raise QueryError(f"{where}:{number}: '{content[:40]}' is not a header field "
                             f"({', '.join(_FIELDS)})")
        fields.append((key, value.strip(), number))

    def one(key: str) -> tuple[str, int]:
        found = [(v, n) for k, v, n in fields if k == key]
        if len(found) > 1:
            raise QueryError(f"{where}:{found[1][1]}: {key} is given twice")
        return found[0] if found else ("", 0)

    for key in _REQUIRED:
        value, _ = one(key)
        if not value:
            raise QueryError(f"{where}: the header lacks '// {key}: …'")
    params: list[QueryParam] = []
    for key, value, number in fields:
        if key != "param":
            continue
        match = _PARAM_LINE.match(value)
        if not match:
            raise QueryError(f"{where}:{number}: write a parameter as "
                             "'// param NAME: TYPE [= DEFAULT] — DESCRIPTION'")
        ptype = match["type"]
        if ptype not in PARAM_TYPES:
            raise QueryError(f"{where}:{number}: type {ptype!r} is not one of {', '.join(PARAM_TYPES)}")
        required = match["default"] is None
        default = None
        spec_param = QueryParam(match["name"], ptype, match["description"].strip(), required, None)
        if not required:
            try:
                default = _parse_literal(match["default"])
                default = None if default is None else spec_param.coerce(default)
            except (ValueError, QueryError) as err:
                raise QueryError(f"{where}:{number}: default of {match['name']}: {err}") from None
        if any(p.name == match["name"] for p in params):
            raise QueryError(f"{where}:{number}: parameter {match['name']} is declared twice")
        params.append(QueryParam(match["name"], ptype, match["description"].strip(), required, default))
    example_text, example_line = one(":params")
    try:
        example = _parse_map(example_text)
    except ValueError as err:
        raise QueryError(f"{where}:{example_line}: :params: {err}") from None
    declared = [p.name for p in params]
    if sorted(example) != sorted(declared):
        raise QueryError(f"{where}:{example_line}: :params names {', '.join(sorted(example)) or 'nothing'} "
                         f"but the header declares {', '.join(sorted(declared)) or 'no parameter'}")
    for p in params:
        try:
            example[p.name] = p.coerce(example[p.name]) if example[p.name] is not None or p.required else None
        except QueryError as err:
            raise QueryError(f"{where}:{example_line}: :params: {err}") from None
    columns_text, columns_line = one("columns")
    columns = tuple(c.strip() for c in columns_text.split(","))
    if any(not c for c in columns) or len(set(columns)) != len(columns):
        raise QueryError(f"{where}:{columns_line}: columns must be distinct names separated by commas")
    mode, mode_line = one("mode")
    if mode not in MODES:
        raise QueryError(f"{where}:{mode_line}: mode must be read or write, not {mode!r}")
    spec = QuerySpec(
        name=name, question=one("question")[0], question_zh=one("问题")[0], params=tuple(params),
        example=example, example_text=f":params {example_text}", columns=columns, mode=mode,
        text=text, reads=one("reads")[0], notes=" ".join(n for n in notes if n), path=path,
    )
    used = used_parameters(spec.body)
    if used != set(declared):
        extra, missing = sorted(set(declared) - used), sorted(used - set(declared))
        parts = []
        if extra:
            parts.append(f"declares {', '.join(extra)}")
        if missing:
            parts.append(f"{'but ' if extra else ''}the Cypher uses {', '.join(missing)}")
        if extra and not missing:
            parts.append("that the Cypher does not use")
        if missing and not extra:
            parts = [f"does not declare {', '.join(missing)}, which the Cypher uses"]
        raise QueryError(f"{where}: the header {' '.join(parts)}")
    if not spec.body:
        raise QueryError(f"{where}: no Cypher after the header")
    return spec


def read_query(path: str | Path) -> QuerySpec:
    """Parse one ``.cypher`` file (its name is the file's stem).

    Raises
    ------
    QueryError
        The file is missing or its header is malformed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise QueryError(f"cannot read query file {path}: {err.strerror}") from None
    return parse_query(text, path.stem, path)


def list_queries(folder: str | Path | None = None) -> list[QuerySpec]:
    """Every query of the library, by name.

    Parameters
    ----------
    folder : the folder of ``.cypher`` files (default ``QUERY_DIR``).

    Raises
    ------
    QueryError
        The folder is missing, or a file's header is malformed.

    Examples
    --------
    >>> specs = list_queries()
    >>> all(s.mode in ("read", "write") for s in specs), "chain_of_command" in [s.name for s in specs]
    (True, True)
    """
    root = Path(folder) if folder is not None else QUERY_DIR
    if not root.is_dir():
        raise QueryError(f"no query folder at {root}")
    return [read_query(p) for p in sorted(root.glob("*.cypher"))]


def get_query(name: str, folder: str | Path | None = None) -> QuerySpec:
    """The query called ``name``.

    Raises
    ------
    QueryError
        No such query (the message lists those there are).

    Examples
    --------
    >>> get_query("level_profile").columns[:3]
    ('level', 'count', 'mean')
    >>> get_query("nonsense")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphmodel.errors.QueryError: no query 'nonsense'; the queries are: ...
    """
    root = Path(folder) if folder is not None else QUERY_DIR
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name) or not (root / f"{name}.cypher").is_file():
        names = ", ".join(p.stem for p in sorted(root.glob("*.cypher")))
        raise QueryError(f"no query {name!r}; the queries are: {names or 'none'}")
    return read_query(root / f"{name}.cypher")


def parse_assignments(pairs: Iterable[str]) -> dict[str, str]:
    """``key=value`` strings (``--param`` options) as a dict; the value may be empty or hold ``=``.

    Raises
    ------
    QueryError
        A string without ``=`` or with an empty key, or a key given twice.

    Examples
    --------
    >>> parse_assignments(["org=O1", "note=a=b"])
    {'org': 'O1', 'note': 'a=b'}
    """
    out: dict[str, str] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip()
        if not eq or not key:
            raise QueryError(f"--param {pair!r}: write it as key=value")
        if key in out:
            raise QueryError(f"--param {key} is given twice")
        out[key] = value
    return out


def coerce_params(spec: QuerySpec, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameters to send: ``given`` checked and converted to the declared types, defaults
    filled in.

    Raises
    ------
    QueryError
        An unknown parameter, a required one missing, or a value of the wrong type.

    Examples
    --------
    >>> spec = get_query("pressure_drops")
    >>> coerce_params(spec, {"rho_drop": "0.25"})
    {'rho_drop': 0.25, 'under': None, 'limit': 50}
    """
    given = dict(given or {})
    out: dict[str, Any] = {}
    for key in given:
        spec.param(key)  # raises for an unknown name
    for p in spec.params:
        value = given.get(p.name, _MISSING)
        if value is _MISSING:
            if p.required:
                raise QueryError(f"query {spec.name} needs parameter {p.name} ({p.type}): {p.description}")
            out[p.name] = p.default
        else:
            out[p.name] = p.coerce(value)
    return out


def _plain(value: Any) -> Any:
    """A driver value as a plain Python value (dates, nodes, lists, maps)."""
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time)):
        return value.to_native()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    if isinstance(value, (neo4j.graph.Node, neo4j.graph.Relationship)):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _frame(keys: Sequence[str], rows: list[list[Any]]) -> pd.DataFrame:
    columns = {k: [row[i] for row in rows] for i, k in enumerate(keys)}
    return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in columns.items()}, columns=list(keys))


def run_query(
    settings: Neo4jSettings,
    name: str | QuerySpec,
    params: Mapping[str, Any] | None = None,
    *,
    folder: str | Path | None = None,
    driver: Driver | None = None,
) -> pd.DataFrame:
    """Run a query of the library by name and return its answer as a DataFrame.

    Parameters
    ----------
    settings : where Neo4j is.
    name : the query's name (or its parsed ``QuerySpec``).
    params : parameter values; strings are converted to the declared types (``"0.5"`` for a
        float, ``"2024-12-31"`` for a date, ``"null"`` for none); omitted ones take their
        defaults.
    folder : the query folder (default ``QUERY_DIR``).
    driver : an open driver to reuse (default: one is opened and closed).

    Returns
    -------
    pandas.DataFrame
        Exactly the header's ``columns``, in order, as object columns (lists stay lists,
        dates are ``datetime.date``); ``attrs`` hold ``query`` and ``params``.

    Raises
    ------
    QueryError
        Unknown query or parameter, a missing or ill-typed value, or an answer whose columns
        differ from the header's.
    StoreError
        Neo4j cannot be reached or rejected the query.

    Examples
    --------
    >>> table = run_query(Neo4jSettings.from_env(), "level_profile")  # doctest: +SKIP
    >>> list(table.columns)  # doctest: +SKIP
    ['level', 'count', 'mean', 'median', 'p10', 'attenuation']
    """
    spec = name if isinstance(name, QuerySpec) else get_query(name, folder)
    values = coerce_params(spec, params)
    routing = neo4j.RoutingControl.READ if spec.mode == "read" else neo4j.RoutingControl.WRITE
    own = driver is None
    active = open_driver(settings) if driver is None else driver
    try:
        with store_errors(settings, f"run query {spec.name} on"):
            records, _, keys = active.execute_query(
                spec.text, values, routing_=routing, database_=settings.database,
            )
    finally:
        if own:
            active.close()
    if tuple(keys) != spec.columns:
        raise QueryError(f"query {spec.name} returned columns {', '.join(keys)}; "
                         f"its header documents {', '.join(spec.columns)}")
    table = _frame(keys, [[_plain(v) for v in record.values()] for record in records])
    table.attrs.update({"query": spec.name, "params": values})
    return table


def _cell(value: Any) -> Any:
    """A value as JSON has it: dates as ISO text, NaN as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return [_cell(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _cell(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _cell(value.item())
    return value


def table_to_json(table: pd.DataFrame) -> str:
    """An answer as a JSON array of records (lists stay arrays, dates ISO text, NaN null).

    Examples
    --------
    >>> print(table_to_json(pd.DataFrame({"org": ["O1"], "missing": [["know"]], "x": [float("nan")]})))
    [
      {
        "org": "O1",
        "missing": [
          "know"
        ],
        "x": null
      }
    ]
    """
    records = [{str(k): _cell(v) for k, v in zip(table.columns, row)} for row in table.itertuples(index=False)]
    return orjson.dumps(records, option=orjson.OPT_INDENT_2).decode()


def table_to_csv(table: pd.DataFrame) -> str:
    """An answer as CSV text; a list cell is written as a JSON array (``["know","assess"]``).

    Examples
    --------
    >>> print(table_to_csv(pd.DataFrame({"org": ["O1"], "missing": [["know", "assess"]]})), end="")
    org,missing
    O1,"[""know"",""assess""]"
    """
    out = table.copy()
    for column in out.columns:
        values = out[column].tolist()
        if any(isinstance(v, (list, dict)) for v in values):
            out[column] = pd.Series([orjson.dumps(_cell(v)).decode() if isinstance(v, (list, dict)) else v
                                     for v in values], dtype=object, index=out.index)
    buffer = io.StringIO()
    out.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
