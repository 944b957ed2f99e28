"""Vacancies: responsibilities an organization should have a bearer for, but has none.

Three categories (DESIGN §5): ``secretary`` — an organization bearing ``principal`` without a
secretary, so ``first_person`` is unborne; ``supervision`` — a committee or leading group that no
discipline body supervises, so ``supervisory`` does not reach it; ``members`` — an organization
bearing ``principal`` with no member or deputy secretary who bears 一岗双责 (``dual_duty``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphmodel.model.network import DUAL_DUTY, FIRST_PERSON, PRINCIPAL, SP_LINK, Network
from graphmodel.vocabulary import ORG_KINDS

__all__ = ["VACANCY_CATEGORIES", "VACANCY_COLUMNS", "vacancies"]

VACANCY_CATEGORIES = ("secretary", "supervision", "members")
VACANCY_COLUMNS = ("org", "category", "responsibility", "reason")
"""The DESIGN §6 columns, first in that order; explanatory columns follow."""

_RESPONSIBILITY = ("first_person", "supervisory", "dual_duty")
_REASON = (
    "no secretary: 第一责任人 (first_person) is unborne",
    "no discipline body supervises it: 监督责任 (supervisory) does not reach it",
    "no member or deputy secretary bears 一岗双责 (dual_duty)",
)
_SUPERVISED_KINDS = (ORG_KINDS.index("committee"), ORG_KINDS.index("leading_group"))


def vacancies(network: Network) -> pd.DataFrame:
    """Every vacancy of the network's organizations.

    Returns
    -------
    pandas.DataFrame
        ``org, category, responsibility, reason`` (DESIGN §6): ``category`` is ``secretary``,
        ``supervision`` or ``members``; ``responsibility`` the organization's ``principal:X``,
        the responsibility the vacancy leaves without its support (an id of the
        ``responsibilities`` table); ``reason`` a sentence. Then ``vacant`` (the kind of the
        unborne responsibility: ``first_person``, ``supervisory`` or ``dual_duty``), ``kind``
        and ``level`` of the organization. One row per (org, category), in the organizations'
        dataset order, categories in that order.

    Examples
    --------
    >>> from graphmodel.analysis._examples import chain_network
    >>> table = vacancies(chain_network([0.5]))  # two bare committees: nobody bears anything
    >>> table[["org", "category", "responsibility", "vacant"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['o0', 'secretary', 'principal:o0', 'first_person'], ['o0', 'supervision', 'principal:o0', 'supervisory'],
     ['o0', 'members', 'principal:o0', 'dual_duty'], ['o1', 'secretary', 'principal:o1', 'first_person'],
     ['o1', 'supervision', 'principal:o1', 'supervisory'], ['o1', 'members', 'principal:o1', 'dual_duty']]
    """
    tree = network.tree
    n_orgs = len(tree)
    kind, org = network.node_kind, network.node_org

    def has(mask: np.ndarray) -> np.ndarray:
        out = np.zeros(n_orgs, dtype=bool)
        out[org[mask]] = True
        return out

    bears = has(kind == PRINCIPAL)
    supervised = np.zeros(n_orgs, dtype=bool)
    supervised[org[network.edge_dst[network.edge_type == SP_LINK]]] = True
    vacant = np.stack([
        bears & ~has(kind == FIRST_PERSON),
        bears & np.isin(tree.kind, _SUPERVISED_KINDS) & ~supervised,
        bears & ~has(kind == DUAL_DUTY),
    ], axis=1)
    orgs, category = np.nonzero(vacant)
    ids = tree.ids[orgs]
    return pd.DataFrame({
        "org": _text(ids),
        "category": pd.Categorical.from_codes(category, categories=list(VACANCY_CATEGORIES)),
        "responsibility": _text("principal:" + ids if len(ids) else ids),
        "reason": _text(np.asarray(_REASON, dtype=object)[category]),
        "vacant": pd.Categorical.from_codes(category, categories=list(_RESPONSIBILITY)),
        "kind": pd.Categorical.from_codes(tree.kind[orgs], categories=list(ORG_KINDS)),
        "level": tree.level[orgs],
    })


def _text(values: np.ndarray) -> pd.Series:
    """Ids as an object column: no conversion of millions of strings to pandas' string dtype."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object, copy=False)
