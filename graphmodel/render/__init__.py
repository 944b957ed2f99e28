"""Figures for briefings, drawn with matplotlib from the result tables of DESIGN §6.

Every label is Chinese by default (``lang="en"`` for English). The package ships its font
(Noto Sans SC, SIL OFL 1.1) and registers it on import, so Chinese renders on a machine with
no CJK font installed. Each figure function takes plain pandas tables — from ``analyze`` in
memory or read back from the CSVs — and an optional ``ax``, and returns ``(fig, ax)``;
:func:`save_figure` writes PNG, SVG and PDF with the font embedded and text kept as text.

========================  ====================================================================
function                  shows
========================  ====================================================================
plot_level_profile        pressure per level, hot/cold bands, blocked levels (上热中温下冷)
plot_org_tree             the organization tree by level, coloured by pressure, broken links
plot_repair_list          broken links ranked by impact
plot_coordination         the 四责协同 components per level or per organization
plot_org_network          one organization's responsibilities and their links in detail
plot_ecology_forest       the 政治生态 index by level, kind or region
plot_ecology_trees        the organizations flagged by the 政治生态 portrait
plot_comparison           two years' level profiles
========================  ====================================================================

Drawing and saving happen inside :func:`figure_style`, a ``matplotlib.rc_context``: the
caller's rcParams are left as they were. New figures are not registered with pyplot.

Examples
--------
>>> import pandas as pd
>>> from graphmodel.render import plot_level_profile, save_figure
>>> fig, ax = plot_level_profile(pd.DataFrame({"level": [0, 1], "mean": [1.0, 0.4]}))
>>> ax.get_xlabel()
'层级'
"""

from graphmodel.render.compare import plot_comparison
from graphmodel.render.coordination import plot_coordination
from graphmodel.render.ecology import plot_ecology_forest, plot_ecology_trees
from graphmodel.render.export import FORMATS, save_figure
from graphmodel.render.fonts import FONT_FAMILY, figure_style, font_path, register_fonts
from graphmodel.render.levels import plot_level_profile
from graphmodel.render.network import links_frame, plot_org_network
from graphmodel.render.repair import plot_repair_list
from graphmodel.render.tree import plot_org_tree, principal_pressure

__all__ = [
    "FONT_FAMILY",
    "FORMATS",
    "figure_style",
    "font_path",
    "links_frame",
    "plot_comparison",
    "plot_coordination",
    "plot_ecology_forest",
    "plot_ecology_trees",
    "plot_level_profile",
    "plot_org_network",
    "plot_org_tree",
    "plot_repair_list",
    "principal_pressure",
    "register_fonts",
    "save_figure",
]
