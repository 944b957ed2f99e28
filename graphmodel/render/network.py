"""One organization's responsibility network in detail: its responsibilities, the links that
reach them and the links they send on, each with its weight; broken links stand out."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from graphmodel.errors import RenderError
from graphmodel.model.network import Network
from graphmodel.render.canvas import (
    BROKEN_COLORS,
    BROKEN_STYLES,
    PRESSURE_CMAP,
    PRESSURE_NORM,
    finish,
    prepare_axes,
    require_columns,
)
from graphmodel.render.fonts import figure_style
from graphmodel.render.labels import check_lang, kind_label, text
from graphmodel.vocabulary import LINK_TYPES, RESPONSIBILITY_KINDS

__all__ = ["plot_org_network", "links_frame"]

_KIND_ORDER = {kind: i for i, kind in enumerate(RESPONSIBILITY_KINDS)}
LINK_COLOR = "#555555"


def links_frame(network: Network) -> pd.DataFrame:
    """Every expected link of a network: ``source``, ``target``, ``link_type``, ``weight``,
    ``structural`` — the links table :func:`plot_org_network` reads.

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> links_frame(chain_network([0.5, 0.0]))[["source", "target", "weight"]].values.tolist()
    [['principal:o0', 'principal:o1', 0.5], ['principal:o1', 'principal:o2', 0.0]]
    """
    ids = network.node_ids()
    return pd.DataFrame({
        "source": ids[network.edge_src],
        "target": ids[network.edge_dst],
        "link_type": pd.Categorical.from_codes(network.edge_type, categories=list(LINK_TYPES)),
        "weight": network.edge_weight,
        "structural": network.edge_structural,
    })


def _category(links: pd.DataFrame, tau_weak: float) -> np.ndarray:
    """``missing``, ``weak`` or ``""`` (active or structural) per link."""
    weight = links["weight"].to_numpy(dtype=np.float64)
    if "structural" in links.columns:
        structural = links["structural"].to_numpy(dtype=bool)
    elif "link_type" in links.columns:
        structural = links["link_type"].astype(str).to_numpy() == "principal_first_person"
    else:
        structural = np.zeros(len(links), dtype=bool)
    out = np.where(weight <= 0, "missing", np.where(weight < tau_weak, "weak", ""))
    out[structural] = ""
    return out.astype(object)


def _sort_key(node_id: str) -> tuple[int, str]:
    kind = node_id.partition(":")[0]
    return _KIND_ORDER.get(kind, len(_KIND_ORDER)), node_id


def _node_label(node_id: str, org_id: str, names: Mapping[str, str], lang: str) -> str:
    kind, _, rest = node_id.partition(":")
    if kind == "dual_duty" and "@" in rest:
        cadre, _, org = rest.rpartition("@")
        who = names.get(cadre, cadre) if org == org_id else f"{names.get(org, org)} {names.get(cadre, cadre)}"
    else:
        who = names.get(rest, rest)
    return f"{who}\n{kind_label(kind, lang)}"


def plot_org_network(
    responsibilities: pd.DataFrame,
    links: pd.DataFrame,
    org_id: str,
    *,
    names: Mapping[str, str] | None = None,
    tau_weak: float = 0.5,
    max_nodes: int = 16,
    ax: Axes | None = None,
    lang: str = "zh",
) -> tuple[Figure, Axes]:
    """Plot the responsibilities of ``org_id`` with every link in and out, weights as labels.

    Three columns: upstream responsibilities that send links in (left), the organization's own
    (middle: 主体责任, 第一责任人责任, each 一岗双责; 监督责任 for a discipline body), and the
    responsibilities its links reach (right). Boxes are coloured by pressure; links carry their
    weight; broken ones (w < τ_weak, not structural) are purple and dashed (missing) or amber
    and dotted (weak). A column longer than ``max_nodes`` keeps its broken links first and says
    how many it leaves out.

    Parameters
    ----------
    responsibilities : the ``responsibilities`` table (DESIGN §6): ``id``, ``org``,
        ``pressure``.
    links : the expected links: ``source``, ``target``, ``weight``, and ``structural`` or
        ``link_type`` (see :func:`links_frame`).
    org_id : the organization.
    names : organization and cadre ids → display names.
    tau_weak : links below this weight are broken (τ_weak).
    max_nodes : the most boxes one side column shows.
    ax : the Axes to draw on; a new figure when not given.
    lang : ``"zh"`` (default) or ``"en"``.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Raises
    ------
    RenderError
        A column is missing, the organization bears no responsibility, or ``lang`` is unknown.

    Examples
    --------
    >>> resp = pd.DataFrame({"id": ["principal:r", "principal:a", "first_person:a", "dual_duty:m@a"],
    ...     "org": ["r", "a", "a", "a"], "pressure": [1.0, 0.6, 0.6, 0.2]})
    >>> links = pd.DataFrame({"source": ["principal:r", "principal:a", "first_person:a"],
    ...     "target": ["principal:a", "first_person:a", "dual_duty:m@a"], "weight": [0.6, 1.0, 0.33],
    ...     "structural": [False, True, False]})
    >>> fig, ax = plot_org_network(resp, links, "a", names={"a": "甲区委", "m": "张三"})
    >>> ax.get_title()
    '甲区委的责任网络'
    >>> sorted(t.get_text() for t in ax.texts if t.get_text().startswith("w="))
    ['w=0.33', 'w=0.60', 'w=1.00']
    """
    check_lang(lang)
    require_columns(responsibilities, ["id", "org", "pressure"], "responsibilities")
    require_columns(links, ["source", "target", "weight"], "links")
    names = dict(names or {})
    ids = responsibilities["id"].astype(str)
    pressure = pd.Series(responsibilities["pressure"].to_numpy(dtype=np.float64), index=ids.to_numpy())
    own = sorted(ids[responsibilities["org"].astype(str) == str(org_id)].tolist(), key=_sort_key)
    if not own:
        raise RenderError(f"organization {org_id!r} bears no responsibility in the table")
    own_set = set(own)
    table = links.assign(source=links["source"].astype(str), target=links["target"].astype(str))
    table = table.assign(category=_category(table, tau_weak))
    src_in, dst_in = table["source"].isin(own_set), table["target"].isin(own_set)
    incoming, internal, outgoing = table[~src_in & dst_in], table[src_in & dst_in], table[src_in & ~dst_in]

    def side(frame: pd.DataFrame, column: str) -> tuple[list[str], int]:
        broken = frame.groupby(column)["category"].apply(lambda c: (c != "").any())
        nodes = sorted(broken.index, key=lambda n: (not broken[n], *_sort_key(n)))
        return sorted(nodes[:max_nodes], key=_sort_key), max(0, len(nodes) - max_nodes)

    left, left_more = side(incoming, "source")
    right, right_more = side(outgoing, "target")
    columns = [(0.0, left, left_more), (1.0, own, 0), (2.0, right, 0 if not right else right_more)]
    height = max(len(left), len(own), len(right), 1)
    with figure_style():
        fig, ax = prepare_axes(ax, (10.0, float(np.clip(0.62 * height + 1.6, 3.5, 16.0))))
        boxes: dict[str, Text] = {}
        place: dict[str, tuple[float, float]] = {}
        for x, nodes, more in columns:
            ys = -(np.arange(len(nodes)) - (len(nodes) - 1) / 2) / (height + 1)
            for node, y in zip(nodes, ys):
                p = float(pressure.get(node, np.nan))
                face = PRESSURE_CMAP(PRESSURE_NORM(p)) if np.isfinite(p) else (1, 1, 1, 1)
                dark = np.isfinite(p) and (p < 0.2 or p > 0.8)
                value = f"p={p:.2f}" if np.isfinite(p) else text("no_pressure", lang)
                boxes[node] = ax.text(x, y, f"{_node_label(node, str(org_id), names, lang)}\n{value}",
                                      ha="center", va="center", fontsize=7, zorder=4,
                                      color="white" if dark else "#111111", linespacing=1.25,
                                      bbox={"boxstyle": "round,pad=0.35", "fc": face, "ec": "#333333",
                                            "lw": 0.6})
                place[node] = (x, float(y))
            if more:
                ax.text(x, -0.5, text("more", lang, count=more), ha="center", va="top", fontsize=7,
                        color="#555555")
        # Where the weight label sits along a link: near the end whose boxes are spread out.
        for frame, bend, near in ((incoming, 0.0, 0.2), (outgoing, 0.0, 0.68), (internal, 0.5, 0.5)):
            for source, target, weight, category in frame[["source", "target", "weight", "category"]].itertuples(index=False):
                if source not in boxes or target not in boxes:
                    continue
                style = {"color": BROKEN_COLORS[category], "ls": BROKEN_STYLES[category], "lw": 1.6} \
                    if category else {"color": LINK_COLOR, "ls": "-", "lw": 0.9}
                (xs, ys_), (xt, yt) = place[source], place[target]
                if bend:  # inside the unit: an arc on the left of the middle column
                    ax.annotate("", xy=(0.0, 0.5), xycoords=boxes[target], xytext=(0.0, 0.5),
                                textcoords=boxes[source], zorder=2,
                                arrowprops={"arrowstyle": "-|>", "mutation_scale": 9, "shrinkA": 1,
                                            "shrinkB": 1, "connectionstyle": f"arc3,rad={bend}", **style})
                    at = (xs - 0.2 - 0.6 * abs(yt - ys_), (ys_ + yt) / 2)
                else:
                    ax.annotate("", xy=(0.0, 0.5), xycoords=boxes[target], xytext=(1.0, 0.5),
                                textcoords=boxes[source], zorder=2,
                                arrowprops={"arrowstyle": "-|>", "mutation_scale": 9, "shrinkA": 1,
                                            "shrinkB": 1, **style})
                    at = (xs + (xt - xs) * near, ys_ + (yt - ys_) * near)
                ax.text(*at, text("weight", lang, value=float(weight)), ha="center", va="center",
                        fontsize=6.5, color=style["color"], zorder=3,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})
        for x, key in ((0.0, "incoming"), (1.0, "own"), (2.0, "outgoing")):
            ax.text(x, 0.56, text(key, lang), ha="center", va="bottom", fontsize=8, color="#555555")
        ax.set_xlim(-0.55, 2.55)
        ax.set_ylim(-0.56, 0.62)
        ax.set_axis_off()
        ax.set_title(text("network_title", lang, org=names.get(str(org_id), str(org_id))))
        handles = [Line2D([], [], color=LINK_COLOR, lw=0.9, label=text("link_ok", lang))]
        for category in ("missing", "weak"):
            if (table.loc[src_in | dst_in, "category"] == category).any():
                handles.append(Line2D([], [], color=BROKEN_COLORS[category], ls=BROKEN_STYLES[category], lw=1.6,
                                      label=text(f"broken_{category}", lang)))
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.06), ncol=len(handles),
                  frameon=False)
        finish(fig, [ax])
    return fig, ax
