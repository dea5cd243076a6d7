"""Sample shapes: which sites of the scattering region exist (a predicate on positions).

A shape is any callable ``keep(positions) -> bool array`` on site positions ``(N, 2)`` in
lattice units (``a``, or ``a_cc`` on the honeycomb lattice), measured from the sample's
centre (the mean position of its sites). The leads keep the full cross-section; sites the
shape removes are cut from every bond (:func:`weakloc.lattice.slices.remove_sites`), so a
constriction, a quantum dot or an Aharonov-Bohm ring between two leads is a few lines::

    Lattice(width=40, length=60, shape=Ring(8, 18))
    Lattice(width=40, length=60, shape=lambda p: np.hypot(*p.T) < 15)   # a dot, API only

Built in (also on the command line, ``--shape ring:R_IN,R_OUT`` or
``--shape constriction:WIDTH``):

* :class:`Ring`: within ``|x| <= R_out`` only the annulus ``R_in <= |r| <= R_out``
  survives, joined to the whole strip beyond ``|x| > R_out`` by two straight arms of the
  ring's width ``R_out - R_in`` along ``y = 0``. The flux through the ring (between
  ``pi R_in^2`` and ``pi R_out^2``) sets the Aharonov-Bohm period;
* :class:`Constriction`: the middle half of the sample (``|x| <= length/4``) narrowed to
  ``|y| <= WIDTH/2``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = ["Ring", "Constriction", "parse_shape"]


@dataclass(frozen=True)
class Ring:
    """Aharonov-Bohm ring of inner radius ``r_in`` and outer radius ``r_out`` (lattice units)."""

    r_in: float
    r_out: float

    def __post_init__(self):
        r_in = float(v.positive("ring inner radius", self.r_in))
        r_out = float(v.positive("ring outer radius", self.r_out))
        if r_out <= r_in:
            raise InputError(f"ring needs R_IN < R_OUT (got {r_in:g}, {r_out:g})")
        object.__setattr__(self, "r_in", r_in)
        object.__setattr__(self, "r_out", r_out)

    def __call__(self, pos):
        pos = np.asarray(pos, dtype=float)
        r = np.hypot(pos[:, 0], pos[:, 1])
        arms = np.abs(pos[:, 1]) <= 0.5 * (self.r_out - self.r_in)
        return (r >= self.r_in) & ((r <= self.r_out) | arms | (np.abs(pos[:, 0]) > self.r_out))


@dataclass(frozen=True)
class Constriction:
    """The middle half of the sample narrowed to ``width`` (lattice units), centred in y."""

    width: float
    half_length: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "width", float(v.positive("constriction width", self.width)))

    def __call__(self, pos):
        pos = np.asarray(pos, dtype=float)
        half = self.half_length if self.half_length > 0 else 0.25 * np.ptp(pos[:, 0])
        return (np.abs(pos[:, 1]) <= 0.5 * self.width + 1e-9) | (np.abs(pos[:, 0]) > half)


def parse_shape(text: str | None):
    """``ring:R_IN,R_OUT`` or ``constriction:WIDTH`` (the CLI's ``--shape``) as a shape."""
    if text is None:
        return None
    kind, _, args = str(text).partition(":")
    try:
        nums = [float(a) for a in args.split(",") if a]
    except ValueError:
        nums = []
    if kind == "ring" and len(nums) == 2:
        return Ring(*nums)
    if kind == "constriction" and len(nums) == 1:
        return Constriction(nums[0])
    raise InputError(f"shape={text!r}: use ring:R_IN,R_OUT or constriction:WIDTH "
                     "(lattice units)")
