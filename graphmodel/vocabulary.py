"""The contract's fixed vocabulary (DESIGN §2): kinds, roles, channels and their strengths."""

from __future__ import annotations

from typing import Final

__all__ = [
    "ORG_KINDS",
    "PRINCIPAL_KINDS",
    "ROLES",
    "CHANNELS",
    "CHANNEL_LAMBDA",
    "CHANNEL_STAGE",
    "STAGES",
    "RESPONSIBILITY_KINDS",
    "LINK_TYPES",
    "PROBLEM_SOURCES",
    "PROJECT_STATUSES",
]

ORG_KINDS: Final = ("committee", "leading_group", "branch", "discipline")
"""Organization kinds: 党委, 党组, 党总支/党支部, 纪委/纪工委/派驻纪检监察组."""

PRINCIPAL_KINDS: Final = ("committee", "leading_group", "branch")
"""Kinds that bear the principal responsibility (主体责任)."""

ROLES: Final = ("secretary", "deputy_secretary", "member")

CHANNELS: Final = (
    "responsibility_letter",
    "meeting",
    "talk",
    "report",
    "assessment",
    "inspection",
    "accountability",
)
CHANNEL_LAMBDA: Final = {
    "responsibility_letter": 1.2,
    "meeting": 0.4,
    "talk": 0.8,
    "report": 0.5,
    "assessment": 0.8,
    "inspection": 0.8,
    "accountability": 1.0,
}
"""Default strength λ of one piece of evidence on each channel."""

STAGES: Final = ("know", "perform", "assess")
"""The closed loop 知责明责 → 履责尽责 → 考责问责."""

CHANNEL_STAGE: Final = {
    "responsibility_letter": "know",
    "meeting": "perform",
    "talk": "perform",
    "report": "perform",
    "assessment": "assess",
    "inspection": "assess",
    "accountability": "assess",
}

RESPONSIBILITY_KINDS: Final = ("principal", "first_person", "dual_duty", "supervisory")
"""Responsibility node kinds, in the order the coordination index names them."""

LINK_TYPES: Final = (
    "principal_principal",  # principal:P -> principal:C, C's parent is P
    "principal_first_person",  # structural, weight 1
    "first_person_dual_duty",  # first_person:X -> dual_duty:M@X
    "first_person_first_person",  # first_person:P -> first_person:C
    "dual_duty_principal",  # dual_duty:M@X -> principal:Y (duty, 分管)
    "supervisory_principal",  # supervisory:D -> principal:Y
    "supervisory_supervisory",  # supervisory:D1 -> supervisory:D2
)
"""Expected link types of DESIGN §4, in that table's order."""

PROBLEM_SOURCES: Final = ("inspection", "audit", "assessment", "case", "other")
PROJECT_STATUSES: Final = ("open", "in_progress", "done")
