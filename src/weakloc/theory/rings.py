r"""Aharonov-Bohm (h/e) and Altshuler-Aronov-Spivak (h/2e) oscillations of mesoscopic rings.

A ring (or cylinder) of enclosed area A threaded by a field B carries the flux
:math:`\Phi = BA`. The conductance oscillates with the flux quantum of a single charge,
:math:`h/e` (period :math:`\Delta B = h/eA`): the interference of the two arms, a sample-
specific phase that averages out over an ensemble. The Cooperon (time-reversed paths around
the ring, charge 2e) gives the :math:`h/2e` harmonic (period :math:`h/2eA`), with a fixed
phase (a conductance minimum at zero field for weak localization) that survives ensemble
averaging.

Both decay with the length of the paths in units of :math:`L_\varphi`; for a ring of radius
r (circumference :math:`2\pi r`):

.. math::

    a_{h/e} \propto e^{-\pi r/L_\varphi},\qquad a_{h/2e} \propto e^{-2\pi r/L_\varphi}

(each arm is :math:`\pi r` long; the Cooperon winds once around). Thermal averaging
(:math:`L_T < \pi r`) adds a power-law factor to the h/e amplitude, neglected here (state
it). Fields in T, areas in m^2, lengths in m.

References
----------
Aharonov and Bohm, Phys. Rev. 115, 485 (1959); Altshuler, Aronov and Spivak, JETP Lett. 33,
94 (1981); Sharvin and Sharvin, JETP Lett. 34, 272 (1981); Webb, Washburn, Umbach and
Laibowitz, PRL 54, 2696 (1985); Washburn and Webb, Adv. Phys. 35, 375 (1986).
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.units import E_CHARGE, H_PLANCK

__all__ = ["oscillation_period", "harmonic_decay", "HARMONIC_PATH"]

#: Path length of each harmonic in units of the ring radius: pi r (h/e), 2 pi r (h/2e).
HARMONIC_PATH = {1: np.pi, 2: 2 * np.pi}


def oscillation_period(area, harmonic=1):
    r"""Field period in T: :math:`h/(e A)` (``harmonic=1``) or :math:`h/(2eA)` (2).

    Parameters
    ----------
    area : float
        Enclosed area in m^2.
    harmonic : {1, 2}
    """
    a = v.positive("area", area, "m^2")
    n = v.positive_int("harmonic", harmonic)
    return H_PLANCK / (n * E_CHARGE * a)


def harmonic_decay(radius, l_phi, harmonic=1):
    r"""Dephasing factor of a harmonic: :math:`e^{-\pi r/L_\varphi}` (h/e) or
    :math:`e^{-2\pi r/L_\varphi}` (h/2e); radius and :math:`L_\varphi` in m, result
    dimensionless."""
    r = v.positive("radius", radius, "m")
    lp = v.positive("l_phi", l_phi, "m")
    return np.exp(-HARMONIC_PATH[int(harmonic)] * r / lp)
