r"""Onsite disorder as objects: the random energy ``eps_i`` of every site.

A disorder model draws the onsite energies of ``count`` consecutive slices from the
realization's stream in one call, filling the array in C order (slice, then site), so a
slice-by-slice draw and a chunked draw give the same numbers.

* :class:`BoxDisorder`: ``eps`` uniform in ``[-W/2, W/2]`` (Anderson, Phys. Rev. 109, 1492
  (1958)); variance ``W^2/12``.
* :class:`GaussianDisorder`: ``eps`` normal with standard deviation ``W/sqrt(12)``, the
  variance of the box of the same ``W``.

``W`` is in units of the hopping ``t``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v

__all__ = ["Disorder", "BoxDisorder", "GaussianDisorder", "onsite_disorder", "DISORDER_KINDS"]

DISORDER_KINDS = ("box", "gaussian")


class Disorder:
    """Interface: ``strength`` ``W`` (units of t) and :meth:`draw`."""

    strength: float = 0.0

    def draw(self, rng: np.random.Generator, shape) -> np.ndarray:
        """Onsite energies of shape ``shape`` (units of t), drawn in C order."""
        raise NotImplementedError


@dataclass(frozen=True)
class BoxDisorder(Disorder):
    """Uniform in ``[-W/2, W/2]``; ``strength`` is ``W`` in units of t."""

    strength: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "strength", float(v.nonnegative("disorder", self.strength)))

    def draw(self, rng, shape) -> np.ndarray:
        w = self.strength
        return rng.uniform(-0.5 * w, 0.5 * w, size=shape)


@dataclass(frozen=True)
class GaussianDisorder(Disorder):
    """Normal, standard deviation ``W/sqrt(12)``; ``strength`` is ``W`` in units of t."""

    strength: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "strength", float(v.nonnegative("disorder", self.strength)))

    def draw(self, rng, shape) -> np.ndarray:
        return rng.normal(0.0, self.strength / np.sqrt(12.0), size=shape)


def onsite_disorder(kind: str, strength: float) -> Disorder:
    """The disorder object behind the names 'box' and 'gaussian'."""
    v.choice("disorder_kind", kind, DISORDER_KINDS)
    return BoxDisorder(strength) if kind == "box" else GaussianDisorder(strength)
