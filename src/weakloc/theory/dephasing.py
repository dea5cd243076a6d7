r"""Dephasing rates: what sets the phase-coherence time :math:`\tau_\phi`.

Independent mechanisms add as rates,

.. math::

    \frac{1}{\tau_\phi} = \frac{1}{\tau_{ee}} + \frac{1}{\tau_{e\text{-}ph}} +
    \frac{1}{\tau_{sf}} + \dots

with electron-electron (Nyquist) dephasing from Altshuler, Aronov and Khmelnitsky (AAK),
an electron-phonon power law, and spin-flip scattering by magnetic impurities. The rate
converts to the phase-coherence length :math:`L_\phi = \sqrt{D\tau_\phi}` and to the HLN
characteristic field :math:`B_\phi = \hbar/(4 e L_\phi^2)`.

All arguments and results are SI: K, s^-1, m, m^2/s, Ohm, T.
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.units import E_CHARGE, H_PLANCK, HBAR, K_B, length_to_field

__all__ = [
    "dimensionless_conductance", "nyquist_rate_2d", "nyquist_rate_1d",
    "electron_phonon_rate", "spin_flip_rate", "total_dephasing_rate",
    "dephasing_length", "dephasing_field",
]


def dimensionless_conductance(r_sheet):
    r"""Dimensionless sheet conductance :math:`g = h / (e^2 R_\square)`.

    Parameters
    ----------
    r_sheet : array_like
        Sheet resistance :math:`R_\square` in Ohm (per square), positive.

    Returns
    -------
    ndarray
        g, the sheet conductance in units of :math:`e^2/h` (all spin states included).
    """
    r = v.positive("r_sheet", r_sheet, "Ohm")
    return H_PLANCK / (E_CHARGE**2 * r)


def nyquist_rate_2d(temperature, r_sheet):
    r"""AAK (Nyquist) electron-electron dephasing rate of a 2D film.

    .. math::

        \frac{1}{\tau_\phi} = \frac{k_B T}{2\pi\nu D\hbar^2}\ln(\pi\nu D\hbar)
        = \frac{k_B T}{\hbar}\,\frac{1}{g}\ln\frac{g}{2},
        \qquad g = \frac{h}{e^2 R_\square} = 2\pi\hbar\nu D,

    with :math:`\nu` the total density of states (both spins) per area and energy.

    Parameters
    ----------
    temperature : array_like
        Temperature T in K, positive.
    r_sheet : array_like
        Sheet resistance in Ohm (per square), positive and below :math:`h/(2e^2)` = 12.9
        kOhm (the formula is the leading order in 1/g and needs g >> 1).

    Returns
    -------
    ndarray
        :math:`1/\tau_\phi` in s^-1. At :math:`R_\square` = 1 kOhm: :math:`\tau_\phi` =
        77.09 ps at 1 K and 19.27 ps at 4 K.

    References
    ----------
    Altshuler, Aronov and Khmelnitsky, J. Phys. C 15, 7367 (1982).
    """
    T = v.positive("temperature", temperature, "K")
    g = dimensionless_conductance(r_sheet)
    if np.any(g <= 2):
        raise InputError(
            "r_sheet must be below h/(2 e^2) = 12.9 kOhm for the AAK formula (needs g >> 1)"
        )
    return K_B * T / HBAR * np.log(g / 2) / g


def nyquist_rate_1d(temperature, diffusion, *, r_sheet=None, width=None, r_per_length=None):
    r"""AAK (Nyquist) electron-electron dephasing rate of a quasi-1D wire.

    .. math::

        \frac{1}{\tau_\phi} = \left(\frac{e^2 R_1 k_B T \sqrt D}{2\sqrt2\,\hbar^2}\right)^{2/3}
        = \left(\frac{k_B T}{2\sqrt2\,\hbar^2 \nu_1 \sqrt D}\right)^{2/3},
        \qquad R_1 = \frac{R_\square}{W} = \frac{1}{e^2 \nu_1 D},

    with :math:`R_1` the resistance per unit length and :math:`\nu_1 = \nu A` the density
    of states per unit length (both spins). Equivalently :math:`1/\tau_\phi =
    [(\pi/\sqrt2)(R_1/R_K)(k_B T/\hbar)\sqrt{D}]^{2/3}` with :math:`R_K = h/e^2`; the rate
    solves :math:`1/\tau_\phi = k_B T e^2 R_1 L_\phi /
    (2\sqrt2\hbar^2)` with :math:`L_\phi = \sqrt{D\tau_\phi}`. Valid when the width (and
    thickness) are below :math:`L_\phi`, so that diffusion is one-dimensional on the scale
    of :math:`L_\phi`, and :math:`L_\phi` is shorter than the wire.

    Parameters
    ----------
    temperature : array_like
        Temperature in K, positive.
    diffusion : array_like
        Diffusion constant in m^2/s, positive.
    r_sheet : array_like, optional
        Sheet resistance in Ohm, with ``width``.
    width : array_like, optional
        Wire width in m, with ``r_sheet``.
    r_per_length : array_like, optional
        Resistance per unit length :math:`R_1` in Ohm/m (instead of ``r_sheet`` and
        ``width``; e.g. resistivity / cross-section).

    Returns
    -------
    ndarray
        :math:`1/\tau_\phi` in s^-1.

    References
    ----------
    Altshuler, Aronov and Khmelnitsky, J. Phys. C 15, 7367 (1982); the prefactor is the one
    quoted by Pierre et al., Phys. Rev. B 68, 085413 (2003) and Birge and Pierre,
    cond-mat/0401182 (2004) for the comparison with experiment (check: recalled, not read
    off the paper; the 2D formula and its REFERENCE values are independent of it).
    """
    T = v.positive("temperature", temperature, "K")
    D = v.positive("diffusion", diffusion, "m^2/s")
    if r_per_length is not None:
        if r_sheet is not None or width is not None:
            raise InputError("give either r_per_length or r_sheet and width, not both")
        r1 = v.positive("r_per_length", r_per_length, "Ohm/m")
    else:
        if r_sheet is None or width is None:
            raise InputError("the 1D rate needs r_sheet and width, or r_per_length (Ohm/m)")
        r1 = v.positive("r_sheet", r_sheet, "Ohm") / v.positive("width", width, "m")
    return (E_CHARGE**2 * r1 * K_B * T * np.sqrt(D) / (2 * np.sqrt(2) * HBAR**2)) ** (2 / 3)


def electron_phonon_rate(temperature, prefactor, exponent=3.0):
    r"""Electron-phonon dephasing rate as a power law :math:`1/\tau_{e\text{-}ph} = A T^p`.

    Parameters
    ----------
    temperature : array_like
        Temperature in K, positive.
    prefactor : array_like
        A in s^-1 K^-p, non-negative (material dependent; fitted from data).
    exponent : float
        p, usually 2 to 4 (REFERENCE.md; 3 for clean 3D metals).

    Returns
    -------
    ndarray
        Rate in s^-1.

    References
    ----------
    Lin and Bird, J. Phys.: Condens. Matter 14, R501 (2002).
    """
    T = v.positive("temperature", temperature, "K")
    A = v.nonnegative("prefactor", prefactor, "s^-1 K^-p")
    p = v.finite_array("exponent", exponent)
    return A * T**p


def spin_flip_rate(tau_s, channel="singlet"):
    r"""Dephasing of the Cooperon by spin-flip (magnetic-impurity) scattering.

    Spin-flip scattering at rate :math:`1/\tau_s` gaps the singlet Cooperon by
    :math:`2/\tau_s` and the triplet Cooperons by :math:`2/(3\tau_s)` (the HLN fields
    :math:`B_3 = B_\phi + 2B_s` and :math:`B_2 = B_\phi + \tfrac43 B_{so} + \tfrac23 B_s`).
    Without spin-orbit coupling the weak-localization correction is the triplet minus the
    singlet; a common one-rate approximation adds the singlet gap 2/tau_s to 1/tau_phi.

    Parameters
    ----------
    tau_s : array_like
        Spin-flip scattering time in s, positive (``numpy.inf`` for none).
    channel : {'singlet', 'triplet'}
        Which Cooperon's gap to return.

    Returns
    -------
    ndarray
        Rate in s^-1: :math:`2/\tau_s` (singlet) or :math:`2/(3\tau_s)` (triplet).

    References
    ----------
    Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980); Bergmann, Phys. Rep.
    107, 1 (1984).
    """
    channel = v.choice("channel", channel, ("singlet", "triplet"))
    ts = np.asarray(tau_s, dtype=float)
    if np.any(np.isnan(ts)) or np.any(ts <= 0):
        raise InputError("tau_s must be positive (s); use numpy.inf for no spin-flip scattering")
    factor = 2.0 if channel == "singlet" else 2.0 / 3.0
    return factor / ts


def total_dephasing_rate(*rates):
    r"""Total dephasing rate :math:`1/\tau_\phi = \sum_i 1/\tau_i` (Matthiessen's rule).

    Parameters
    ----------
    *rates : array_like
        Rates in s^-1, each non-negative; arrays broadcast.

    Returns
    -------
    ndarray
        Total rate in s^-1 (positive).

    References
    ----------
    Bergmann, Phys. Rep. 107, 1 (1984); Lin and Bird (2002).
    """
    if not rates:
        raise InputError("give at least one rate in s^-1")
    arrs = [v.nonnegative(f"rate {i}", r, "s^-1") for i, r in enumerate(rates)]
    total = np.sum(np.broadcast_arrays(*arrs), axis=0)
    if np.any(total <= 0):
        raise InputError("the total dephasing rate is 0; add a positive rate")
    return total


def dephasing_length(rate, diffusion):
    r"""Phase-coherence length from a dephasing rate, :math:`L_\phi = \sqrt{D\tau_\phi}`.

    Parameters
    ----------
    rate : array_like
        :math:`1/\tau_\phi` in s^-1, positive.
    diffusion : array_like
        Diffusion constant in m^2/s, positive.

    Returns
    -------
    ndarray
        :math:`L_\phi` in m.
    """
    r = v.positive("rate", rate, "s^-1")
    D = v.positive("diffusion", diffusion, "m^2/s")
    return np.sqrt(D / r)


def dephasing_field(rate, diffusion):
    r"""Characteristic field of a dephasing rate, :math:`B_\phi = \hbar/(4 e L_\phi^2)
    = \hbar/(4 e D \tau_\phi)`.

    Parameters
    ----------
    rate : array_like
        :math:`1/\tau_\phi` in s^-1, positive.
    diffusion : array_like
        Diffusion constant in m^2/s, positive.

    Returns
    -------
    ndarray
        :math:`B_\phi` in T.

    References
    ----------
    Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980), SI form
    (:func:`weakloc.units.length_to_field`).
    """
    return length_to_field(dephasing_length(rate, diffusion))
