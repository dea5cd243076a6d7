"""Physical constants, conductance quanta and unit converters.

All public functions of weakloc take and return SI units (m, s, T, K, J, S). Lattice
numerics use the hopping ``t = 1`` and the lattice constant ``a = 1``; the converters here
are the only place where those conventions meet SI.

Conductance conventions
-----------------------
``G0 = e^2/(pi h) = e^2/(2 pi^2 hbar)`` (1.2331e-5 S) is the natural unit of the
weak-localization correction to the sheet conductance (Hikami, Larkin, Nagaoka 1980).
``e^2/h`` (3.8740e-5 S) is the Landauer unit per spin channel used by the lattice solvers.
No spin degeneracy is ever hidden inside these constants.
"""

from __future__ import annotations

import numpy as np
from scipy import constants as _c

from weakloc.errors import InputError

__all__ = [
    "E_CHARGE", "H_PLANCK", "HBAR", "K_B", "M_E",
    "G0", "E2_OVER_H", "FLUX_QUANTUM",
    "field_to_tesla", "FIELD_UNITS", "conductance_to_siemens", "CONDUCTANCE_UNITS",
    "length_to_field", "field_to_length",
]

#: Elementary charge e in coulombs (CODATA, exact in the SI).
E_CHARGE = _c.e
#: Planck constant h in joule seconds.
H_PLANCK = _c.h
#: Reduced Planck constant hbar = h/(2 pi) in joule seconds.
HBAR = _c.hbar
#: Boltzmann constant k_B in joules per kelvin.
K_B = _c.k
#: Free-electron mass m_e in kilograms.
M_E = _c.m_e

#: e^2/(pi h) in siemens, the unit of the HLN magnetoconductance.
G0 = E_CHARGE**2 / (np.pi * H_PLANCK)
#: e^2/h in siemens, the Landauer conductance quantum per spin channel.
E2_OVER_H = E_CHARGE**2 / H_PLANCK
#: h/e in webers, the flux quantum of a single charge (the unit of lattice flux ``phi``).
FLUX_QUANTUM = H_PLANCK / E_CHARGE

#: Multipliers from each supported field unit to tesla. Oersted is read as the
#: B-field in vacuum (1 Oe <-> 1 G = 1e-4 T), the usual convention of magnet supplies.
FIELD_UNITS = {"T": 1.0, "mT": 1e-3, "G": 1e-4, "Oe": 1e-4, "kOe": 1e-1}

#: Multipliers from each named conductance unit to siemens.
CONDUCTANCE_UNITS = {"siemens": 1.0, "e2_over_h": E2_OVER_H, "e2_over_pi_h": G0}


def field_to_tesla(values, unit: str):
    """Convert magnetic field values to tesla.

    Parameters
    ----------
    values : array_like
        Field values in ``unit``.
    unit : {'T', 'mT', 'G', 'Oe', 'kOe'}
        Unit of ``values``.

    Returns
    -------
    ndarray
        Field in T.
    """
    try:
        factor = FIELD_UNITS[unit]
    except KeyError:
        raise InputError(
            f"unknown field unit {unit!r}; use one of {', '.join(FIELD_UNITS)}"
        ) from None
    return np.asarray(values, dtype=float) * factor


def conductance_to_siemens(values, unit: str):
    """Convert conductances from a named unit ('siemens', 'e2_over_h', 'e2_over_pi_h') to S."""
    try:
        factor = CONDUCTANCE_UNITS[unit]
    except KeyError:
        raise InputError(
            f"unknown conductance unit {unit!r}; use one of {', '.join(CONDUCTANCE_UNITS)}"
        ) from None
    return np.asarray(values, dtype=float) * factor


def length_to_field(length):
    """Characteristic field of a length, ``B = hbar / (4 e L^2)``.

    Parameters
    ----------
    length : array_like
        Length L in m (L_phi, L_so, ...), positive.

    Returns
    -------
    ndarray
        Field in T.

    Notes
    -----
    SI form of the HLN characteristic field (Hikami, Larkin, Nagaoka, Prog. Theor. Phys.
    63, 707 (1980)); papers in Gaussian units write ``hbar c / (4 e L^2)``.
    """
    length = np.asarray(length, dtype=float)
    return HBAR / (4.0 * E_CHARGE * length**2)


def field_to_length(field):
    """Inverse of :func:`length_to_field`: ``L = sqrt(hbar / (4 e B))`` in m, B in T."""
    field = np.asarray(field, dtype=float)
    return np.sqrt(HBAR / (4.0 * E_CHARGE * field))
