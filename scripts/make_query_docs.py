#!/usr/bin/env python3
"""Write docs/queries.md: the Cypher library, each query with an example answer on the sample.

    python scripts/make_query_docs.py --load   # load the sample into NEO4J_URI, analyse, write back, document
    python scripts/make_query_docs.py          # document against a graph already loaded that way
    python scripts/make_query_docs.py --check  # exit 1 when docs/queries.md is stale

``--load`` replaces graphmodel's nodes in the configured database (NEO4J_URI, NEO4J_USERNAME,
NEO4J_PASSWORD, NEO4J_DATABASE) with the bundled sample, then writes the analysis back
(``analyze`` with as-of date ``AS_OF``, ``write_analysis``). Each query runs with the values of
its own ``:params`` line, so the examples are what a data team sees when pasting that line into
Neo4j Browser. The schema figure comes from ``scripts/draw_schema.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from graphmodel.store.queries import QuerySpec, list_queries, run_query
from graphmodel.store.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "queries.md"
AS_OF = "2025-06-30"
"""The analysis' as-of date (only the three lists use it; the queries take their own)."""
ROWS = 8
"""Rows shown per example."""


def load_sample(settings: Neo4jSettings) -> None:
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.dataset.sample import sample_path
    from graphmodel.model.network import build_network
    from graphmodel.results.findings import analyze
    from graphmodel.store.load import load_dataset
    from graphmodel.store.writeback import write_analysis

    data = read_dataset(sample_path())
    network = build_network(data)
    load_dataset(settings, data, network, replace=True)
    write_analysis(settings, analyze(network, dataset=data, as_of=AS_OF))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("|", "\\|").replace("\n", " ")


def _literal(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return f'date("{value.isoformat()}")'
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _section(spec: QuerySpec, settings: Neo4jSettings) -> list[str]:
    answer = run_query(settings, spec, spec.example)
    lines = [f"### `{spec.name}`", "", f"**{spec.question}**", "", f"**{spec.question_zh}**", ""]
    if spec.notes:
        lines += [spec.notes, ""]
    if spec.params:
        lines += ["| parameter | type | default | meaning |", "|---|---|---|---|"]
        for p in spec.params:
            default = "required" if p.required else f"`{_literal(p.default)}`"
            lines.append(f"| `{p.name}` | {p.type} | {default} | {_cell(p.description)} |")
        lines.append("")
    else:
        lines += ["No parameters.", ""]
    lines += [f"Columns: {', '.join(f'`{c}`' for c in spec.columns)}. Mode: {spec.mode}."
              + (f" Reads: {spec.reads}." if spec.reads else ""), ""]
    command = " ".join(f"-p {k}={'null' if v is None else _cell(v)}" for k, v in spec.example.items())
    lines += ["```", spec.example_text, f"graphmodel query {spec.name} {command}".rstrip(), "```", ""]
    shown = answer.head(ROWS)
    lines.append(f"Example on the sample ({len(answer)} row{'s' if len(answer) != 1 else ''}"
                 + (f", the first {ROWS} shown" if len(answer) > ROWS else "") + "):")
    lines += ["", "| " + " | ".join(spec.columns) + " |", "|" + "---|" * len(spec.columns)]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    lines += ["", "<details><summary>Cypher</summary>", "", "```cypher", spec.body, "```", "", "</details>", ""]
    return lines


HEAD = """# The Cypher library for data teams

`queries/` holds one Cypher query per file, named by the question it answers. Run one by name:

```bash
graphmodel query --list                                   # every query with its question
graphmodel query chain_of_command --param org=O01932      # a table; --format csv or json
```

```python
from graphmodel.store.queries import run_query
from graphmodel.store.settings import Neo4jSettings

table = run_query(Neo4jSettings.from_env(), "weakest_coordination", {"limit": 10})  # a pandas DataFrame
```

or paste a file into Neo4j Browser after its `:params` line. Connection settings come from
NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE (or `--uri`, `--username`,
`--database`). Values reach Neo4j only as `$parameters`; `--param` strings are converted to the
declared types (`0.5` for a float, `2024-12-31` for a date, `null` for none).

## The graph

![The graph in Neo4j: labels, relationship types and their properties](schema.png)

The queries marked *reads* need the analysis written back: `graphmodel analyze` followed by the
write-back (`graphmodel.store.writeback.write_analysis`) stores `pressure` on every
`Responsibility`; `weight`, `broken` and, for broken links, `category` and `impact` on every
`TRANSMITS_TO`; and the 政治生态 portrait on each scored `Organization` (`ecology_index`,
`ecology_year`, `ecology_flagged`, `ecology_reason`). Everything else — 一岗双责 statuses,
四责协同 scores, the closed loop, drops, the three lists, the 一案双查 trace — is computed by the
queries themselves from the stored pressures, weights and evidence counts, so it answers from
the graph as it stands; the tests check that each answer equals the Python analysis.

## The header of a query file

```cypher
// question: What is the chain of command above an organization? …
// 问题: 某组织之上的领导链条是什么？…
// param org: string — the organization's id (organizations.csv)
// param limit: integer = 50 — at most this many rows
// :params {org: "O01932", limit: 50}
// columns: step, org, name, kind, level, secretary, secretary_name, pressure
// mode: read
// reads: pressure on Responsibility nodes (graphmodel analyze --write)
//
// Free notes after an empty comment line.
MATCH …
```

One field per line; a line `//` followed by three or more spaces continues the field above.
`param NAME: TYPE [= DEFAULT] — DESCRIPTION` declares a parameter (types: string, integer,
float, boolean, date; no default means required; the default is a Cypher literal). `:params`
gives an example value for every parameter, ready for Neo4j Browser. `columns` lists the
answer's columns in order; `mode: read` queries run in a read transaction and write nothing.
The tests check every file: its declared parameters are exactly the `$parameters` it uses, it
writes nothing, it returns its columns, and on the sample its answer equals the Python analysis.

## The queries

"""


def render(settings: Neo4jSettings) -> str:
    specs = list_queries()
    lines = [HEAD.rstrip(), ""]
    lines += ["| query | question | 问题 |", "|---|---|---|"]
    lines += [f"| [`{s.name}`](#{s.name}) | {_cell(s.question)} | {_cell(s.question_zh)} |" for s in specs]
    lines.append("")
    for spec in specs:
        lines += _section(spec, settings)
    lines.append("*Generated by `scripts/make_query_docs.py` from `queries/` and the bundled sample.*")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", action="store_true", help="load, analyse and write back the sample first")
    parser.add_argument("--check", action="store_true", help="compare with docs/queries.md, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    settings = Neo4jSettings.from_env()
    if args.load:
        load_sample(settings)
    text = render(settings)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out} is up to date" if same else f"{args.out} is stale: run scripts/make_query_docs.py --load")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
