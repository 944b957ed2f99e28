#!/usr/bin/env python3
"""Draw the graph schema of DESIGN §7 (labels, relationship types, their properties) as a figure.

    python scripts/draw_schema.py            # writes docs/schema.png and docs/schema.svg
    python scripts/draw_schema.py --out DIR  # elsewhere

The schema is a networkx MultiDiGraph built here (one node per label, one edge per relationship
type), checked against ``graphmodel.store.schema`` so the figure cannot drift from the store,
and drawn with matplotlib in the package's CJK font (``graphmodel.render``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import networkx as nx
from matplotlib.patches import FancyArrowPatch

from graphmodel.render import figure_style, save_figure
from graphmodel.render.canvas import finish, prepare_axes
from graphmodel.store.schema import NODE_LABELS, RELATIONSHIP_TYPES

DOCS = Path(__file__).resolve().parents[1] / "docs"

# label: (Chinese, position, DESIGN §7 properties, properties analyze --write adds)
LABELS = {
    "Organization": ("组织", (0.0, 0.0), "id, name, kind, level, region",
                     "ecology_index, ecology_year,\necology_flagged, ecology_reason"),
    "Cadre": ("干部", (0.0, 3.2), "id, name", ""),
    "Responsibility": ("责任", (4.6, 1.6), "id, kind, org, level, holder", "pressure"),
    "Problem": ("问题", (-4.6, 0.9), "id, source, severity, description", ""),
    "Project": ("项目", (-4.6, 3.2), "id, status, due", ""),
    "Case": ("案件", (-2.3, 1.6), "id, date, kind", ""),
    "Indicator": ("指标", (5.0, -2.2), "id, name, direction", ""),
}

# (from, type, to, properties, how the arrow bends: arc3 rad, or "loop-<side>" for a self-loop)
RELATIONSHIPS = [
    ("Cadre", "HOLDS", "Organization", "{role}", 0.45),
    ("Cadre", "IN_CHARGE_OF", "Organization", "分管", -0.45),
    ("Organization", "SUBORDINATE_TO", "Organization", "child → parent", "loop-left"),
    ("Organization", "SUPERVISES", "Organization", "纪检机构 →\n被监督组织", "loop-right"),
    ("Organization", "BEARS", "Responsibility", "principal, supervisory", -0.12),
    ("Cadre", "BEARS", "Responsibility", "first_person, dual_duty", 0.12),
    ("Responsibility", "TRANSMITS_TO", "Responsibility",
     "{weight, structural, type, <channel>: count}\n+ analyze --write: broken, category, impact", "loop-right"),
    ("Problem", "FOUND_IN", "Organization", "", 0.0),
    ("Project", "ADDRESSES", "Problem", "", 0.0),
    ("Cadre", "OWNS", "Project", "", 0.0),
    ("Case", "OCCURRED_IN", "Organization", "", 0.0),
    ("Case", "INVOLVES", "Cadre", "", 0.0),
    ("Organization", "SCORED", "Indicator", "{value, year, direction}", 0.0),
]


def schema_graph() -> nx.MultiDiGraph:
    """The schema as a graph: nodes are labels, edges relationship types (checked against the store)."""
    graph = nx.MultiDiGraph()
    for label, (zh, pos, props, written) in LABELS.items():
        graph.add_node(label, zh=zh, pos=pos, props=props, written=written)
    for a, rel, b, props, bend in RELATIONSHIPS:
        graph.add_edge(a, b, key=rel, props=props, bend=bend)
    if set(graph.nodes) != set(NODE_LABELS):
        raise SystemExit(f"labels differ from graphmodel.store.schema: {sorted(set(graph.nodes) ^ set(NODE_LABELS))}")
    types = {k for _, _, k in graph.edges(keys=True)}
    if types != set(RELATIONSHIP_TYPES):
        raise SystemExit(f"relationship types differ from graphmodel.store.schema: {sorted(types ^ set(RELATIONSHIP_TYPES))}")
    return graph


BOX_W, BOX_H = 1.45, 0.5
"""Half width and half height of a label's box, in data units."""


def _edge_point(pos: tuple[float, float], toward: tuple[float, float]) -> tuple[float, float]:
    """Where the segment from the box centre ``pos`` toward ``toward`` leaves the box."""
    (x, y), (tx, ty) = pos, toward
    dx, dy = tx - x, ty - y
    scale = min(BOX_W / abs(dx) if dx else float("inf"), BOX_H / abs(dy) if dy else float("inf"))
    return x + dx * scale, y + dy * scale


def draw(graph: nx.MultiDiGraph) -> object:
    fig, ax = prepare_axes(None, (13.5, 8.2))
    ax.set_xlim(-6.6, 8.3)
    ax.set_ylim(-3.4, 4.3)
    ax.set_aspect("equal")
    ax.axis("off")
    edge_style = {"arrowstyle": "-|>", "mutation_scale": 14, "color": "#37474F", "lw": 1.3}
    label_style = {"fontsize": 8.5, "ha": "center", "va": "center", "color": "#263238",
                   "bbox": {"boxstyle": "round,pad=0.18", "fc": "white", "ec": "none", "alpha": 0.9}}
    for a, b, rel, data in graph.edges(keys=True, data=True):
        label = a
        pa, pb = graph.nodes[a]["pos"], graph.nodes[b]["pos"]
        text = rel + (f"\n{data['props']}" if data["props"] else "")
        bend = data["bend"]
        if isinstance(bend, str):  # a self-loop on one side of the box
            side = bend.removeprefix("loop-")
            x, y = pa
            low = label == "Organization"  # its upper sides take the arrows from above
            top, bottom = (y + 0.15, y - 0.45) if low else (y + 0.25, y - 0.25)
            if side == "left":
                start, end, mid = (x - BOX_W, top), (x - BOX_W, bottom), (x - BOX_W - 1.05, (top + bottom) / 2 - 0.05)
            else:
                start, end, mid = (x + BOX_W, bottom), (x + BOX_W, top), (x + BOX_W + 1.2, (top + bottom) / 2 + 0.05)
            if low:
                mid = (mid[0] + (-0.45 if side == "left" else 0.4), mid[1])
            else:  # above the loop
                mid = (x + BOX_W + 0.55, y + 0.95)
            ax.add_patch(FancyArrowPatch(start, end, connectionstyle="arc3,rad=2.2", **edge_style))
            ax.text(*mid, text, **label_style)
            continue
        start, end = _edge_point(pa, pb), _edge_point(pb, pa)
        ax.add_patch(FancyArrowPatch(start, end, connectionstyle=f"arc3,rad={bend}", shrinkA=2, shrinkB=2,
                                     **edge_style))
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        if bend:  # the label on the arc's bulge
            dx, dy = end[0] - start[0], end[1] - start[1]
            mx, my = mx + 1.5 * bend * dy / 2, my - 1.5 * bend * dx / 2
        ax.text(mx, my, text, **label_style)
    for label, data in graph.nodes(data=True):
        x, y = data["pos"]
        lead = "\n+ analyze --write:" + ("\n" if "\n" in data["written"] else " ")
        written = lead + data["written"] if data["written"] else ""
        ax.text(x, y + 0.16, f"{label}  {data['zh']}", ha="center", va="center", fontsize=11.5,
                color="#0D47A1",
                bbox={"boxstyle": "round,pad=0.55", "fc": "#E3F2FD", "ec": "#1565C0", "lw": 1.4})
        ax.text(x, y - 0.2, "{" + data["props"] + "}" + written, ha="center", va="top", fontsize=8,
                color="#37474F")
    ax.set_title("graphmodel in Neo4j (DESIGN §7): labels, relationship types and their properties\n"
                 "图模型：节点标签、关系类型及其属性；每个标签的 id 唯一", fontsize=12)
    finish(fig, [ax])
    return fig


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="folder for schema.png and schema.svg")
    args = parser.parse_args()
    with figure_style():
        fig = draw(schema_graph())
        written = save_figure(fig, args.out / "schema", formats=("png", "svg"), dpi=150)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
