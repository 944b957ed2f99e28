"""The model's parameters (DESIGN §5), with the contract's defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from graphmodel.errors import GraphModelError
from graphmodel.vocabulary import CHANNEL_LAMBDA

__all__ = ["Parameters"]


@dataclass(frozen=True)
class Parameters:
    """Thresholds and strengths of the analyses; every one can be changed.

    Attributes
    ----------
    tau_weak : a link is *active* when its weight is at least this (τ_weak).
    rho_drop : an organization *drops* when its principal pressure is below this share of
        its parent's (ρ_drop).
    theta_hot, theta_cold : level 0's mean at least ``theta_hot`` and the deepest level's mean
        below ``theta_cold`` make the cooling pattern (上热中温下冷).
    blockage_factor : level k is blocked (中梗阻) when its attenuation is below this factor
        times the median attenuation of the other levels.
    channel_lambda : the strength λ of one piece of evidence on each channel.
    sources : responsibility ids that receive pressure 1; empty means the default sources
        (``principal:root`` and the root's 同级纪委).

    Examples
    --------
    >>> Parameters(tau_weak=0.6).tau_weak
    0.6
    >>> Parameters(theta_hot=2)
    Traceback (most recent call last):
    ...
    graphmodel.errors.GraphModelError: theta_hot must lie in [0, 1], not 2
    """

    tau_weak: float = 0.5
    rho_drop: float = 0.5
    theta_hot: float = 0.8
    theta_cold: float = 0.3
    blockage_factor: float = 0.6
    channel_lambda: dict[str, float] = field(default_factory=lambda: dict(CHANNEL_LAMBDA))
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("tau_weak", "rho_drop", "theta_hot", "theta_cold"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise GraphModelError(f"{name} must lie in [0, 1], not {value}")
        if self.blockage_factor < 0:
            raise GraphModelError(f"blockage_factor must be non-negative, not {self.blockage_factor}")
        unknown = set(self.channel_lambda) - set(CHANNEL_LAMBDA)
        if unknown:
            raise GraphModelError(f"unknown channel(s) in channel_lambda: {', '.join(sorted(unknown))}")
        if any(v < 0 for v in self.channel_lambda.values()):
            raise GraphModelError("channel strengths must be non-negative")
        object.__setattr__(self, "channel_lambda", {**CHANNEL_LAMBDA, **self.channel_lambda})

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, as written under ``parameters`` in findings.json."""
        out = asdict(self)
        out["sources"] = list(self.sources)
        return out
