r"""Interference corrections: the zero-field weak-localization correction in d = 1, 2, 3,
the one-parameter scaling function, and the diffuson and Cooperon propagators.

The weak-localization correction is the coherent part of the return probability,
integrated over the times during which an electron stays phase coherent:

.. math::

    \delta\sigma = -\chi \, g_s \frac{e^2}{\pi\hbar} D \int_0^\infty P(0,t)\,
    w(t)\, dt, \qquad P(0,t) = (4\pi D t)^{-d/2},

with a window :math:`w(t)` that opens at the elastic time :math:`\tau` and closes at the
phase-coherence time :math:`\tau_\phi` (see :func:`integrated_return_probability`).

Notes
-----
Conventions:

* ``spin_degeneracy`` :math:`g_s` (default 2) counts the spin states of the electrons. The
  formulas of REFERENCE.md (e.g. :math:`\delta\sigma_{2D} = -(e^2/2\pi^2\hbar)
  \ln(\tau_\phi/\tau)`) include :math:`g_s = 2` for the orthogonal class.
* ``symmetry`` sets the class factor :math:`\chi`: 1 (orthogonal: time-reversal and spin
  rotation symmetric), 0 (unitary: broken time reversal), -1/2 (symplectic: strong
  spin-orbit coupling; the singlet Cooperon survives, the triplets are gapped). The HLN
  prefactor of :mod:`weakloc.theory.magnetoconductance` is :math:`\alpha = \chi g_s / 2`.
* Units of the result (``WL_CORRECTION_UNITS``): d = 1 gives the correction to the
  conductance of a wire times its length, in S m (a wire of length L changes its conductance
  by :math:`\delta\sigma_{1D}/L`); d = 2 the sheet conductance in S (per square); d = 3 the
  conductivity in S/m.

References
----------
Gorkov, Larkin and Khmelnitskii, JETP Lett. 30, 228 (1979); Hikami, Larkin and Nagaoka,
Prog. Theor. Phys. 63, 707 (1980); Lee and Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985);
Akkermans and Montambaux, *Mesoscopic Physics of Electrons and Photons* (2007), ch. 7.
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments
from weakloc.errors import InputError
from weakloc.units import E_CHARGE, HBAR

__all__ = [
    "SYMMETRY_FACTORS", "WL_CORRECTION_UNITS", "symmetry_factor",
    "integrated_return_probability", "wl_correction", "beta_function",
    "diffuson", "cooperon", "cooperon_field_factor",
]

#: Class factor chi of the weak-localization correction (orthogonal = 1).
SYMMETRY_FACTORS = {"orthogonal": 1.0, "unitary": 0.0, "symplectic": -0.5}

#: SI unit of :func:`wl_correction` in each dimension.
WL_CORRECTION_UNITS = {1: "S m", 2: "S", 3: "S/m"}

_CUTOFFS = ("exponential", "sharp")


def symmetry_factor(symmetry: str) -> float:
    r"""Class factor :math:`\chi` of the weak-localization correction.

    Parameters
    ----------
    symmetry : {'orthogonal', 'unitary', 'symplectic'}
        Wigner-Dyson class.

    Returns
    -------
    float
        1, 0 or -1/2 (relative to the orthogonal class at equal spin degeneracy).

    References
    ----------
    Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
    """
    v.choice("symmetry", symmetry, tuple(SYMMETRY_FACTORS))
    return SYMMETRY_FACTORS[symmetry]


@renamed_arguments(d="dim")
def integrated_return_probability(tau, tau_phi, diffusion, dim, *, cutoff="sharp"):
    r"""Return probability integrated over the coherent time window, in closed form.

    ``cutoff='sharp'`` integrates over :math:`[\tau, \tau_\phi]`:

    .. math::

        I_d = \int_\tau^{\tau_\phi} \frac{dt}{(4\pi D t)^{d/2}} =
        \begin{cases}
        (\sqrt{\tau_\phi} - \sqrt{\tau}) / \sqrt{\pi D} & d = 1 \\
        \ln(\tau_\phi/\tau) / (4\pi D) & d = 2 \\
        2 (\tau^{-1/2} - \tau_\phi^{-1/2}) / (4\pi D)^{3/2} & d = 3
        \end{cases}

    ``cutoff='exponential'`` uses the smooth window of the Cooperon with a dephasing gap,
    :math:`w(t) = e^{-t/\tau_\phi} - e^{-t/\tau}`:

    .. math::

        I_d = \int_0^\infty \frac{e^{-t/\tau_\phi} - e^{-t/\tau}}{(4\pi D t)^{d/2}} dt
        = \frac{\Gamma(1 - d/2)}{(4\pi D)^{d/2}}
          \left(\tau_\phi^{1-d/2} - \tau^{1-d/2}\right)\ (d \neq 2),
        \quad \frac{\ln(\tau_\phi/\tau)}{4\pi D}\ (d = 2).

    Parameters
    ----------
    tau : array_like
        Elastic scattering time (lower cutoff) in s, positive.
    tau_phi : array_like
        Phase-coherence time (upper cutoff) in s, at least ``tau`` (a window with
        ``tau_phi < tau`` is empty; the formula's negative continuation there is refused
        with :class:`~weakloc.errors.InputError`).
    diffusion : array_like
        Diffusion constant in m^2/s, positive.
    dim : {1, 2, 3}
        Spatial dimension.
    cutoff : {'sharp', 'exponential'}
        Shape of the time window.

    Returns
    -------
    ndarray
        :math:`I_d` in s m^-d.

    References
    ----------
    Akkermans and Montambaux (2007), section 7.4; Lee and Ramakrishnan, Rev. Mod. Phys. 57,
    287 (1985), section II.B.
    """
    d = v.dimension(dim)
    cutoff = v.choice("cutoff", cutoff, _CUTOFFS)
    tau = v.positive("tau", tau, "s")
    tau_phi = v.positive("tau_phi", tau_phi, "s")
    _window(tau, tau_phi)
    D = v.positive("diffusion", diffusion, "m^2/s")
    return _irp(tau, tau_phi, D, d, cutoff)


def _window(tau, tau_phi, what="tau_phi") -> None:
    """Refuse an empty coherent window (``tau_phi < tau``): the closed forms would turn
    sign there and a localization correction would come out as anti-localization."""
    short = np.asarray(tau_phi) < np.asarray(tau)
    if np.any(short):
        t, tp = np.broadcast_arrays(tau, tau_phi)
        i = np.flatnonzero(short.ravel() if short.ndim else short.reshape(1))[0]
        raise InputError(f"{what} = {tp.ravel()[i]:g} s is shorter than tau = {t.ravel()[i]:g} "
                         "s: the coherent window [tau, tau_phi] is empty (interference needs "
                         "tau_phi >= tau, both in seconds)")


def _irp(tau, tau_phi, D, d, cutoff):
    if d == 2:
        return np.log(tau_phi / tau) / (4 * np.pi * D)
    if cutoff == "sharp":
        if d == 1:
            return (np.sqrt(tau_phi) - np.sqrt(tau)) / np.sqrt(np.pi * D)
        return 2 * (1 / np.sqrt(tau) - 1 / np.sqrt(tau_phi)) / (4 * np.pi * D) ** 1.5
    if d == 1:  # Gamma(1/2) = sqrt(pi)
        return (np.sqrt(tau_phi) - np.sqrt(tau)) / (2 * np.sqrt(D))
    # d = 3: Gamma(-1/2) = -2 sqrt(pi)
    return 2 * np.sqrt(np.pi) * (1 / np.sqrt(tau) - 1 / np.sqrt(tau_phi)) / (
        4 * np.pi * D) ** 1.5


@renamed_arguments(d="dim")
def wl_correction(dim, tau, tau_phi, *, diffusion=None, symmetry="orthogonal",
                  spin_degeneracy=2, size=None, cutoff="exponential"):
    r"""Zero-field weak-localization correction in d = 1, 2, 3.

    .. math::

        \delta\sigma_d = -\chi\, g_s \frac{e^2}{\pi\hbar}\, D\, I_d(\tau, \tau_{\rm eff}),
        \qquad \tau_{\rm eff} = \min(\tau_\phi, L^2/D),

    with :math:`I_d` from :func:`integrated_return_probability`. With the default
    exponential window, :math:`g_s = 2` and the orthogonal class this gives

    .. math::

        \delta\sigma_{1D} = -\frac{2e^2}{h}\,(L_\phi - l_\tau),\quad
        \delta\sigma_{2D} = -\frac{e^2}{2\pi^2\hbar}\ln\frac{\tau_\phi}{\tau},\quad
        \delta\sigma_{3D} = -\frac{e^2}{2\pi^2\hbar}\left(\frac{1}{l_\tau}
        - \frac{1}{L_\phi}\right),

    with :math:`L_\phi = \sqrt{D\tau_\phi}` and :math:`l_\tau = \sqrt{D\tau}`. The 2D result
    does not depend on the window; the sharp window multiplies the 1D result by
    :math:`2/\sqrt\pi` and the 3D one by :math:`1/\sqrt\pi`.

    Parameters
    ----------
    dim : {1, 2, 3}
        Spatial dimension of the diffusion (a wire of width :math:`W \ll L_\phi` is d = 1,
        a film of thickness :math:`\ll L_\phi` is d = 2).
    tau : array_like
        Elastic scattering time in s, positive.
    tau_phi : array_like
        Phase-coherence time in s, at least ``tau`` (otherwise
        :class:`~weakloc.errors.InputError`: the formula would flip the sign of the
        correction). With ``size``, :math:`L^2/D` must not be below ``tau`` either.
    diffusion : array_like, optional
        Diffusion constant in m^2/s; required for d = 1 and 3 and with ``size`` (the 2D
        correction depends on :math:`\tau_\phi/\tau` only).
    symmetry : {'orthogonal', 'unitary', 'symplectic'}
        Wigner-Dyson class, class factor :math:`\chi` = 1, 0, -1/2.
    spin_degeneracy : {1, 2}
        :math:`g_s`; 2 (default) reproduces the textbook formulas above.
    size : array_like, optional
        System size L in m; the coherent window then ends at :math:`\min(\tau_\phi, L^2/D)`
        (diffusion across the sample).
    cutoff : {'exponential', 'sharp'}
        Time window (see :func:`integrated_return_probability`).

    Returns
    -------
    ndarray
        The correction :math:`\delta\sigma`: S m for d = 1 (divide by the wire length for
        a conductance), S per square for d = 2, S/m for d = 3 (``WL_CORRECTION_UNITS``).
        Negative for weak localization, positive for anti-localization.

    References
    ----------
    Gorkov, Larkin and Khmelnitskii, JETP Lett. 30, 228 (1979); Altshuler and Aronov, JETP
    Lett. 33, 499 (1981) (1D); Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707
    (1980) (symplectic factor); Lee and Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985).
    """
    d = v.dimension(dim)
    chi = symmetry_factor(symmetry)
    gs = v.choice("spin_degeneracy", spin_degeneracy, (1, 2))
    cutoff = v.choice("cutoff", cutoff, _CUTOFFS)
    tau = v.positive("tau", tau, "s")
    tau_phi = v.positive("tau_phi", tau_phi, "s")
    if diffusion is None:
        if d != 2:
            raise InputError(
                f"the d = {d} correction depends on L_phi = sqrt(D tau_phi); "
                "give diffusion=D in m^2/s"
            )
        if size is not None:
            raise InputError("a size cutoff L^2/D needs diffusion=D in m^2/s")
        D = np.asarray(1.0)  # cancels in d = 2
    else:
        D = v.positive("diffusion", diffusion, "m^2/s")
    _window(tau, tau_phi)
    t_eff = tau_phi
    if size is not None:
        L = v.positive("size", size, "m")
        t_eff = np.minimum(tau_phi, L**2 / D)
        _window(tau, L**2 / D, "the size cutoff L^2/D")
    I = _irp(tau, t_eff, D, d, cutoff)
    out = -chi * gs * E_CHARGE**2 / (np.pi * HBAR) * D * I
    return out + 0.0  # avoid -0.0 for the unitary class


@renamed_arguments(d="dim")
def beta_function(g, dim, *, symmetry="orthogonal", spin_degeneracy=2):
    r"""One-parameter scaling function to leading order in 1/g.

    .. math::

        \beta(g) = \frac{d \ln g}{d \ln L} = d - 2 - \frac{c}{g}, \qquad
        c = \frac{\chi\, g_s}{\pi},

    with the dimensionless conductance :math:`g = G/(e^2/h)` of a hypercube of side L
    (:math:`G = \sigma L^{d-2}`), all spin states included in G.

    Derivation: the 2D correction with the size cutoff, :math:`\delta\sigma =
    -\chi g_s (e^2/4\pi^2\hbar)\ln(L^2/D\tau)`, gives :math:`d\sigma/d\ln L =
    -\chi g_s e^2/(2\pi^2\hbar) = -(\chi g_s/\pi)\, e^2/h`. For the orthogonal class with
    :math:`g_s = 2`, :math:`c = 2/\pi`; in units of :math:`e^2/\hbar` the same law reads
    :math:`\beta = d - 2 - 1/(\pi^2 g_\hbar)` (Lee and Ramakrishnan 1985). The leading
    correction has the same coefficient in :math:`d = 2 + \epsilon` (Wegner 1979). Unitary:
    :math:`c = 0`; the first correction is of order :math:`1/g^2` and negative (Hikami 1981).
    Symplectic: :math:`c = -1/\pi` (anti-localization, :math:`\beta > 0` in d = 2).

    Parameters
    ----------
    g : array_like
        Dimensionless conductance in units of e^2/h, positive (the expansion needs g >> 1).
    dim : {1, 2, 3}
        Spatial dimension.
    symmetry : {'orthogonal', 'unitary', 'symplectic'}
        Wigner-Dyson class.
    spin_degeneracy : {1, 2}
        :math:`g_s`.

    Returns
    -------
    ndarray
        :math:`\beta(g)`, dimensionless.

    References
    ----------
    Abrahams, Anderson, Licciardello and Ramakrishnan, PRL 42, 673 (1979); Hikami, Larkin
    and Nagaoka, Prog. Theor. Phys. 63, 707 (1980); Hikami, Phys. Rev. B 24, 2671 (1981);
    Lee and Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), eq. (2.15).
    """
    d = v.dimension(dim)
    chi = symmetry_factor(symmetry)
    gs = v.choice("spin_degeneracy", spin_degeneracy, (1, 2))
    g = v.positive("g", g, "e^2/h")
    return d - 2 - chi * gs / (np.pi * g) + 0.0


def _propagator_args(q, omega, diffusion):
    q = v.finite_array("q", q)
    w = v.finite_array("omega", omega)
    D = v.positive("diffusion", diffusion, "m^2/s")
    return q, w, D


def diffuson(q, omega, diffusion):
    r"""Diffuson (ladder) propagator :math:`P_d(q, \omega) = 1/(D q^2 - i\omega)`.

    Normalization: the space-time Fourier transform
    :math:`\int dt\, e^{i\omega t}\int d^dr\, e^{-i q\cdot r} P(r, t)` of the classical
    probability density :math:`P(r,t) = \theta(t)(4\pi D t)^{-d/2} e^{-r^2/4Dt}`, so that
    :math:`P_d(q=0, \omega) = i/\omega` (particle conservation) and
    :math:`\int_0^\infty P(0,t)dt = \int d^dq/(2\pi)^d\, P_d(q, 0)`.

    Parameters
    ----------
    q : array_like
        Wave number :math:`|q|` in 1/m.
    omega : array_like
        Angular frequency in rad/s (sign convention :math:`e^{-i\omega t}`).
    diffusion : array_like
        Diffusion constant in m^2/s, positive.

    Returns
    -------
    ndarray of complex
        :math:`P_d` in s. At the pole :math:`q = \omega = 0` the value is ``inf``.

    References
    ----------
    Akkermans and Montambaux (2007), section 4.5.
    """
    q, w, D = _propagator_args(q, omega, diffusion)
    return _pole(D * q**2 - 1j * w)


def cooperon(q, omega, diffusion, tau_phi):
    r"""Cooperon (maximally crossed) propagator with a dephasing gap.

    .. math::

        P_c(q, \omega) = \frac{1}{D q^2 - i\omega + 1/\tau_\phi}

    Same normalization and units as :func:`diffuson`; :math:`q` is the total momentum of the
    particle-particle pair. The gap :math:`1/\tau_\phi` cuts the return-probability integral
    at long times: :math:`\int d^dq/(2\pi)^d P_c(q, 0) = \int_0^\infty P(0,t)
    e^{-t/\tau_\phi} dt`.

    Parameters
    ----------
    q : array_like
        Wave number in 1/m.
    omega : array_like
        Angular frequency in rad/s.
    diffusion : array_like
        Diffusion constant in m^2/s, positive.
    tau_phi : array_like
        Phase-coherence time in s, positive (``numpy.inf`` gives the diffuson).

    Returns
    -------
    ndarray of complex
        :math:`P_c` in s.

    References
    ----------
    Gorkov, Larkin and Khmelnitskii (1979); Akkermans and Montambaux (2007), section 4.6.
    """
    q, w, D = _propagator_args(q, omega, diffusion)
    tp = np.asarray(tau_phi, dtype=float)
    if np.any(np.isnan(tp)) or np.any(tp <= 0):
        raise InputError("tau_phi must be positive (s); use numpy.inf for no dephasing")
    return _pole(D * q**2 - 1j * w + 1.0 / tp)


def cooperon_field_factor(t, diffusion, field):
    r"""Suppression of the 2D Cooperon's return probability by a perpendicular field.

    .. math::

        \frac{P_B(0,t)}{P(0,t)} = \frac{y}{\sinh y}, \qquad
        y = \frac{2 D e |B| t}{\hbar} = \frac{2 D t}{l_B^2},\quad l_B^2 = \frac{\hbar}{e|B|}.

    The Cooperon carries charge 2e: its Landau levels :math:`(n + \tfrac12)\, 4D/l_B^2`,
    each holding :math:`2e|B|/h` states per area, sum to
    :math:`P_B(0,t) = 1/(2\pi l_B^2 \sinh y)`, and :math:`P(0,t) = 1/(4\pi D t)` at
    :math:`B = 0`. Diffusive paths only: it holds for :math:`t \gg \tau` and
    :math:`B \ll B_{\rm tr} = \hbar/(2 e l^2)`, where the loops that matter enclose many
    mean free paths (:func:`weakloc.montecarlo.randomwalk.simulate_walks` with ``field``
    measures it beyond that).

    Parameters
    ----------
    t : array_like
        Time in s, non-negative.
    diffusion : array_like
        Diffusion constant D in m^2/s, positive.
    field : array_like
        Perpendicular field B in T (its sign does not matter).

    Returns
    -------
    ndarray
        :math:`y/\sinh y`, dimensionless, 1 at :math:`y = 0`.

    References
    ----------
    Altshuler, Aronov, Khmelnitskii and Larkin, in *Quantum Theory of Solids*, ed. I. M.
    Lifshitz (Mir, Moscow, 1982); Chakravarty and Schmid, Phys. Rep. 140, 193 (1986).
    """
    t = v.nonnegative("t", t, "s")
    D = v.positive("diffusion", diffusion, "m^2/s")
    B = np.abs(v.finite_array("field", field))
    y = 2.0 * D * E_CHARGE * B * t / HBAR
    ys = np.where(y > 0, y, 1.0)
    # y / sinh y = 2 y e^-y / (1 - e^-2y): no overflow at large y
    return np.where(y > 0, 2.0 * ys * np.exp(-ys) / -np.expm1(-2.0 * ys), 1.0)


def _pole(den):
    den = np.asarray(den, dtype=complex)
    out = np.full(den.shape, np.inf + 0j)
    nz = den != 0
    out[nz] = 1.0 / den[nz]
    return out
