"""Synthetic dataset folders with planted faults, and the bundled Shanghai sample.

``generate_dataset`` writes a valid dataset folder (DESIGN §3) of any size, with faults planted
at known places, and beside it a ground-truth file (JSON Lines) that lists every fault.
``generate_shanghai_sample`` writes the realistic Shanghai skeleton that ships with the package.

How a dataset is made
---------------------
1. *Skeleton.* The organization tree is built level by level with numpy: the root committee
   and its 同级纪委; district-like committees (each with a 纪委) and municipal leading groups
   (supervised by 派驻 groups of the root's 纪委); township-like committees (some with a
   纪工委), district leading groups (with the district 纪委's 派驻 groups) and the municipal
   groups' branches; 党总支 and 党支部 under the townships, branches under the district groups;
   党支部 under the 党总支. The last level is filled so that the folder has exactly ``orgs``
   organizations.
2. *Plan.* Vectorized over all organizations: team sizes, vacancies, concurrent posts (a member
   of P who is the secretary of its child C; a 纪委书记 who sits on his committee's team), cadre
   numbering, supervision and the discipline line.
3. *Stream.* Chunk by chunk of organizations, every expected transmission link of DESIGN §4 is
   given a state (active, missing or weak) and the evidence rows that make it so, dated over two
   years (2023, 2024): each year's evidence alone gives the link the same state, except for the
   links planted as repaired (broken in 2023, active in 2024) or newly broken (the reverse). The
   recipes thin out down the tree (two or three rows into levels 0–1, one into level 3 and
   below), so pressure cools with depth. Rows of every file are formatted with pyarrow and
   appended to the files. Nothing but the plan (a few arrays per organization) stays in memory.
4. *Pressure.* The network files are read back and the real cascade (``graphmodel.analysis``)
   runs on each year's evidence: the principal pressure each organization receives, per year.
5. *The rest of the mechanism.* Chunk by chunk again: problems (more where pressure is low),
   projects with owners, statuses and due dates, cases (more where pressure is low; most name
   the cadre involved), and five indicators per organization and year (an assessment score that
   rises with the pressure, four counts that fall with it, each with bounded noise).

Ground truth
------------
``OUT.parent / (OUT.name + ".truth.jsonl")``: a first line ``{"meta": {...}}`` then one object
per fault::

    {"fault": "missing_link", "source": NODE, "target": NODE, "category": "missing", "weight": 0.0, "cause": C}
    {"fault": "weak_link", "source": NODE, "target": NODE, "category": "weak", "weight": 0.3297, "cause": C}
    {"fault": "cut_off", "cadre": M, "org": X, "source": "first_person:X", "target": "dual_duty:M@X", "category": ..., "weight": ..., "cause": C}
    {"fault": "vacancy", "org": X, "category": "secretary" | "supervision" | "members", "responsibility": "principal:X"}
    {"fault": "no_duty", "cadre": M, "org": X, "responsibility": "dual_duty:M@X"}
    {"fault": "blocked_level", "level": k, "share": 0.9, "links": n}
    {"fault": "repaired_link" | "newly_broken_link", "source": NODE, "target": NODE, "year": 2024,
     "before": "missing" | "weak" | "active", "after": ..., "weight_before": w, "weight_after": w}
    {"fault": "problem_without_project", "problem": P, "org": X}
    {"fault": "project_without_owner", "project": J, "problem": P, "org": X, "cause": "planted" | "no_candidate"}
    {"fault": "owner_not_in_charge", "project": J, "problem": P, "org": X, "owner": C}
    {"fault": "overdue_project", "project": J, "problem": P, "org": X, "due": D, "as_of": "2024-12-31"}
    {"fault": "ecology_outlier", "org": X, "indicator": I, "year": 2024, "value": v}

``cause`` is ``planted`` (drawn at the fault rate), ``blocked_level`` (a link across the blocked
level, see below) or ``shared_evidence`` (a ``first_person:P → first_person:C`` link whose
evidence pair is the same as that of a cut-off ``first_person:P → dual_duty:S(C)@P``, because
C's secretary sits on P's team). The set of non-structural links with w < 0.5 is exactly the
set of ``missing_link``, ``weak_link`` and ``cut_off`` entries; with one year's evidence only,
that set changes by exactly the ``repaired_link`` and ``newly_broken_link`` entries. The three
lists of ``graphmodel.analysis.lists`` (as of ``meta.as_of``) are exactly the list entries. Every
``ecology_outlier`` is an outlier among its peers; the bounded noise makes no other one, but an
organization that receives much less pressure than its peers may be one (mostly by its index).
"""

from __future__ import annotations

import csv
import json
import math
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphmodel.dataset.schema import spec
from graphmodel.errors import GraphModelError
from graphmodel.vocabulary import CHANNEL_LAMBDA, CHANNELS, ORG_KINDS, PROBLEM_SOURCES, PROJECT_STATUSES, ROLES

__all__ = [
    "FaultRates",
    "GenerateSummary",
    "GeneratorError",
    "MIN_ORGS",
    "generate_dataset",
    "generate_shanghai_sample",
    "truth_path",
    "divisions_path",
]

MIN_ORGS: Final = 30
"""The smallest dataset ``generate_dataset`` makes."""

_CHUNK: Final = 65_536
"""Organizations per streamed chunk (fixed: the output depends on it through the random draws)."""

_FILES: Final = ("organizations.csv", "cadres.csv", "posts.csv", "duties.csv", "supervision.csv", "evidence.csv")
_MECHANISM_FILES: Final = ("problems.csv", "projects.csv", "cases.csv", "indicators.csv")


class GeneratorError(GraphModelError, ValueError):
    """The generator was asked for something it cannot make (too few organizations, bad rates,
    an output folder that is not empty)."""


@dataclass(frozen=True)
class FaultRates:
    """How often each kind of fault is planted.

    Link rates apply to each expected non-structural link; ``cut_off`` to each
    ``first_person:X → dual_duty:M@X`` link; vacancy rates to each eligible organization (never
    the root); ``no_duty`` to each 一岗双责 holder of an organization that has organizations
    below it. A blocked level ``k`` breaks each link that crosses from level ≤ k to level > k
    with probability ``blocked_share``; ``blocked_level=None`` draws k among the middle levels,
    ``blocked_share=0`` plants no blocked level.

    Change over the two years: ``repaired_link`` and ``newly_broken_link`` apply to each link
    that the two years' evidence together makes active — broken in the first year and active in
    the second, or the reverse. The three lists: ``problem_without_project`` to each problem,
    ``project_without_owner``, ``owner_not_in_charge`` and ``overdue_project`` (a project not
    done, due before the truth's ``as_of``) to each project. ``ecology_outlier`` to each
    organization that has peers to be compared with (see ``graphmodel.analysis.ecology``): one
    of its indicators in the last year gets an extreme bad value.

    Examples
    --------
    >>> FaultRates().missing_link
    0.02
    >>> FaultRates(weak_link=0.5, missing_link=0.6)
    Traceback (most recent call last):
    ...
    graphmodel.dataset.generate.GeneratorError: missing_link + weak_link must not exceed 1
    """

    missing_link: float = 0.02
    weak_link: float = 0.03
    cut_off: float = 0.03
    vacancy_secretary: float = 0.02
    vacancy_supervision: float = 0.03
    vacancy_members: float = 0.02
    no_duty: float = 0.04
    blocked_share: float = 0.9
    blocked_level: int | None = None
    repaired_link: float = 0.02
    newly_broken_link: float = 0.02
    problem_without_project: float = 0.06
    project_without_owner: float = 0.04
    owner_not_in_charge: float = 0.05
    overdue_project: float = 0.15
    ecology_outlier: float = 0.01

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if name == "blocked_level":
                continue
            if not 0.0 <= value <= 1.0:
                raise GeneratorError(f"{name} must lie in [0, 1], not {value}")
        if self.missing_link + self.weak_link > 1.0:
            raise GeneratorError("missing_link + weak_link must not exceed 1")
        if self.repaired_link + self.newly_broken_link > 1.0:
            raise GeneratorError("repaired_link + newly_broken_link must not exceed 1")
        if self.project_without_owner + self.owner_not_in_charge > 1.0:
            raise GeneratorError("project_without_owner + owner_not_in_charge must not exceed 1")
        if self.blocked_level is not None and self.blocked_level < 1:
            raise GeneratorError("blocked_level must be a middle level (≥ 1)")


@dataclass(frozen=True)
class GenerateSummary:
    """What ``generate_dataset`` wrote.

    ``rows`` counts the data rows of each file; ``links`` the expected non-structural links,
    ``broken_links`` those with w < 0.5; ``faults`` the truth entries by kind.
    """

    path: Path
    truth_path: Path
    rows: dict[str, int]
    links: int
    broken_links: int
    faults: dict[str, int]
    deepest_level: int
    blocked_level: int | None

    @property
    def organizations(self) -> int:
        return self.rows["organizations.csv"]

    def __str__(self) -> str:
        parts = ", ".join(f"{n} {f.removesuffix('.csv')}" for f, n in self.rows.items())
        faults = ", ".join(f"{n} {k}" for k, n in self.faults.items())
        blocked = "none" if self.blocked_level is None else str(self.blocked_level)
        return (f"{parts}; {self.links} links, {self.broken_links} broken; faults: {faults}; "
                f"levels 0–{self.deepest_level}, blocked level {blocked}; truth {self.truth_path}")


def truth_path(out: Path) -> Path:
    """Where the ground truth of the dataset folder ``out`` is written.

    Examples
    --------
    >>> truth_path(Path("runs/big")).as_posix()
    'runs/big.truth.jsonl'
    """
    out = Path(out)
    return out.parent / (out.name + ".truth.jsonl")


def divisions_path() -> Path:
    """The bundled copy of Shanghai's administrative divisions (city, 16 districts, 234 townships).

    Examples
    --------
    >>> divisions_path().name
    'shanghai-divisions.csv'
    """
    return Path(str(files("graphmodel") / "data" / "shanghai-divisions.csv"))


# ----------------------------------------------------------------------------------------------
# Organization subtypes: kind, team composition, concurrent posts
# ----------------------------------------------------------------------------------------------

COMMITTEE, LEADING_GROUP, BRANCH, DISCIPLINE = range(4)
_KIND_CODE = {k: i for i, k in enumerate(ORG_KINDS)}
assert _KIND_CODE == {"committee": 0, "leading_group": 1, "branch": 2, "discipline": 3}

# subtype: kind, P(deputy), members low, members high (inclusive), P(secretary is a member of
# the parent: concurrent post), P(the 同级纪委's secretary sits on this committee's team)
_SUBTYPES: Final = {
    "root": (COMMITTEE, 1.0, 10, 12, 0.0, 1.0),
    "district": (COMMITTEE, 0.9, 7, 10, 0.0, 0.9),
    "muni_group": (LEADING_GROUP, 0.4, 4, 6, 0.0, 0.0),
    "district_group": (LEADING_GROUP, 0.3, 3, 5, 0.0, 0.0),
    "township": (COMMITTEE, 0.7, 5, 7, 0.08, 0.6),
    "zongzhi": (BRANCH, 0.5, 4, 6, 0.0, 0.0),
    "zhibu": (BRANCH, 0.4, 3, 5, 0.25, 0.0),
    "direct_zhibu": (BRANCH, 0.4, 3, 5, 0.1, 0.0),
    "group_branch": (BRANCH, 0.3, 3, 4, 0.3, 0.0),
    "jiwei": (DISCIPLINE, 1.0, 2, 4, 0.0, 0.0),
    "jigongwei": (DISCIPLINE, 0.3, 1, 2, 0.0, 0.0),
    "paizhu": (DISCIPLINE, 0.5, 1, 2, 0.0, 0.0),
}
_SUB_NAMES: Final = tuple(_SUBTYPES)
_SUB: Final = {name: i for i, name in enumerate(_SUB_NAMES)}
_SUB_KIND = np.array([v[0] for v in _SUBTYPES.values()], dtype=np.int8)
_SUB_PDEP = np.array([v[1] for v in _SUBTYPES.values()])
_SUB_MLO = np.array([v[2] for v in _SUBTYPES.values()], dtype=np.int64)
_SUB_MHI = np.array([v[3] for v in _SUBTYPES.values()], dtype=np.int64)
_SUB_PCONC = np.array([v[4] for v in _SUBTYPES.values()])
_SUB_PJW = np.array([v[5] for v in _SUBTYPES.values()])

_P_DUAL_SUPERVISION: Final = 0.1
"""Share of committees with their own 同级纪委 that the 纪委 above supervises as well."""
_BLOCKED_WEAK: Final = 0.1
"""Share of the broken links across the blocked level that are weak rather than missing."""
_P_GRANDCHILD_DUTY: Final = 0.05
"""Share of team members who are also in charge of one organization two levels down."""


def _by_subtype(values: dict[str, float]) -> np.ndarray:
    return np.array([values.get(name, 0.0) for name in _SUB_NAMES])


# ----------------------------------------------------------------------------------------------
# The rest of the mechanism: problems (三张清单), projects, cases (一案双查), indicators (政治生态).
# Rates rise as the principal pressure q an organization receives falls.
# ----------------------------------------------------------------------------------------------

_PROBLEM_RATE: Final = _by_subtype({"root": 4, "district": 3, "muni_group": 2, "district_group": 1, "township": 1.5,
                                     "zongzhi": 0.4, "zhibu": 0.2, "direct_zhibu": 0.2, "group_branch": 0.25})
"""Problems per organization at full pressure, ×(0.6 + 1.4 (1 − q)) (q of the last year)."""
_CASE_RATE: Final = _by_subtype({"root": 0.3, "district": 1.0, "muni_group": 0.6, "district_group": 0.3,
                                  "township": 0.5, "zongzhi": 0.05, "zhibu": 0.03, "direct_zhibu": 0.03,
                                  "group_branch": 0.04})
"""Cases per organization and year at full pressure, ×(0.2 + 1.8 (1 − q)) (q of that year)."""
_INDICATOR_SCALE: Final = _by_subtype({"root": 4, "district": 4, "muni_group": 2.5, "district_group": 1.5,
                                        "township": 2, "zongzhi": 1, "zhibu": 1, "direct_zhibu": 1,
                                        "group_branch": 1})
"""Size of an organization's counts (a district finds more problems than a 党支部)."""
_INDICATORS: Final = (("assessment_score", "+"), ("personnel_issues", "-"), ("disciplinary_cases", "-"),
                      ("inspection_findings", "-"), ("audit_findings", "-"))
"""年度绩效考核得分, 选人用人问题, 违纪违法案件, 巡视巡察发现问题, 审计发现问题."""
_COUNT_SHAPE: Final = ((1.0, 1.5), (1.2, 2.0), (2.5, 4.0), (2.0, 3.0))
"""Each count indicator is ⌊scale × (a (1 − q) + U(0, b))⌋: the noise b outweighs the effect of the
pressure a, so an indicator is rarely an outlier among its peers by pressure alone (see the tests)."""
_SCORE: Final = (64.0, 14.0, 9.0)
"""assessment_score = base + effect × q + U(−noise, noise), one decimal."""
_SOURCE_CUM: Final = np.cumsum([0.35, 0.2, 0.2, 0.1])
"""Problem sources inspection 35 %, audit 20 %, assessment 20 %, case 10 %, other 15 %."""
_SEVERITY_CUM: Final = np.cumsum([0.5, 0.35])
_P_TWO_PROJECTS: Final = 0.1
_P_NO_DUE: Final = 0.05
_P_CASE_WITHOUT_CADRE: Final = 0.1
_AS_OF: Final = "2024-12-31"
"""The date the truth's ``overdue_project`` entries are judged against."""
_DESCRIPTIONS: Final = {
    "inspection": ["巡察发现：落实全面从严治党主体责任不到位", "巡察发现：“三重一大”事项集体决策执行不严格",
                   "巡视反馈：基层党组织软弱涣散", "巡察发现：整改责任压得不实, 以文件落实整改"],
    "audit": ["审计发现：专项资金使用不规范, 存在挪用风险", "审计发现：政府采购程序不合规", "审计发现：公务接待超标准",
              "审计发现：国有资产管理台账不清"],
    "assessment": ["考核发现：党建工作责任制落实排名靠后", "考核发现：“一岗双责”履职记录缺失",
                   "考核发现：谈心谈话制度执行不经常"],
    "case": ["以案促改：违反中央八项规定精神问题暴露的制度漏洞", "以案促改：工程项目领域廉政风险防控薄弱",
             "以案促改：选人用人把关不严"],
    "other": ["信访反映：村务公开不及时", "日常监督发现：形式主义、官僚主义问题", '群众反映："办事难"、推诿扯皮'],
}
_CASE_KINDS: Final = ("违反中央八项规定精神", "违反组织纪律", "违反廉洁纪律", "违反工作纪律", "失职失责", "职务违法")

# ----------------------------------------------------------------------------------------------
# Evidence recipes: for an active link, a few rows whose Σλ·count ≥ 0.8 (w ≥ 0.55); for a weak
# link, one lone row with 0 < w < 0.5. Each year of an active link has a recipe of its own. The
# recipes thin out down the tree (上热中温下冷): links into levels 0–1 get two or three rows
# (letters, talks, assessments: w ≥ 0.8), links into level 2 the middle recipes, links into
# level 3 and below one row (w 0.55–0.70).
# ----------------------------------------------------------------------------------------------

_L, _M, _T, _R, _A, _I, _C = CHANNELS  # letter, meeting, talk, report, assessment, inspection, accountability
_PP, _FD, _FF, _DUTY, _SP, _SS = range(6)
_Recipe = list[tuple[str, float]]
_STRONG: Final[dict[int, list[_Recipe]]] = {
    _PP: [[(_L, 1), (_M, 1)], [(_L, 1), (_A, 1)], [(_M, 1), (_A, 1)], [(_L, 1)], [(_I, 1), (_M, 1)],
          [(_L, 1), (_M, 2), (_A, 1)], [(_A, 1)], [(_L, 1), (_R, 1), (_A, 1)]],
    _FD: [[(_T, 1)], [(_T, 1), (_L, 1)], [(_L, 1)], [(_T, 1), (_R, 1)], [(_M, 1), (_T, 1)],
          [(_L, 1), (_T, 2)]],
    _FF: [[(_T, 1)], [(_T, 1), (_L, 1)], [(_R, 1), (_T, 1)], [(_C, 1)], [(_T, 2)],
          [(_L, 1), (_A, 1)]],
    _DUTY: [[(_M, 1), (_I, 1)], [(_T, 1)], [(_I, 1)], [(_M, 2)], [(_L, 1), (_M, 1)],
            [(_T, 1), (_A, 1)], [(_M, 1), (_R, 1)]],
    _SP: [[(_I, 1)], [(_I, 1), (_T, 1)], [(_C, 1), (_I, 1)], [(_T, 1), (_R, 1)], [(_A, 1)]],
    _SS: [[(_A, 1)], [(_M, 1), (_R, 1)], [(_L, 1), (_A, 1)], [(_I, 1)]],
}
_UPPER: Final[list[_Recipe]] = [[(_L, 1), (_T, 1)], [(_L, 1), (_A, 1)], [(_T, 1), (_A, 1)], [(_L, 1), (_I, 1)],
                                [(_L, 1), (_T, 1), (_A, 1)], [(_L, 1), (_M, 1), (_A, 1)], [(_T, 2)]]
_WEAK: Final[list[_Recipe]] = [[(_M, 1)], [(_R, 1)], [(_T, 0.5)]]
_TIERS: Final = 3
"""Recipe tiers by the level of the link's target: 0 (levels 0–1), 1 (level 2), 2 (deeper)."""


def _tier_recipes(tier: int, t: int) -> list[_Recipe]:
    if tier == 0:
        return _UPPER
    if tier == 1:
        return _STRONG[t]
    return [r for r in _STRONG[t] if len(r) == 1]


def _recipe_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[tuple[int, int], np.ndarray], np.ndarray, list[str]]:
    recipes: list[list[tuple[str, float]]] = []
    strong: dict[tuple[int, int], np.ndarray] = {}
    for tier in range(_TIERS):
        for t in _STRONG:
            rs = _tier_recipes(tier, t)
            strong[tier, t] = np.arange(len(recipes), len(recipes) + len(rs))
            recipes.extend(rs)
    weak = np.arange(len(recipes), len(recipes) + len(_WEAK))
    recipes.extend(_WEAK)
    counts = sorted({c for r in recipes for _, c in r})
    start: list[int] = []
    length: list[int] = []
    chan: list[int] = []
    cnt: list[int] = []
    for r in recipes:
        start.append(len(chan))
        length.append(len(r))
        for ch, c in r:
            chan.append(CHANNELS.index(ch))
            cnt.append(counts.index(c))
    weights = [1.0 - math.exp(-sum(CHANNEL_LAMBDA[ch] * c for ch, c in r)) for r in recipes]
    for key, ids in strong.items():
        assert min(weights[i] for i in ids) >= 0.55, key
    assert all(0 < weights[i] < 0.5 for i in weak)
    count_text = [f"{c:g}" for c in counts]
    return (np.array(start), np.array(length), np.array(chan), np.array(cnt), strong,
            np.array(weights), count_text)


_REC_START, _REC_LEN, _REC_CHAN, _REC_CNT, _REC_STRONG, _REC_WEIGHT, _COUNT_TEXT = _recipe_table()
_REC_WEAK = np.arange(len(_REC_START) - len(_WEAK), len(_REC_START))


def _recipe_cumulative(ids: np.ndarray) -> np.ndarray:
    weight = 1.0 / _REC_LEN[ids]
    return np.cumsum(weight)[:-1] / weight.sum()


_REC_CUM: Final = {key: _recipe_cumulative(ids) for key, ids in _REC_STRONG.items()}
"""Cumulative choice probabilities of each (tier, link type)'s recipes: a one-row recipe is twice
as likely as a two-row one, three times as likely as a three-row one."""

# Dates: two years; letters early in the year, assessments at its end, the rest any time.
_DATES = np.array(
    [str(np.datetime64("2023-01-01") + np.timedelta64(d, "D")) for d in range(731)], dtype=object)
_CHANNEL_DAYS = {_L: (0, 90), _A: (334, 365)}
_NOTES: Final = {
    _L: ["责任书", "责任清单"],
    _M: ["部署会", "专题会", '专题会, 部署"四责协同"'],
    _T: ["谈心谈话", "提醒谈话", "约谈"],
    _R: ["述责述廉", "专题报告"],
    _A: ["年度考核", "党建考核"],
    _I: ["巡察", "监督检查", "巡察反馈\n整改督办"],
    _C: ["问责", "诫勉"],
}
_P_NOTE: Final = 0.05

# Names.
_SURNAMES: Final = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤") + ["欧阳", "司马", "诸葛", "上官"]
_GIVEN: Final = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘")
_SPECIAL_NAMES: Final = ["欧阳 晓明", "阿依古丽·买买提", "Li, Na", '王"小"明', "扎西 顿珠"]
_P_SPECIAL_NAME: Final = 0.002
_SYLL_A: Final = list("东西南北中新长江海湖山河金宝松青嘉奉崇浦虹杨闵静徐普黄")
_SYLL_B: Final = list("湖江城山港桥安宁华丰阳川林源泉兴桥浜泾塘园庙")
_MUNI_DEPTS: Final = [
    "发展改革委", "经济信息化委", "商务委", "教委", "科委", "民族宗教委", "民政局", "司法局", "财政局",
    "人力资源社会保障局", "规划资源局", "生态环境局", "住房城乡建设管理委", "交通委", "农业农村委",
    "水务局", "文化旅游局", "卫生健康委", "退役军人局", "应急局", "审计局", "市场监管局", "统计局",
    "医保局", "绿化市容局", "体育局", "房屋管理局", "政府外办", "机管局", "知识产权局", "数据局",
]
_DISTRICT_DEPTS: Final = [
    "发展改革委", "财政局", "教育局", "卫生健康委", "民政局", "司法局", "人力资源社会保障局",
    "建设管理委", "市场监管局", "生态环境局", "文化旅游局", "应急管理局",
]
_TOWN_TYPES: Final = ("街道", "镇", "园区")  # 0 street, 1 town, 2 other (industrial park, farm, …)
_ZONGZHI_SUFFIX: Final = ["居民区党总支", "村党总支", "企业党总支"]
_DIRECT_SUFFIX: Final = ["居民区党支部", "村党支部", "企业党支部"]
_DIRECT_SPECIAL: Final = ['"两新"组织联合党支部', "商务楼宇联合党支部（A座, B座）", "物业 联合党支部"]
_P_DIRECT_SPECIAL: Final = 0.04


# ----------------------------------------------------------------------------------------------
# Small vectorized helpers
# ----------------------------------------------------------------------------------------------

_DIGITS4 = np.array([list(f"{i:04d}".encode()) for i in range(10_000)], dtype=np.uint8)


def _ids(prefix: str | np.ndarray, idx: np.ndarray, width: int) -> pa.Array:
    """Fixed-width ids ``prefix + zero-padded idx`` as a pyarrow string array (no Python loop)."""
    n = idx.size
    x = np.asarray(idx, dtype=np.int64)
    groups = []
    for _ in range(-(-width // 4)):
        groups.append(_DIGITS4[x % 10_000])
        x = x // 10_000
    digits = np.concatenate(groups[::-1], axis=1)[:, -width:]
    buf = np.empty((n, width + 1), dtype=np.uint8)
    buf[:, 0] = np.frombuffer(prefix.encode(), np.uint8)[0] if isinstance(prefix, str) else prefix
    buf[:, 1:] = digits
    offsets = np.arange(0, (n + 1) * (width + 1), width + 1, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(buf)])


def _join(*parts: str | pa.Array) -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")


def _num(x: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(x, dtype=np.int64)), pa.string())


_NEEDS_QUOTES = '[,"\r\n]|^\\s|\\s$'


def _csv_text(col: pa.Array) -> pa.Array:
    """Quote the values that need it (RFC 4180), leave the rest bare."""
    need = pc.match_substring_regex(col, _NEEDS_QUOTES)
    if not pc.any(need).as_py():
        return col
    quoted = _join('"', pc.replace_substring(col, '"', '""'), '"')
    return pc.if_else(need, quoted, col)


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ``counts[i]`` rows per owner ``i``: each row's owner and its rank within the owner.

    Examples
    --------
    >>> [a.tolist() for a in _expand(np.array([2, 0, 3]))]
    [[0, 0, 2, 2, 2], [0, 1, 0, 1, 2]]
    """
    counts = np.asarray(counts, dtype=np.int64)
    owner = np.repeat(np.arange(counts.size), counts)
    starts = np.cumsum(counts) - counts
    rank = np.arange(owner.size) - starts[owner]
    return owner, rank


class _CsvOut:
    """One CSV file written in batches of pyarrow string columns."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.fh = open(path, "wb", buffering=1 << 20)
        self.fh.write((",".join(columns) + "\n").encode())
        self.ncols = len(columns)
        self.rows = 0

    def write(self, *cols: pa.Array | str) -> None:
        assert len(cols) == self.ncols
        n = next((len(c) for c in cols if not isinstance(c, str)), 0)
        if n == 0:
            return
        last = _join(cols[-1], "\n") if not isinstance(cols[-1], str) else cols[-1] + "\n"
        line = pc.binary_join_element_wise(*cols[:-1], last, ",")
        _write_strings(self.fh, line)
        self.rows += n

    def close(self) -> None:
        self.fh.close()


def _write_strings(fh: object, arr: pa.Array) -> None:
    """Write the concatenated bytes of a string array (zero copy)."""
    if len(arr) == 0:
        return
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int32, count=len(arr) + 1, offset=arr.offset * 4)
    fh.write(memoryview(bufs[2])[int(offsets[0]):int(offsets[-1])])  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------------
# The skeleton: organizations only
# ----------------------------------------------------------------------------------------------


@dataclass
class _Skeleton:
    parent: np.ndarray
    sub: np.ndarray
    region: np.ndarray
    name: pa.Array
    station: np.ndarray
    regions: list[str]
    blocked_level: int | None = None


class _Builder:
    """Appends blocks of organizations (parents always before their children)."""

    def __init__(self, regions: list[str]) -> None:
        self.regions = regions
        self.parent: list[np.ndarray] = []
        self.sub: list[np.ndarray] = []
        self.region: list[np.ndarray] = []
        self.name: list[pa.Array] = []
        self.short: list[pa.Array] = []
        self.station: list[np.ndarray] = []
        self.n = 0
        self._cache: tuple[int, pa.Array, np.ndarray] | None = None

    def add(self, parent: np.ndarray | Sequence[int], sub: str, name: pa.Array | Sequence[str],
            short: pa.Array | Sequence[str] | None = None, region: np.ndarray | Sequence[int] | None = None,
            station: np.ndarray | Sequence[int] | None = None) -> np.ndarray:
        parent = np.asarray(parent, dtype=np.int64)
        m = parent.size
        name = name if isinstance(name, pa.Array) else pa.array(list(name), pa.string())
        short = name if short is None else (short if isinstance(short, pa.Array) else pa.array(list(short), pa.string()))
        if region is None:
            region = self.regions_of(parent)
        assert len(name) == m and len(short) == m
        assert (parent < self.n).all()
        self.parent.append(parent)
        self.sub.append(np.full(m, _SUB[sub], dtype=np.int8))
        self.region.append(np.asarray(region, dtype=np.int32))
        self.name.append(name)
        self.short.append(short)
        self.station.append(np.full(m, -1, np.int64) if station is None else np.asarray(station, np.int64))
        idx = np.arange(self.n, self.n + m)
        self.n += m
        return idx

    def _lookup(self) -> tuple[pa.Array, np.ndarray]:
        if self._cache is None or self._cache[0] != self.n:
            shorts = pa.concat_arrays(self.short) if self.short else pa.array([], pa.string())
            regions = np.concatenate(self.region) if self.region else np.zeros(0, np.int32)
            self._cache = (self.n, shorts, regions)
        return self._cache[1], self._cache[2]

    def shorts_of(self, idx: np.ndarray) -> pa.Array:
        return self._lookup()[0].take(pa.array(np.asarray(idx, dtype=np.int64)))

    def names_of(self, idx: np.ndarray) -> pa.Array:
        return pa.concat_arrays(self.name).take(pa.array(np.asarray(idx, dtype=np.int64)))

    def regions_of(self, idx: np.ndarray) -> np.ndarray:
        return self._lookup()[1][np.asarray(idx, dtype=np.int64)]

    def skeleton(self) -> _Skeleton:
        return _Skeleton(
            parent=np.concatenate(self.parent), sub=np.concatenate(self.sub),
            region=np.concatenate(self.region), name=pa.concat_arrays(self.name),
            station=np.concatenate(self.station), regions=self.regions)


def _grassroots(b: _Builder, rng: np.random.Generator, towns: np.ndarray, town_type: np.ndarray,
                n_zongzhi: np.ndarray, n_direct: np.ndarray) -> np.ndarray:
    """党总支 and direct 党支部 under each township; returns the 党总支 indices."""
    shorts = b.shorts_of(towns)
    owner, rank = _expand(n_zongzhi)
    zz = b.add(towns[owner], "zongzhi", _join(shorts.take(pa.array(owner)), "第", _num(rank + 1),
                                               pa.array(_ZONGZHI_SUFFIX).take(pa.array(town_type[owner]))))
    owner, rank = _expand(n_direct)
    suffix = town_type[owner].astype(np.int64)
    special = rng.random(owner.size) < _P_DIRECT_SPECIAL
    suffix[special] = 3 + rng.integers(0, len(_DIRECT_SPECIAL), int(special.sum()))
    b.add(towns[owner], "direct_zhibu",
          _join(shorts.take(pa.array(owner)), "第", _num(rank + 1),
                pa.array(_DIRECT_SUFFIX + _DIRECT_SPECIAL).take(pa.array(suffix))))
    return zz


def _zhibu(b: _Builder, zz: np.ndarray, counts: np.ndarray) -> None:
    """党支部 under each 党总支."""
    owner, rank = _expand(counts)
    if owner.size == 0:
        return
    names = b.names_of(zz)
    b.add(zz[owner], "zhibu", _join(names.take(pa.array(owner)), "第", _num(rank + 1), "党支部"))


def _group_branches(b: _Builder, groups: np.ndarray, counts: np.ndarray) -> None:
    owner, rank = _expand(counts)
    shorts = b.shorts_of(groups)
    b.add(groups[owner], "group_branch", _join(shorts.take(pa.array(owner)), "机关第", _num(rank + 1), "党支部"))


def _stations(b: _Builder, jw: int, groups: np.ndarray, per: int, names: Sequence[str]) -> None:
    """派驻 groups of the 纪委 ``jw``, each supervising ``per`` consecutive leading groups;
    ``names[i]`` is the name of the group that supervises the groups ``i * per`` onwards."""
    k = -(-groups.size // per)
    pz = b.add(np.full(k, jw), "paizhu", list(names[:k]))
    b.station[-1] = np.full(k, -1, np.int64)
    _set_station(b, groups, pz[np.arange(groups.size) // per])


def _set_station(b: _Builder, orgs: np.ndarray, stations: np.ndarray) -> None:
    offset = 0
    for block in b.station:
        m = block.size
        sel = (orgs >= offset) & (orgs < offset + m)
        block[orgs[sel] - offset] = stations[sel]
        offset += m


def _syllable_names(rng: np.random.Generator, n: int, suffix: str) -> list[str]:
    a = rng.integers(0, len(_SYLL_A), n)
    c = rng.integers(0, len(_SYLL_B), n)
    return [f"{_SYLL_A[i]}{_SYLL_B[j]}{suffix}" for i, j in zip(a, c)]


def _generic_means(g: float) -> dict[str, float]:
    d = max(1, round(0.3 * g))
    return {"districts": d, "muni_groups": max(1, round(1.2 * d)), "towns": max(1.0, 0.9 * g),
            "groups": max(1.0, 0.45 * g), "zongzhi": max(1.0, 0.45 * g)}


def _generic_expected(g: float) -> float:
    m = _generic_means(g)
    d, mg, t, lg, z = m["districts"], m["muni_groups"], m["towns"], m["groups"], m["zongzhi"]
    town = 1 + 0.6 + z * (1 + 5.5) + 0.3 * z
    district = 2 + t * town + lg * (1 + 2) + math.ceil(lg / 3)
    return 2 + mg * (1 + 2.5) + math.ceil(mg / 2.5) + d * district


def _build_generic(orgs: int, seed: int) -> _Skeleton:
    lo, hi = 0.1, 10_000.0
    for _ in range(100):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if _generic_expected(mid) < orgs else (lo, mid)
    g = lo
    for attempt in range(60):
        sk = _try_generic(orgs, g, np.random.default_rng([seed, 1, attempt]))
        if isinstance(sk, _Skeleton):
            return sk
        g *= 0.93 if sk < 0 else 1.07
    raise GeneratorError(f"cannot lay out {orgs} organizations")  # pragma: no cover


def _try_generic(orgs: int, g: float, rng: np.random.Generator) -> _Skeleton | int:
    """The skeleton, or -1 (too many organizations above the last level) or +1 (too few)."""
    m = _generic_means(g)
    n_d, n_mg = int(m["districts"]), int(m["muni_groups"])
    order = rng.permutation(len(_SYLL_A) * len(_SYLL_B))
    dnames = [f"{_SYLL_A[i // len(_SYLL_B)]}{_SYLL_B[i % len(_SYLL_B)]}" for i in order[:min(n_d, order.size)]]
    dnames += [f"{dnames[i % len(dnames)]}{i // len(dnames) + 1}" for i in range(len(dnames), n_d)]
    dnames = [f"{x}区" for x in dnames]
    b = _Builder(["江海市"] + dnames)
    (root,) = b.add([-1], "root", ["中共江海市委员会"], ["江海市"], region=[0])
    (root_jw,) = b.add([root], "jiwei", ["中共江海市纪律检查委员会"], ["市纪委"])
    # level 1
    districts = b.add(np.full(n_d, root), "district", [f"中共{x}委员会" for x in dnames], dnames,
                      region=np.arange(1, n_d + 1))
    depts = [_MUNI_DEPTS[i % len(_MUNI_DEPTS)] + ("" if i < len(_MUNI_DEPTS) else str(i // len(_MUNI_DEPTS) + 1))
             for i in range(n_mg)]
    muni = b.add(np.full(n_mg, root), "muni_group", [f"市{x}党组" for x in depts], [f"市{x}" for x in depts])
    dist_jw = b.add(districts, "jiwei", [f"中共{x}纪律检查委员会" for x in dnames], [f"{x}纪委" for x in dnames])
    _stations(b, root_jw, muni, 2, [f"市纪委监委第{i + 1}派驻纪检监察组" for i in range(muni.size)])
    # level 2
    n_town = 1 + rng.poisson(m["towns"] - 1, n_d)
    n_group = 1 + rng.poisson(max(0.0, m["groups"] - 1), n_d)
    t_owner, _ = _expand(n_town)
    towns_parent = districts[t_owner]
    town_type = rng.choice(3, size=t_owner.size, p=[0.6, 0.35, 0.05])
    tshort = _join(pa.array(_syllable_names(rng, t_owner.size, "")), pa.array(list(_TOWN_TYPES)).take(pa.array(town_type)))
    tname = _join("中共", tshort, pa.array(["工作委员会", "委员会", "工作委员会"]).take(pa.array(town_type)))
    towns = b.add(towns_parent, "township", tname, tshort)
    g_owner, g_rank = _expand(n_group)
    gshort = _join(b.shorts_of(districts[g_owner]),
                   pa.array(_DISTRICT_DEPTS).take(pa.array(g_rank % len(_DISTRICT_DEPTS))),
                   pa.array([""] + [str(i) for i in range(2, 100)]).take(pa.array(np.minimum(g_rank // len(_DISTRICT_DEPTS), 98))))
    groups = b.add(districts[g_owner], "district_group", _join(gshort, "党组"), gshort)
    for i, d in enumerate(districts):
        mine = groups[g_owner == i]
        _stations(b, int(dist_jw[i]), mine, 3, [f"{dnames[i]}纪委监委第{k + 1}派驻纪检监察组" for k in range(mine.size)])
    has_jw = rng.random(towns.size) < 0.6
    jw_towns = towns[has_jw]
    jw_short = b.shorts_of(jw_towns)
    b.add(jw_towns, "jigongwei", _join(jw_short, pa.array(["纪工委", "纪委", "纪工委"]).take(pa.array(town_type[has_jw]))))
    _group_branches(b, muni, 1 + rng.poisson(1.5, muni.size))
    # level 3
    n_zz = 1 + rng.poisson(m["zongzhi"] - 1, towns.size)
    n_direct = rng.poisson(0.3 * m["zongzhi"], towns.size)
    zz = _grassroots(b, rng, towns, town_type, n_zz, n_direct)
    _group_branches(b, groups, 1 + rng.poisson(1.0, groups.size))
    # level 4: exactly the remaining organizations
    rest = orgs - b.n
    if rest < 0:
        return -1
    if rest > 12 * zz.size:
        return 1
    counts = rng.multinomial(rest, np.full(zz.size, 1.0 / zz.size))
    _zhibu(b, zz, counts)
    assert b.n == orgs
    return b.skeleton()


def _build_shanghai(divisions: Path, seed: int) -> _Skeleton:
    rng = np.random.default_rng([seed, 1])
    with open(divisions, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    city = next(r for r in rows if r["level"] == "city")
    dists = [r for r in rows if r["level"] == "district"]
    dnames = [r["name"] for r in dists]
    b = _Builder([city["name"]] + dnames)
    (root,) = b.add([-1], "root", ["中共上海市委员会"], ["上海市"], region=[0])
    (root_jw,) = b.add([root], "jiwei", ["中共上海市纪律检查委员会"], ["市纪委监委"])
    districts = b.add(np.full(len(dists), root), "district", [f"中共上海市{x}委员会" for x in dnames], dnames,
                      region=np.arange(1, len(dists) + 1))
    muni = b.add(np.full(len(_MUNI_DEPTS), root), "muni_group", [f"市{x}党组" for x in _MUNI_DEPTS],
                 [f"市{x}" for x in _MUNI_DEPTS])
    dist_jw = b.add(districts, "jiwei", [f"中共上海市{x}纪律检查委员会" for x in dnames], [f"{x}纪委监委" for x in dnames])
    # 综合派驻: one group for one or two municipal departments, named after the first
    _stations(b, root_jw, muni, 2, [f"市纪委监委驻市{_MUNI_DEPTS[2 * i]}纪检监察组" for i in range((muni.size + 1) // 2)])
    # districts' leading groups: 8–12 departments each
    n_group = rng.integers(8, len(_DISTRICT_DEPTS) + 1, len(dists))
    g_owner, g_rank = _expand(n_group)
    gshort = [f"{dnames[o]}{_DISTRICT_DEPTS[r]}" for o, r in zip(g_owner, g_rank)]
    groups = b.add(districts[g_owner], "district_group", [f"{x}党组" for x in gshort], gshort)
    for i in range(len(dists)):
        mine = groups[g_owner == i]
        _stations(b, int(dist_jw[i]), mine, 4, [f"{dnames[i]}纪委监委第{k + 1}派驻纪检监察组" for k in range(mine.size)])
    # the 234 township-level units
    code_to_district = {r["code"]: i for i, r in enumerate(dists)}
    towns_rows = [r for r in rows if r["level"] == "township"]
    t_parent = np.array([districts[code_to_district[r["parent_code"]]] for r in towns_rows])
    t_type = np.array([0 if r["name"].endswith("街道") else 1 if r["name"].endswith(("镇", "乡")) else 2 for r in towns_rows])
    t_names = [f"中共上海市{dnames[code_to_district[r['parent_code']]]}{r['name']}"
               + ("工作委员会" if t == 0 else "委员会" if t == 1 else "工作委员会")
               for r, t in zip(towns_rows, t_type)]
    towns = b.add(t_parent, "township", t_names, [r["name"] for r in towns_rows])
    has_jw = rng.random(towns.size) < 0.6
    b.add(towns[has_jw], "jigongwei",
          [f"{r['name']}{'纪委' if t == 1 else '纪工委'}" for r, t, h in zip(towns_rows, t_type, has_jw) if h])
    _group_branches(b, muni, 1 + rng.poisson(0.6, muni.size))
    zz = _grassroots(b, rng, towns, t_type, rng.poisson(1.2, towns.size), 1 + rng.poisson(1.6, towns.size))
    _group_branches(b, groups, np.ones(groups.size, np.int64))
    _zhibu(b, zz, 1 + rng.poisson(0.9, zz.size))
    return b.skeleton()


# ----------------------------------------------------------------------------------------------
# The plan: everything decided per organization before streaming
# ----------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """Per-organization arrays (index = organization number) decided before streaming.

    ``child_list[child_ptr[x]:child_ptr[x + 1]]`` are x's non-discipline children. A team is
    ``own_sec`` (x's own secretary, a new cadre), ``n_dep`` deputies and ``n_mem`` members,
    numbered from ``cadre_start[x]``. ``conc_j[c] = j`` when c's secretary is member ``j`` of
    c's parent (``conc_key = parent * _KMAX + j`` sorted, with ``conc_child``). ``secretary``
    is a cadre number or -1. ``jw_of`` is the 同级纪委; ``jw_in_team`` marks committees whose
    纪委书记 also holds a member post there. ``sup1``/``sup2`` are supervising discipline bodies
    (-1: none); ``line_parent`` is the discipline body above on the discipline line.
    """

    n: int
    parent: np.ndarray
    kind: np.ndarray
    level: np.ndarray
    is_disc: np.ndarray
    n_children: np.ndarray
    child_ptr: np.ndarray
    child_list: np.ndarray
    n_dep: np.ndarray
    n_mem: np.ndarray
    own_sec: np.ndarray
    sec_vac: np.ndarray
    mem_vac: np.ndarray
    sup_vac: np.ndarray
    conc_j: np.ndarray
    conc_key: np.ndarray
    conc_child: np.ndarray
    cadre_start: np.ndarray
    secretary: np.ndarray
    jw_of: np.ndarray
    jw_in_team: np.ndarray
    sup1: np.ndarray
    sup2: np.ndarray
    line_parent: np.ndarray
    width: int
    deepest: int
    blocked: int | None

    @property
    def n_cadres(self) -> int:
        return int(self.cadre_start[-1])


_KMAX: Final = 64  # > the largest team


def _at_least_one(rng: np.random.Generator, eligible: np.ndarray, rate: float) -> np.ndarray:
    """Each eligible organization with probability ``rate``; at least one when the rate is positive."""
    chosen = eligible & (rng.random(eligible.size) < rate)
    if rate > 0 and not chosen.any() and eligible.any():
        candidates = np.flatnonzero(eligible)
        chosen[candidates[rng.integers(0, candidates.size)]] = True
    return chosen


def _plan(sk: _Skeleton, rates: FaultRates, seed: int) -> _Plan:
    rng = np.random.default_rng([seed, 3])
    n = sk.parent.size
    parent, sub = sk.parent, sk.sub.astype(np.int64)
    kind = _SUB_KIND[sub]
    is_disc = kind == DISCIPLINE
    assert parent[0] == -1 and (parent[1:] >= 0).all() and (parent[1:] < np.arange(1, n)).all()
    # levels (non-discipline depth); a discipline body takes its committee's level
    committee_of = np.where(is_disc, parent, -1)
    nested = is_disc & (committee_of >= 0)
    nested &= is_disc[np.maximum(committee_of, 0)]
    committee_of[nested] = parent[committee_of[nested]]
    level = np.zeros(n, np.int64)
    nd = ~is_disc
    idx = np.flatnonzero(nd)[1:]
    level[idx] = -1
    while (level[idx] < 0).any():
        level[idx] = np.where(level[parent[idx]] >= 0, level[parent[idx]] + 1, -1)
    level[is_disc] = level[committee_of[is_disc]]
    deepest = int(level[nd].max())
    # non-discipline children, grouped by parent
    child = np.flatnonzero(nd & (parent >= 0))
    child_list = child[np.argsort(parent[child], kind="stable")]
    n_children = np.bincount(parent[child_list], minlength=n)
    child_ptr = np.concatenate([[0], np.cumsum(n_children)])
    # 同级纪委 and the discipline line
    jw_of = np.full(n, -1, np.int64)
    tongji = is_disc & ~nested
    jw_of[parent[tongji]] = np.flatnonzero(tongji)
    near = np.full(n, -1, np.int64)
    for lv in range(deepest + 1):
        at = np.flatnonzero(nd & (level == lv))
        up = np.where(parent[at] >= 0, near[np.maximum(parent[at], 0)], -1)
        near[at] = np.where(jw_of[at] >= 0, jw_of[at], up)
    line_parent = np.full(n, -1, np.int64)
    line_parent[nested] = parent[nested]
    t_idx = np.flatnonzero(tongji)
    com = parent[t_idx]
    line_parent[t_idx] = np.where(parent[com] >= 0, near[np.maximum(parent[com], 0)], -1)
    # teams and vacancies
    not_root = np.arange(n) > 0
    bears = nd
    sec_vac = _at_least_one(rng, bears & not_root, rates.vacancy_secretary)
    mem_vac = _at_least_one(rng, bears & not_root, rates.vacancy_members)
    n_dep = (rng.random(n) < _SUB_PDEP[sub]).astype(np.int64)
    n_mem = _SUB_MLO[sub] + np.floor(rng.random(n) * (_SUB_MHI[sub] - _SUB_MLO[sub] + 1)).astype(np.int64)
    n_dep[mem_vac] = 0
    n_mem[mem_vac] = 0
    # concurrent posts: the secretary of C is the j-th member of its parent P
    flag = bears & not_root & ~sec_vac & (rng.random(n) < _SUB_PCONC[sub])
    f = flag[child_list].astype(np.int64)
    ex = np.cumsum(f) - f
    base = ex[np.minimum(child_ptr[parent[child_list]], child_list.size - 1)]
    j = ex - base
    ok = (f == 1) & (j < n_mem[parent[child_list]])
    conc_j = np.full(n, -1, np.int64)
    conc_j[child_list[ok]] = j[ok]
    own_sec = np.where(is_disc, True, ~sec_vac & (conc_j < 0))
    block = own_sec.astype(np.int64) + n_dep + n_mem
    cadre_start = np.concatenate([[0], np.cumsum(block)])
    secretary = np.where(own_sec, cadre_start[:-1], -1)
    conc = np.flatnonzero(conc_j >= 0)
    p_of = parent[conc]
    secretary[conc] = cadre_start[p_of] + own_sec[p_of] + n_dep[p_of] + conc_j[conc]
    conc_key = p_of * _KMAX + conc_j[conc]
    order = np.argsort(conc_key)
    conc_key, conc_child = conc_key[order], conc[order]
    # the 纪委书记 sits on the team of his committee (not a 一岗双责 holder)
    jw_in_team = (jw_of >= 0) & (n_dep + n_mem > 0) & (rng.random(n) < _SUB_PJW[sub])
    # supervision: the 同级纪委, else the 派驻 group, else the nearest 纪委 above
    supervised = (kind == COMMITTEE) | (kind == LEADING_GROUP)
    up_near = np.where(parent >= 0, near[np.maximum(parent, 0)], -1)
    sup1 = np.where(jw_of >= 0, jw_of, np.where(sk.station >= 0, sk.station, up_near))
    sup1[~supervised] = -1
    sup2 = np.where(supervised & (jw_of >= 0) & (up_near >= 0) & (rng.random(n) < _P_DUAL_SUPERVISION), up_near, -1)
    sup_vac = _at_least_one(rng, supervised & not_root, rates.vacancy_supervision)
    sup1[sup_vac] = -1
    sup2[sup_vac] = -1
    assert (sup1[supervised & ~sup_vac] >= 0).all()
    # the blocked level
    blocked: int | None = None
    if rates.blocked_share > 0 and deepest >= 2:
        if rates.blocked_level is None:
            blocked = int(rng.integers(1, deepest)) if sk.blocked_level is None else sk.blocked_level
        elif rates.blocked_level >= deepest:
            raise GeneratorError(f"blocked_level {rates.blocked_level} is not a middle level (deepest is {deepest})")
        else:
            blocked = rates.blocked_level
    n_cadres = int(cadre_start[-1])
    width = max(4, len(str(max(n, n_cadres) - 1)))
    return _Plan(n=n, parent=parent, kind=kind, level=level, is_disc=is_disc, n_children=n_children,
                 child_ptr=child_ptr, child_list=child_list, n_dep=n_dep, n_mem=n_mem, own_sec=own_sec,
                 sec_vac=sec_vac, mem_vac=mem_vac, sup_vac=sup_vac, conc_j=conc_j, conc_key=conc_key,
                 conc_child=conc_child, cadre_start=cadre_start, secretary=secretary, jw_of=jw_of,
                 jw_in_team=jw_in_team, sup1=sup1, sup2=sup2, line_parent=line_parent, width=width,
                 deepest=deepest, blocked=blocked)


# ----------------------------------------------------------------------------------------------
# Streaming: rows of every file, chunk by chunk
# ----------------------------------------------------------------------------------------------

_STATE_OK, _STATE_MISSING, _STATE_WEAK = 0, 1, 2
_REPAIRED, _NEWLY_BROKEN = 1, 2
_YEARS: Final = 2
"""Evidence is dated over two years (``_FIRST_YEAR`` and the next)."""
_FIRST_YEAR: Final = 2023
_CAUSES: Final = ("planted", "blocked_level", "shared_evidence")


@dataclass
class _Links:
    """One group of expected links in a chunk (entity codes: org index, or cadre index + n)."""

    ltype: int
    src_level: np.ndarray
    dst_level: np.ndarray
    frm: np.ndarray
    to: np.ndarray
    state: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    recipe: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    cause: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    year_state: np.ndarray = field(default_factory=lambda: np.zeros((_YEARS, 0), np.int8))
    year_recipe: np.ndarray = field(default_factory=lambda: np.zeros((_YEARS, 0), np.int64))
    change: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))

    def subset(self, mask: np.ndarray, ltype: int | None = None, dst_level: np.ndarray | None = None,
               cause: np.ndarray | None = None) -> _Links:
        """The links of ``mask`` (as another link type, or with another cause, when given)."""
        return _Links(self.ltype if ltype is None else ltype, self.src_level[mask],
                      self.dst_level[mask] if dst_level is None else dst_level, self.frm[mask], self.to[mask],
                      self.state[mask], self.recipe[mask], self.cause[mask] if cause is None else cause,
                      self.year_state[:, mask], self.year_recipe[:, mask], self.change[mask])


class _Writer:
    def __init__(self, plan: _Plan, sk: _Skeleton, folder: Path, truth_body: Path, rates: FaultRates, seed: int) -> None:
        self.p, self.sk, self.rates, self.seed = plan, sk, rates, seed
        self.out = {name: _CsvOut(folder / name, spec(name).columns) for name in _FILES}
        self.truth = open(truth_body, "wb", buffering=1 << 20)
        self.faults = {k: 0 for k in ("missing_link", "weak_link", "cut_off", "vacancy_secretary",
                                      "vacancy_supervision", "vacancy_members", "no_duty", "blocked_level",
                                      "repaired_link", "newly_broken_link", "problem_without_project",
                                      "project_without_owner", "owner_not_in_charge", "overdue_project",
                                      "ecology_outlier")}
        self.weight_text = pa.array([f"{w:.4f}" for w in _REC_WEIGHT] + ["0.0"])
        self.folder = folder
        self.mech: dict[str, _CsvOut] = {}
        self.in_charge = np.full(plan.n, -1, np.int64)
        """A cadre in charge of each organization (a duties.csv row), -1 where none is."""
        self.next_id = {"W": 0, "X": 0, "A": 0}
        self.sources = pa.array(list(PROBLEM_SOURCES))
        self.statuses = pa.array(list(PROJECT_STATUSES))
        self.descriptions = _csv_text(pa.array([d for src in PROBLEM_SOURCES for d in _DESCRIPTIONS[src]]))
        self.desc_base = np.cumsum([0] + [len(_DESCRIPTIONS[src]) for src in PROBLEM_SOURCES])
        self.case_kinds = pa.array(list(_CASE_KINDS))
        self.indicator_names = pa.array([name for name, _ in _INDICATORS])
        self.indicator_dirs = pa.array([d for _, d in _INDICATORS])
        self.due_dates = pa.array([str(np.datetime64(f"{_FIRST_YEAR + 1}-01-01") + np.timedelta64(d, "D"))
                                   for d in range(731)])
        self.links = 0
        self.broken = 0
        self.blocked_links = 0
        self.leaf_dual_duty = 0
        self.kinds = pa.array(list(ORG_KINDS))
        self.roles = pa.array(list(ROLES))
        self.channels = pa.array(list(CHANNELS))
        self.counts = pa.array(_COUNT_TEXT)
        self.dates = pa.array(_DATES.tolist())
        self.regions = _csv_text(pa.array(sk.regions))
        note_list: list[str] = [""]
        self.note_base = np.zeros(len(CHANNELS), np.int64)
        self.note_n = np.zeros(len(CHANNELS), np.int64)
        for c, ch in enumerate(CHANNELS):
            self.note_base[c] = len(note_list)
            self.note_n[c] = len(_NOTES[ch])
            note_list.extend(_NOTES[ch])
        self.notes = _csv_text(pa.array(note_list))
        self.surnames = pa.array(_SURNAMES)
        self.given = pa.array([""] + _GIVEN)
        self.special = _csv_text(pa.array(_SPECIAL_NAMES))

    # ids ---------------------------------------------------------------------------------
    def oid(self, idx: np.ndarray) -> pa.Array:
        return _ids("O", idx, self.p.width)

    def cid(self, idx: np.ndarray) -> pa.Array:
        return _ids("C", idx, self.p.width)

    def eid(self, code: np.ndarray) -> pa.Array:
        """Ids of entity codes (organization index, or n + cadre index)."""
        code = np.asarray(code, np.int64)
        is_c = code >= self.p.n
        prefix = np.where(is_c, ord("C"), ord("O")).astype(np.uint8)
        return _ids(prefix, np.where(is_c, code - self.p.n, code), self.p.width)

    # one chunk ---------------------------------------------------------------------------
    def chunk(self, ci: int, a: int, b: int) -> None:
        p = self.p
        rng = np.random.default_rng([self.seed, 2, ci])
        x = np.arange(a, b)
        self._organizations(x)
        self._cadres(rng, int(p.cadre_start[a]), int(p.cadre_start[b]))
        self._posts(x)
        self._vacancies(x)
        groups = [self._principal_links(rng, x), self._first_person_links(rng, x)]
        groups += self._team_links(rng, x)
        groups += self._supervision_links(rng, x)
        groups.append(self._discipline_line(rng, x))
        self._evidence(rng, groups)

    def _organizations(self, x: np.ndarray) -> None:
        p, sk = self.p, self.sk
        par = p.parent[x]
        pid = self.oid(np.maximum(par, 0))
        if (par < 0).any():
            pid = pc.if_else(pa.array(par < 0), "", pid)
        self.out["organizations.csv"].write(
            self.oid(x), _csv_text(sk.name.slice(int(x[0]), x.size)), self.kinds.take(pa.array(p.kind[x])),
            pid, self.regions.take(pa.array(sk.region[x])))

    def _cadres(self, rng: np.random.Generator, c0: int, c1: int) -> None:
        m = c1 - c0
        if m == 0:
            return
        sur = rng.choice(len(_SURNAMES), m, p=_surname_weights())
        two = rng.random(m) < 0.7
        g1 = 1 + rng.integers(0, len(_GIVEN), m)
        g2 = np.where(two, 1 + rng.integers(0, len(_GIVEN), m), 0)
        names = _join(self.surnames.take(pa.array(sur)), self.given.take(pa.array(g1)), self.given.take(pa.array(g2)))
        special = rng.random(m) < _P_SPECIAL_NAME
        if special.any():
            pick = self.special.take(pa.array(rng.integers(0, len(_SPECIAL_NAMES), m)))
            names = pc.if_else(pa.array(special), pick, names)
        self.out["cadres.csv"].write(self.cid(np.arange(c0, c1)), names)

    def _team(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The 一岗双责 holders of the organizations ``x``: (org, cadre, member rank or -1 for a deputy)."""
        p = self.p
        n_dd = np.where(p.is_disc[x], 0, p.n_dep[x] + p.n_mem[x])
        owner, t = _expand(n_dd)
        org = x[owner]
        cadre = p.cadre_start[org] + p.own_sec[org] + t
        rank = t - p.n_dep[org]
        return org, cadre, np.where(rank >= 0, rank, -1)

    def _posts(self, x: np.ndarray) -> None:
        p = self.p
        sec_orgs = x[p.secretary[x] >= 0]
        owner, t = _expand(p.n_dep[x] + p.n_mem[x])
        team_org = x[owner]
        team_cadre = p.cadre_start[team_org] + p.own_sec[team_org] + t
        team_role = np.where(t < p.n_dep[team_org], 1, 2)
        jw_orgs = x[p.jw_in_team[x]]
        org = np.concatenate([sec_orgs, team_org, jw_orgs])
        cadre = np.concatenate([p.secretary[sec_orgs], team_cadre, p.secretary[p.jw_of[jw_orgs]]])
        role = np.concatenate([np.zeros(sec_orgs.size, np.int64), team_role, np.full(jw_orgs.size, 2)])
        order = np.argsort(org, kind="stable")
        self.out["posts.csv"].write(self.cid(cadre[order]), self.oid(org[order]), self.roles.take(pa.array(role[order])))

    def _vacancies(self, x: np.ndarray) -> None:
        p = self.p
        for cat, mask in (("secretary", p.sec_vac), ("supervision", p.sup_vac), ("members", p.mem_vac)):
            orgs = x[mask[x]]
            if orgs.size == 0:
                continue
            o = self.oid(orgs)
            self._truth(_join('{"fault": "vacancy", "org": "', o, f'", "category": "{cat}", "responsibility": "principal:', o, '"}\n'))
            self.faults[f"vacancy_{cat}"] += orgs.size

    # link groups -----------------------------------------------------------------------
    def _decide(self, rng: np.random.Generator, g: _Links, p_missing: float, p_weak: float) -> _Links:
        n = g.frm.size
        u, v, w = rng.random(n), rng.random(n), rng.random(n)
        state = np.zeros(n, np.int8)
        state[v < p_missing] = _STATE_MISSING
        state[(v >= p_missing) & (v < p_missing + p_weak)] = _STATE_WEAK
        cause = np.zeros(n, np.int8)
        k = self.p.blocked
        if k is not None:
            crossing = (g.src_level <= k) & (g.dst_level > k)
            hit = crossing & (u < self.rates.blocked_share)
            state[hit] = np.where(w[hit] < _BLOCKED_WEAK, _STATE_WEAK, _STATE_MISSING)
            cause[hit] = 1
        # the two years: a weak link's lone row falls in one of them; an active link may change
        rates = self.rates
        c = rng.random(n)
        ok = state == _STATE_OK
        change = np.zeros(n, np.int8)
        change[ok & (c < rates.repaired_link)] = _REPAIRED
        change[ok & (c >= rates.repaired_link) & (c < rates.repaired_link + rates.newly_broken_link)] = _NEWLY_BROKEN
        broken_as = np.where(rng.random(n) < 0.5, _STATE_WEAK, _STATE_MISSING).astype(np.int8)
        weak_year = rng.integers(0, _YEARS, n)
        year_state = np.zeros((_YEARS, n), np.int8)
        year_state[:, state == _STATE_MISSING] = _STATE_MISSING
        for y in range(_YEARS):
            weak = state == _STATE_WEAK
            year_state[y, weak] = np.where(weak_year[weak] == y, _STATE_WEAK, _STATE_MISSING)
        year_state[0, change == _REPAIRED] = broken_as[change == _REPAIRED]
        year_state[_YEARS - 1, change == _NEWLY_BROKEN] = broken_as[change == _NEWLY_BROKEN]
        tier = np.where(g.dst_level <= 1, 0, np.where(g.dst_level == 2, 1, 2))
        year_recipe = np.zeros((_YEARS, n), np.int64)
        for y in range(_YEARS):
            strong = np.zeros(n, np.int64)
            u_pick = rng.random(n)
            for t in range(_TIERS):
                sel = tier == t
                ids = _REC_STRONG[t, g.ltype]
                strong[sel] = ids[np.searchsorted(_REC_CUM[t, g.ltype], u_pick[sel], side="right")]
            weak_recipe = _REC_WEAK[rng.integers(0, _REC_WEAK.size, n)]
            year_recipe[y] = np.where(year_state[y] == _STATE_WEAK, weak_recipe, strong)
        lone = np.take_along_axis(year_recipe, weak_year[None, :], axis=0)[0]
        recipe = np.where(state == _STATE_WEAK, lone, year_recipe[0])
        g.state, g.recipe, g.cause = state, recipe, cause
        g.year_state, g.year_recipe, g.change = year_state, year_recipe, change
        self.links += n
        self.broken += int((state != _STATE_OK).sum())
        self.blocked_links += int(cause.sum())
        return g

    def _principal_links(self, rng: np.random.Generator, x: np.ndarray) -> _Links:
        p = self.p
        c = x[~p.is_disc[x] & (p.parent[x] >= 0)]
        par = p.parent[c]
        g = self._decide(rng, _Links(_PP, p.level[par], p.level[c], par, c), self.rates.missing_link, self.rates.weak_link)
        self._broken_truth(g, "principal:", self.oid(par), "principal:", self.oid(c))
        return g

    def _first_person_links(self, rng: np.random.Generator, x: np.ndarray) -> _Links:
        p = self.p
        c = x[~p.is_disc[x] & (p.parent[x] >= 0)]
        par = p.parent[c]
        c = c[(p.secretary[c] >= 0) & (p.secretary[par] >= 0) & (p.conc_j[c] < 0)]
        par = p.parent[c]
        g = _Links(_FF, p.level[par], p.level[c], p.secretary[par] + p.n, p.secretary[c] + p.n)
        g = self._decide(rng, g, self.rates.missing_link, self.rates.weak_link)
        self._broken_truth(g, "first_person:", self.oid(par), "first_person:", self.oid(c))
        return g

    def _team_links(self, rng: np.random.Generator, x: np.ndarray) -> list[_Links]:
        """first_person → dual_duty (with the shared first_person → first_person), and duties."""
        p = self.p
        org, cadre, rank = self._team(x)
        # first_person:X → dual_duty:M@X where X has a secretary
        has = p.secretary[org] >= 0
        fo, fc, fr = org[has], cadre[has], rank[has]
        key = fo * _KMAX + fr
        pos = np.minimum(np.searchsorted(p.conc_key, key), max(p.conc_key.size - 1, 0))
        conc = (fr >= 0) & (p.conc_key.size > 0) & (p.conc_key[pos] == key) if p.conc_key.size else np.zeros(fo.size, bool)
        conc_child = np.where(conc, p.conc_child[pos] if p.conc_key.size else -1, -1)
        dst_level = np.where(conc, p.level[np.maximum(conc_child, 0)], p.level[fo])
        fd = _Links(_FD, p.level[fo], dst_level, p.secretary[fo] + p.n, fc + p.n)
        half = self.rates.cut_off / 2
        fd = self._decide(rng, fd, half, half)
        self.links += int(conc.sum())  # the shared first_person → first_person links
        self.broken += int((conc & (fd.state != _STATE_OK)).sum())
        bad = fd.state != _STATE_OK
        if bad.any():
            o, m = self.oid(fo[bad]), self.cid(fc[bad])
            self._truth(_join('{"fault": "cut_off", "cadre": "', m, '", "org": "', o, '", "source": "first_person:', o,
                              '", "target": "dual_duty:', m, "@", o, '", ', self._tail(fd, bad)))
            self.faults["cut_off"] += int(bad.sum())
            sb = bad & conc
            if sb.any():
                cause = np.where(fd.cause[sb] == 1, 1, 2).astype(np.int8)
                self.blocked_links += int((cause == 1).sum())
                shared = fd.subset(sb, ltype=_FF, cause=cause)
                self._broken_truth(shared, "first_person:", self.oid(fo[sb]), "first_person:", self.oid(conc_child[sb]))
        self._change_truth(fd, "first_person:", self.oid(fo), "dual_duty:", _join(self.cid(fc), "@", self.oid(fo)))
        sc = conc & (fd.change != 0)  # the shared first_person → first_person links change with them
        if sc.any():
            self._change_truth(fd.subset(sc, ltype=_FF), "first_person:", self.oid(fo[sc]), "first_person:",
                               self.oid(conc_child[sc]))
        # duties of the team members of organizations with organizations below
        nonleaf = p.n_children[org] > 0
        self.leaf_dual_duty += int((~nonleaf).sum())
        do, dc = org[nonleaf], cadre[nonleaf]
        no_duty = rng.random(do.size) < self.rates.no_duty
        if no_duty.any():
            o, m = self.oid(do[no_duty]), self.cid(dc[no_duty])
            self._truth(_join('{"fault": "no_duty", "cadre": "', m, '", "org": "', o, '", "responsibility": "dual_duty:', m, "@", o, '"}\n'))
            self.faults["no_duty"] += int(no_duty.sum())
        mo, mc = do[~no_duty], dc[~no_duty]
        duty_m, duty_y = self._duties(rng, mo, mc)
        self.out["duties.csv"].write(self.cid(duty_m), self.oid(duty_y))
        self.in_charge[duty_y] = duty_m
        xo = np.repeat(mo, 0) if duty_m.size == 0 else self._member_org(mo, mc, duty_m)
        g = _Links(_DUTY, p.level[xo], p.level[duty_y], duty_m + p.n, duty_y)
        g = self._decide(rng, g, self.rates.missing_link, self.rates.weak_link)
        m_id = self.cid(duty_m)
        self._broken_truth(g, "dual_duty:", _join(m_id, "@", self.oid(xo)), "principal:", self.oid(duty_y))
        return [fd, g]

    @staticmethod
    def _member_org(mo: np.ndarray, mc: np.ndarray, duty_m: np.ndarray) -> np.ndarray:
        order = np.argsort(mc)
        return mo[order[np.searchsorted(mc[order], duty_m)]]

    def _duties(self, rng: np.random.Generator, mo: np.ndarray, mc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every member in charge of at least one child; every child in someone's charge."""
        p = self.p
        if mo.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        orgs, first, m_cnt = np.unique(mo, return_index=True, return_counts=True)
        q = np.arange(mo.size) - np.repeat(first, m_cnt)  # rank of the member within its org
        c_cnt = p.n_children[orgs]
        r = rng.integers(0, np.iinfo(np.int64).max, orgs.size) % c_cnt
        oi = np.repeat(np.arange(orgs.size), m_cnt)
        # (a) member q → child (r + q) mod c
        a_y = p.child_list[p.child_ptr[orgs[oi]] + (r[oi] + q) % c_cnt[oi]]
        # (b) children not reached by (a) → a random member
        extra = np.maximum(c_cnt - m_cnt, 0)
        eo, ek = _expand(extra)
        b_y = p.child_list[p.child_ptr[orgs[eo]] + (r[eo] + m_cnt[eo] + ek) % c_cnt[eo]]
        b_m = mc[first[eo] + rng.integers(0, np.iinfo(np.int64).max, eo.size) % m_cnt[eo]]
        # (c) a few members are also in charge of a grandchild
        gm = rng.random(mo.size) < _P_GRANDCHILD_DUTY
        ch = p.child_list[p.child_ptr[mo[gm]] + rng.integers(0, np.iinfo(np.int64).max, int(gm.sum())) % p.n_children[mo[gm]]]
        has_gc = p.n_children[ch] > 0
        ch = ch[has_gc]
        gc = p.child_list[p.child_ptr[ch] + rng.integers(0, np.iinfo(np.int64).max, ch.size) % p.n_children[ch]]
        cadre = np.concatenate([mc, b_m, mc[gm][has_gc]])
        org = np.concatenate([a_y, b_y, gc])
        order = np.argsort(cadre, kind="stable")
        return cadre[order], org[order]

    def _supervision_links(self, rng: np.random.Generator, x: np.ndarray) -> list[_Links]:
        p = self.p
        out = []
        for sup in (p.sup1, p.sup2):
            y = x[sup[x] >= 0]
            d = sup[y]
            self.out["supervision.csv"].write(self.oid(d), self.oid(y))
            g = self._decide(rng, _Links(_SP, p.level[d], p.level[y], d, y), self.rates.missing_link, self.rates.weak_link)
            self._broken_truth(g, "supervisory:", self.oid(d), "principal:", self.oid(y))
            out.append(g)
        return out

    def _discipline_line(self, rng: np.random.Generator, x: np.ndarray) -> _Links:
        p = self.p
        d2 = x[p.line_parent[x] >= 0]
        d1 = p.line_parent[d2]
        g = self._decide(rng, _Links(_SS, p.level[d1], p.level[d2], d1, d2), self.rates.missing_link, self.rates.weak_link)
        self._broken_truth(g, "supervisory:", self.oid(d1), "supervisory:", self.oid(d2))
        return g

    # evidence and truth ----------------------------------------------------------------
    def _evidence(self, rng: np.random.Generator, groups: list[_Links]) -> None:
        """Each year's recipe rows of every link that is not missing that year, dated in that year."""
        frm = np.concatenate([g.frm for g in groups])
        to = np.concatenate([g.to for g in groups])
        state = np.concatenate([g.year_state for g in groups], axis=1)
        recipe = np.concatenate([g.year_recipe for g in groups], axis=1)
        year = np.repeat(np.arange(_YEARS), frm.size)
        frm, to = np.tile(frm, _YEARS), np.tile(to, _YEARS)
        state, recipe = state.reshape(-1), recipe.reshape(-1)
        live = state != _STATE_MISSING
        frm, to, recipe, year = frm[live], to[live], recipe[live], year[live]
        link, k = _expand(_REC_LEN[recipe])
        entry = _REC_START[recipe[link]] + k
        chan = _REC_CHAN[entry]
        cnt = _REC_CNT[entry]
        day = rng.integers(0, 365, link.size)
        for c, (lo, hi) in _CHANNEL_DAYS.items():
            sel = chan == CHANNELS.index(c)
            day[sel] = rng.integers(lo, hi, int(sel.sum()))
        date = day + 365 * year[link]
        note = np.where(rng.random(link.size) < _P_NOTE,
                        self.note_base[chan] + rng.integers(0, 1 << 30, link.size) % self.note_n[chan], 0)
        self.out["evidence.csv"].write(
            self.eid(frm[link]), self.eid(to[link]), self.channels.take(pa.array(chan)),
            self.counts.take(pa.array(cnt)), self.dates.take(pa.array(date)), self.notes.take(pa.array(note)))

    def _tail(self, g: _Links, sel: np.ndarray) -> pa.Array:
        st = g.state[sel]
        cat = pa.array(["", "missing", "weak"]).take(pa.array(st))
        weight = self.weight_text.take(pa.array(np.where(st == _STATE_MISSING, _REC_WEIGHT.size, g.recipe[sel])))
        cause = pa.array(list(_CAUSES)).take(pa.array(g.cause[sel]))
        return _join('"category": "', cat, '", "weight": ', weight, ', "cause": "', cause, '"}\n')

    def _change_truth(self, g: _Links, src_prefix: str, src: pa.Array, dst_prefix: str, dst: pa.Array) -> None:
        """``repaired_link`` / ``newly_broken_link`` entries of the links whose state changes between the years."""
        changed = g.change != 0
        if not changed.any():
            return
        mask = pa.array(changed)
        kind = g.change[changed]
        states, recipes = g.year_state[:, changed], g.year_recipe[:, changed]

        def weight(y: int) -> pa.Array:
            return self.weight_text.take(pa.array(np.where(states[y] == _STATE_MISSING, _REC_WEIGHT.size, recipes[y])))

        category = pa.array(["active", "missing", "weak"])
        self._truth(_join(
            '{"fault": "', pa.array(["", "repaired_link", "newly_broken_link"]).take(pa.array(kind)),
            f'", "source": "{src_prefix}', src.filter(mask), f'", "target": "{dst_prefix}', dst.filter(mask),
            f'", "year": {_FIRST_YEAR + _YEARS - 1}, "before": "', category.take(pa.array(states[0])),
            '", "after": "', category.take(pa.array(states[-1])), '", "weight_before": ', weight(0),
            ', "weight_after": ', weight(_YEARS - 1), '}\n'))
        self.faults["repaired_link"] += int((kind == _REPAIRED).sum())
        self.faults["newly_broken_link"] += int((kind == _NEWLY_BROKEN).sum())

    def _broken_truth(self, g: _Links, src_prefix: str, src: pa.Array, dst_prefix: str, dst: pa.Array) -> None:
        self._change_truth(g, src_prefix, src, dst_prefix, dst)
        bad = g.state != _STATE_OK
        if not bad.any():
            return
        mask = pa.array(bad)
        st = g.state[bad]
        fault = pa.array(["", "missing_link", "weak_link"]).take(pa.array(st))
        self._truth(_join('{"fault": "', fault, f'", "source": "{src_prefix}', src.filter(mask),
                          f'", "target": "{dst_prefix}', dst.filter(mask), '", ', self._tail(g, bad)))
        self.faults["missing_link"] += int((st == _STATE_MISSING).sum())
        self.faults["weak_link"] += int((st == _STATE_WEAK).sum())

    def _truth(self, lines: pa.Array) -> None:
        _write_strings(self.truth, lines)

    def close_network(self) -> None:
        """Close the files of the network (organizations … evidence), before they are read back."""
        for f in self.out.values():
            f.close()

    def open_mechanism(self) -> None:
        """Open the files of the rest of the mechanism (problems … indicators)."""
        self.mech = {name: _CsvOut(self.folder / name, spec(name).columns) for name in _MECHANISM_FILES}

    def close(self) -> dict[str, int]:
        for f in self.mech.values():
            f.close()
        self.truth.close()
        return {name: f.rows for name, f in {**self.out, **self.mech}.items()}

    # the rest of the mechanism: problems, projects, cases, indicators ---------------------
    def next_ids(self, prefix: str, m: int) -> pa.Array:
        start = self.next_id[prefix]
        self.next_id[prefix] += m
        return _ids(prefix, np.arange(start, start + m), self.p.width + 1)

    def mechanism(self, ci: int, a: int, b: int, pressure: np.ndarray, comparable: np.ndarray) -> None:
        """Problems, projects, cases and indicators of the organizations ``a … b − 1`` bearing
        ``principal``; ``pressure[y, x]`` is the principal pressure x receives in year y (the
        cascade of that year's evidence), ``comparable`` marks the organizations that have peers."""
        p = self.p
        rng = np.random.default_rng([self.seed, 4, ci])
        x = np.arange(a, b)
        x = x[~p.is_disc[x]]
        sub = self.sk.sub[x].astype(np.int64)
        q = np.clip(np.nan_to_num(pressure[:, x]), 0.0, 1.0)
        self._problems(rng, x, sub, q[-1])
        for y in range(_YEARS):
            self._cases(rng, x, sub, q[y], y)
        for y in range(_YEARS):
            self._indicators(rng, x, sub, q[y], y, comparable[x] if y == _YEARS - 1 else None)

    def _problems(self, rng: np.random.Generator, x: np.ndarray, sub: np.ndarray, q: np.ndarray) -> None:
        p, rates = self.p, self.rates
        k = rng.poisson(_PROBLEM_RATE[sub] * (0.6 + 1.4 * (1.0 - q)))
        owner, _ = _expand(k)
        y, qy = x[owner], q[owner]
        m = y.size
        if m == 0:
            return
        ids = self.next_ids("W", m)
        source = np.searchsorted(_SOURCE_CUM, rng.random(m), side="right")
        desc = self.desc_base[source] + rng.integers(0, 1 << 30, m) % np.diff(self.desc_base)[source]
        severity = np.searchsorted(_SEVERITY_CUM, rng.random(m), side="right")
        oid = self.oid(y)
        self.mech["problems.csv"].write(ids, oid, self.sources.take(pa.array(source)),
                                        self.descriptions.take(pa.array(desc)), _num(1 + severity))
        # projects: none, one, or two per problem
        none = rng.random(m) < rates.problem_without_project
        if none.any():
            self._truth(_join('{"fault": "problem_without_project", "problem": "', ids.filter(pa.array(none)),
                              '", "org": "', oid.filter(pa.array(none)), '"}\n'))
            self.faults["problem_without_project"] += int(none.sum())
        n_proj = np.where(none, 0, 1 + (rng.random(m) < _P_TWO_PROJECTS))
        row, _ = _expand(n_proj)
        n = row.size
        if n == 0:
            return
        py, pq = y[row], qy[row]
        pids = self.next_ids("X", n)
        # the owner: the secretary, else a member in charge; or planted: none, or a wrong cadre
        correct = np.where(p.secretary[py] >= 0, p.secretary[py], self.in_charge[py])
        team = p.n_dep[py] + p.n_mem[py]
        parent = p.parent[py]
        parent_sec = np.where(parent >= 0, p.secretary[np.maximum(parent, 0)], -1)
        wrong = np.where(team > 0, p.cadre_start[py] + p.own_sec[py], parent_sec)
        u = rng.random(n)
        no_owner = u < rates.project_without_owner
        wrong_pick = ~no_owner & (u < rates.project_without_owner + rates.owner_not_in_charge) & (wrong >= 0)
        owner = np.where(no_owner, -1, np.where(wrong_pick, wrong, correct))
        owner_text = pc.if_else(pa.array(owner >= 0), self.cid(np.maximum(owner, 0)), "")
        # status and due date (overdue: not done, due before the truth's as_of)
        done = rng.random(n) < 0.2 + 0.5 * pq
        status = np.where(done, 2, np.where(rng.random(n) < 0.6, 1, 0))
        no_due = rng.random(n) < _P_NO_DUE
        late = ~done & ~no_due & (rng.random(n) < rates.overdue_project)
        day = np.where(late, rng.integers(14, 365, n),  # 2024-01-15 … 2024-12-30
                       np.where(done, rng.integers(60, 731, n), rng.integers(366, 731, n)))
        due = pc.if_else(pa.array(no_due), "", self.due_dates.take(pa.array(day)))
        problem_ids = ids.take(pa.array(row))
        self.mech["projects.csv"].write(pids, problem_ids, owner_text, self.statuses.take(pa.array(status)), due)
        org_text = oid.take(pa.array(row))
        head = ('{"fault": "', '", "project": "', '", "problem": "', '", "org": "')

        def truth(fault: str, mask: np.ndarray, *tail: str | pa.Array) -> None:
            if not mask.any():
                return
            sel = pa.array(mask)
            parts = [head[0], fault, head[1], pids.filter(sel), head[2], problem_ids.filter(sel), head[3],
                     org_text.filter(sel)]
            parts += [t.filter(sel) if isinstance(t, pa.Array) else t for t in tail]
            self._truth(_join(*parts, "}\n"))
            self.faults[fault] += int(mask.sum())

        absent = owner < 0
        truth("project_without_owner", absent, '", "cause": "',
              pc.if_else(pa.array(no_owner), "planted", "no_candidate"), '"')
        truth("owner_not_in_charge", wrong_pick, '", "owner": "', owner_text, '"')
        truth("overdue_project", late, '", "due": "', due, f'", "as_of": "{_AS_OF}"')

    def _cases(self, rng: np.random.Generator, x: np.ndarray, sub: np.ndarray, q: np.ndarray, year: int) -> None:
        p = self.p
        k = rng.poisson(_CASE_RATE[sub] * (0.2 + 1.8 * (1.0 - q)))
        owner, _ = _expand(k)
        y = x[owner]
        m = y.size
        if m == 0:
            return
        team = p.n_dep[y] + p.n_mem[y]
        has_sec = p.secretary[y] >= 0
        secretary = has_sec & ((rng.random(m) < 0.15) | (team == 0))
        member = p.cadre_start[y] + p.own_sec[y] + rng.integers(0, 1 << 30, m) % np.maximum(team, 1)
        cadre = np.where(secretary, p.secretary[y], np.where(team > 0, member, -1))
        cadre[rng.random(m) < _P_CASE_WITHOUT_CADRE] = -1
        day = 365 * year + rng.integers(0, 365, m)
        kind = rng.integers(0, len(_CASE_KINDS), m)
        self.mech["cases.csv"].write(self.next_ids("A", m), self.oid(y),
                                     pc.if_else(pa.array(cadre >= 0), self.cid(np.maximum(cadre, 0)), ""),
                                     self.dates.take(pa.array(day)), self.case_kinds.take(pa.array(kind)))

    def _indicators(self, rng: np.random.Generator, x: np.ndarray, sub: np.ndarray, q: np.ndarray, year: int,
                    comparable: np.ndarray | None) -> None:
        m = x.size
        if m == 0:
            return
        scale = _INDICATOR_SCALE[sub]
        base, effect, noise = _SCORE
        tenths = np.rint(np.clip(base + effect * q + rng.uniform(-noise, noise, m), 0.0, 100.0) * 10).astype(np.int64)
        counts = [np.floor(scale * (a * (1.0 - q) + rng.uniform(0.0, b, m))).astype(np.int64) for a, b in _COUNT_SHAPE]
        planted = np.zeros(m, bool) if comparable is None else comparable & (rng.random(m) < self.rates.ecology_outlier)
        which = rng.integers(0, len(_INDICATORS), m)
        if planted.any():
            score = planted & (which == 0)
            tenths[score] = 10 * rng.integers(20, 36, int(score.sum()))
            for j, (a, b) in enumerate(_COUNT_SHAPE, start=1):
                hit = planted & (which == j)
                counts[j - 1][hit] = 2 * np.ceil(scale[hit] * (a + b)).astype(np.int64) + 8
        text = [_join(_num(tenths // 10), ".", _num(tenths % 10))] + [_num(c) for c in counts]
        n_ind = len(_INDICATORS)
        org = np.repeat(x, n_ind)
        values = pa.concat_arrays(text).take(pa.array((np.arange(m)[:, None] + m * np.arange(n_ind)[None, :]).reshape(-1)))
        ind = np.tile(np.arange(n_ind), m)
        self.mech["indicators.csv"].write(self.oid(org), self.indicator_names.take(pa.array(ind)), values,
                                          str(_FIRST_YEAR + year), self.indicator_dirs.take(pa.array(ind)))
        if planted.any():
            rows = np.flatnonzero(planted) * n_ind + which[planted]
            self._truth(_join('{"fault": "ecology_outlier", "org": "', self.oid(x[planted]), '", "indicator": "',
                              self.indicator_names.take(pa.array(which[planted])), f'", "year": {_FIRST_YEAR + year}, '
                              '"value": ', values.take(pa.array(rows)), "}\n"))
            self.faults["ecology_outlier"] += int(planted.sum())


_SURNAME_W: np.ndarray | None = None


def _surname_weights() -> np.ndarray:
    """Zipf-like frequencies: 王李张刘陈 common, the compound surnames rare."""
    global _SURNAME_W
    if _SURNAME_W is None:
        w = 1.0 / (np.arange(len(_SURNAMES)) + 3.0)
        w[-4:] = w[-5] * 0.05
        _SURNAME_W = w / w.sum()
    return _SURNAME_W


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------


def _prepare(out: Path) -> Path:
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise GeneratorError(f"{out} exists and is not an empty folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    return tmp


def _yearly_pressure(folder: Path) -> np.ndarray:
    """(years × organizations): the principal pressure each organization receives in the cascade
    of each year's evidence, read back from the network files written in ``folder``."""
    from graphmodel.analysis.cascade import cascade, schedule
    from graphmodel.analysis.ecology import principal_pressure
    from graphmodel.analysis.timeline import year_weights
    from graphmodel.dataset.reader import read_dataset
    from graphmodel.model.network import build_network

    data = read_dataset(folder)
    network = build_network(data)
    years = [_FIRST_YEAR + y for y in range(_YEARS)]
    plan = schedule(network)
    weights = year_weights(network, data, years)
    return np.stack([principal_pressure(network, cascade(network, weights=weights[y], plan=plan)) for y in years])


def _comparable(plan: _Plan) -> np.ndarray:
    """The organizations bearing ``principal`` that the portrait compares with peers (the peer rule
    of ``graphmodel.analysis.ecology``: every organization bearing principal has indicators)."""
    from graphmodel.analysis.ecology import MIN_PEERS

    bears = ~plan.is_disc
    key = plan.level * len(ORG_KINDS) + plan.kind
    big = np.bincount(key[bears], minlength=int(key.max()) + 1)[key] >= MIN_PEERS
    pooled = np.bincount(plan.level[bears & ~big], minlength=plan.deepest + 1)[plan.level] >= MIN_PEERS
    return bears & (big | pooled)


def _run(out: Path, sk: _Skeleton, seed: int, rates: FaultRates, kind: str, truth: Path | None,
         progress: Callable[[int, int], None] | None) -> GenerateSummary:
    out = Path(out)
    truth = truth_path(out) if truth is None else Path(truth)
    tmp = _prepare(out)
    try:
        plan = _plan(sk, rates, seed)
        body = tmp / "truth.body"
        w = _Writer(plan, sk, tmp, body, rates, seed)
        for ci, a in enumerate(range(0, plan.n, _CHUNK)):
            b = min(plan.n, a + _CHUNK)
            w.chunk(ci, a, b)
            if progress is not None:
                progress(b, plan.n)
        w.close_network()
        pressure = _yearly_pressure(tmp)
        comparable = _comparable(plan)
        w.open_mechanism()
        for ci, a in enumerate(range(0, plan.n, _CHUNK)):
            w.mechanism(ci, a, min(plan.n, a + _CHUNK), pressure, comparable)
        rows = w.close()
        if plan.blocked is not None:
            w.faults["blocked_level"] = 1
        meta = {
            "generator": "graphmodel.dataset.generate", "format": 1, "kind": kind, "seed": seed,
            "orgs": plan.n, "fault_rates": asdict(rates), "deepest_level": plan.deepest,
            "blocked_level": plan.blocked, "rows": rows,
            "links": {"expected": w.links, "broken": w.broken, "broken_by_blocked_level": w.blocked_links},
            "faults": w.faults, "leaf_dual_duty": w.leaf_dual_duty,
            "years": [_FIRST_YEAR + y for y in range(_YEARS)], "as_of": _AS_OF,
            "indicators": dict(_INDICATORS),
            "notes": [
                "links: non-structural expected links of DESIGN §4; broken: w < 0.5; every broken link is "
                "one missing_link, weak_link or cut_off entry",
                "no_duty lists planted holders only; the 一岗双责 holders of organizations with no organization "
                "below them (leaf_dual_duty) have no duty by construction",
                "cut_off lists first_person → dual_duty links that are missing or weak; the holders of an "
                "organization without a secretary (vacancy secretary) are cut off too",
                "years: each year's evidence alone makes every link active, weak or missing as the two years' "
                "evidence together does, except the repaired_link and newly_broken_link entries (broken in the "
                "first year and active in the second, or the reverse; active over both years)",
                "problems, cases and indicators depend on the principal pressure each organization receives in "
                "the cascade of each year's evidence (computed by graphmodel on the written files)",
                "project_without_owner: planted, or no_candidate (the organization has neither a secretary nor "
                "a member in charge of it); overdue_project: not done and due before as_of",
                "ecology_outlier: one indicator of the last year made extreme, only at organizations that have "
                "peers (graphmodel.analysis.ecology: 5 of the same level and kind, or 5 pooled at that level)",
            ],
        }
        tmp_truth = tmp / "truth.jsonl"
        with open(tmp_truth, "wb") as fh:
            fh.write((json.dumps({"meta": meta}, ensure_ascii=False) + "\n").encode())
            if plan.blocked is not None:
                fh.write((json.dumps({"fault": "blocked_level", "level": plan.blocked,
                                      "share": rates.blocked_share, "links": w.blocked_links}) + "\n").encode())
            with open(body, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)
        body.unlink()
        truth.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_truth, truth)
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return GenerateSummary(path=out, truth_path=truth, rows=rows, links=w.links, broken_links=w.broken,
                           faults={k: v for k, v in w.faults.items()}, deepest_level=plan.deepest,
                           blocked_level=plan.blocked)


def generate_dataset(out: Path, orgs: int, seed: int, *, fault_rates: FaultRates | None = None,
                     progress: Callable[[int, int], None] | None = None) -> GenerateSummary:
    """Write a synthetic dataset folder of exactly ``orgs`` organizations, with planted faults.

    Parameters
    ----------
    out : the dataset folder; it must not exist or be empty. The ground truth goes to
        ``truth_path(out)``, beside it.
    orgs : number of organizations (at least ``MIN_ORGS``).
    seed : random seed; the same seed gives byte-identical files.
    fault_rates : how often each fault is planted (default ``FaultRates()``).
    progress : called as ``progress(done, total)`` (organizations) after each chunk.

    Returns
    -------
    GenerateSummary

    Raises
    ------
    GeneratorError
        ``orgs`` too small, or ``out`` not empty.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = generate_dataset(Path(d) / "ds", 500, seed=1)
    ...     (s.organizations, s.truth_path.name, s.blocked_level is not None)
    (500, 'ds.truth.jsonl', True)
    """
    if orgs < MIN_ORGS:
        raise GeneratorError(f"at least {MIN_ORGS} organizations are needed, not {orgs}")
    rates = FaultRates() if fault_rates is None else fault_rates
    sk = _build_generic(int(orgs), seed)
    return _run(Path(out), sk, seed, rates, "generic", None, progress)


SAMPLE_SEED: Final = 2024
"""The seed of the bundled sample."""
SAMPLE_BLOCKED_LEVEL: Final = 2
"""The bundled sample's 中梗阻: the township level (街道/镇 → 居民区/村)."""
SAMPLE_BLOCKED_SHARE: Final = 0.97
"""The share of links across the sample's blocked level that are broken: with two years of evidence
the sample shows 上热中温下冷 under the default thresholds (level 0 ≥ 0.8, the deepest < 0.3)."""


def generate_shanghai_sample(out: Path, seed: int = SAMPLE_SEED, *, fault_rates: FaultRates | None = None,
                             truth: Path | None = None, divisions: Path | None = None) -> GenerateSummary:
    """Write the Shanghai skeleton: 市委, 16 区委, 234 街道/镇, departments' 党组, branches.

    The municipal committee and its 纪委; the 16 district committees, each with its 纪委; the
    municipal departments' leading groups with the 市纪委's 派驻纪检监察组; each district's
    departments' leading groups with the district 纪委's 派驻组; the 234 township-level units of
    the divisions file (街道党工委, 镇党委, …; about 60 % with a 纪工委 or 镇纪委); 居民区/村
    党总支 and 党支部 under them; branches under the leading groups. Cadres, posts, duties and
    evidence are synthetic; faults of every kind are planted (blocked level: the townships, unless
    ``fault_rates`` says otherwise).

    Parameters
    ----------
    out : the dataset folder (must not exist or be empty).
    seed : random seed (the bundled sample uses ``SAMPLE_SEED``).
    fault_rates : fault rates (default ``FaultRates(blocked_share=SAMPLE_BLOCKED_SHARE)``).
    truth : where to write the ground truth (default ``truth_path(out)``).
    divisions : the divisions CSV (default: the packaged copy, ``divisions_path()``).

    Returns
    -------
    GenerateSummary

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = generate_shanghai_sample(Path(d) / "sh")
    ...     (2000 < s.organizations < 5000, s.blocked_level)
    (True, 2)
    """
    rates = FaultRates(blocked_share=SAMPLE_BLOCKED_SHARE) if fault_rates is None else fault_rates
    sk = _build_shanghai(divisions_path() if divisions is None else Path(divisions), seed)
    if rates.blocked_level is None:
        sk.blocked_level = SAMPLE_BLOCKED_LEVEL
    return _run(Path(out), sk, seed, rates, "shanghai", truth, progress=None)
