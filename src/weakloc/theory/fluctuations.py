r"""Universal conductance fluctuations (UCF): the magnetofingerprint correlation function.

The reproducible fluctuation :math:`\delta G(B)` of a phase-coherent sample has the
correlation function :math:`F(\Delta B) = \langle \delta G(B)\,\delta G(B + \Delta B)\rangle`
of Lee, Stone and Fukuyama (diagrammatic, diffusive regime). At fields well above the
weak-localization field (the usual magnetofingerprint) only the diffuson contributes; its
"charge" is :math:`e` and it sees the field difference :math:`\Delta B`. Per spin direction,
in units of :math:`(e^2/h)^2`,

.. math::

    F = 2 \sum_{\mathbf q} \left\langle \frac{2}{|\Gamma_q|^2}
        + \mathrm{Re}\,\frac{1}{\Gamma_q^2} \right\rangle_T ,\qquad
    \Gamma_q = L^2\left(q^2 + L_\varphi^{-2} - i\,\varepsilon/\hbar D\right),

with Dirichlet modes :math:`q_x = \pi n/L` along the sample (length L between the contacts),
:math:`\langle\cdot\rangle_T` the average over the energy difference :math:`\varepsilon` with
the kernel :math:`K(\varepsilon) = \int dE\, f'(E) f'(E+\varepsilon)` (thermal smearing, set by
:math:`L_T = \sqrt{\hbar D/k_B T}`). Without dephasing and at T = 0 the wire gives
:math:`6\sum_n (\pi n)^{-4} = 1/15`, the unitary quasi-1D value per spin channel. The two
diagram classes are weighted 2 : 1; with that weighting a long wire with
:math:`L_T \ll L_\varphi` has :math:`F(0) = (2\pi/9)(L_T/L_\varphi)^2` times its T = 0
value, Beenakker and van Houten's :math:`(8\pi/3\beta)(e^2/h)^2 L_T^2 L_\varphi/L^3`.

* **Wire** (``dim=1``, width W << L_phi, dirty limit l << W): the field acts as a dephasing
  rate, :math:`L_\varphi^{-2} \to L_\varphi^{-2} + (e\,\Delta B\, W/\hbar)^2/12`
  (Altshuler-Aronov; Beenakker and van Houten, PRB 37, 6544 (1988)). With L >> L_phi and
  :math:`L_T \gg L_\varphi`: :math:`F(0) = (3/2)(L_\varphi/L)^3` per spin and
  :math:`F(\Delta B)/F(0) = [1 + (e \Delta B W L_\varphi/\hbar)^2/12]^{-3/2}`.
* **Film** (``dim=2``, L, W >> L_phi): the diffuson forms Landau levels
  :math:`q^2 = (2e\Delta B/\hbar)(N + 1/2)`; with :math:`b = 2 e \Delta B L_\varphi^2/\hbar`,
  :math:`F = \frac{3}{2\pi}\frac{W}{L}\left(\frac{L_\varphi}{L}\right)^2 S(b)` with
  :math:`S(b) = \psi'(1/2 + 1/b)/b` at T = 0 (:math:`S(0) = 1`).

A conductance with ``spin_degeneracy`` s identical spin directions (no Zeeman or spin-orbit
splitting) has :math:`s^2` times the per-spin variance. Results are in S^2 (``F``) and S
(``rms``). The correlation field :math:`B_c` is the field lag at which :math:`F` falls to half
of :math:`F(0)`.

References
----------
Lee and Stone, PRL 55, 1622 (1985); Lee, Stone and Fukuyama, PRB 35, 1039 (1987);
Beenakker and van Houten, PRB 37, 6544 (1988); Akkermans and Montambaux, *Mesoscopic
Physics of Electrons and Photons* (2007), ch. 11.
"""

from __future__ import annotations

import math

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.units import E2_OVER_H, E_CHARGE, HBAR, K_B

__all__ = ["thermal_kernel", "thermal_length", "ucf_correlation", "ucf_shape",
           "ucf_rms", "ucf_correlation_field", "l_phi_from_correlation_field",
           "l_phi_from_rms"]

# energy grid (units of k_B T) of the thermal average; K(u) < 1e-16 beyond |u| = 40
_UMAX, _UNODES = 40.0, 400
_LANDAU_TERMS = 400


def thermal_kernel(u):
    r"""Thermal smearing kernel :math:`K(u) = \int dE\, f'(E) f'(E + u k_B T)`, in 1/(k_B T).

    .. math::

        K(u) = \frac{u \coth(u/2) - 2}{4 \sinh^2(u/2)}, \qquad \int K\,du = 1,\quad K(0) = 1/6,

    the second derivative of :math:`u/(1 - e^{-u})` (u is the energy difference in units of
    :math:`k_B T`, dimensionless).
    """
    u = np.abs(np.asarray(u, dtype=float))
    small = u < 1e-2
    us = np.where(small, 1.0, u)
    k = (us / np.tanh(us / 2) - 2.0) / (4.0 * np.sinh(us / 2) ** 2)
    return np.where(small, 1.0 / 6 - u**2 / 60, k)


def thermal_length(diffusion, temperature):
    r"""Thermal length :math:`L_T = \sqrt{\hbar D / k_B T}` in m (D in m^2/s, T in K)."""
    d = v.positive("diffusion", diffusion, "m^2/s")
    t = v.positive("temperature", temperature, "K")
    return np.sqrt(HBAR * d / (K_B * t))


def _thermal_average(term, r2):
    """Average ``term(y)`` over y = u r2 with the kernel K(u) (trapezoid, K even)."""
    if r2 == 0.0:
        return term(np.zeros(1))[..., 0]
    # u = s sinh(t): dense where term(y) varies (|y| <~ 1, i.e. u <~ 1/r2), K even
    sc = min(1.0, 1.0 / r2)
    t = np.linspace(0.0, math.asinh(_UMAX / sc), _UNODES)
    u = sc * np.sinh(t)
    w = thermal_kernel(u) * sc * np.cosh(t) * (t[1] - t[0])
    w[0] *= 0.5
    w[-1] *= 0.5
    vals = term(u * r2)
    return np.sum(vals * w, axis=-1) / np.sum(w)


def _wire_continuum(c, y):
    """(1/pi) int_0^inf dk 2 (3x^2 + y^2)/(x^2 + y^2)^2, x = k^2 + c: with z = x - iy that is
    4/|z|^2 + 2 Re 1/z^2, integrated in closed form (units of L_phi)."""
    y = np.broadcast_to(y, np.broadcast(c, y).shape)
    z = c - 1j * y
    re = (np.pi / 4) * np.real(z ** -1.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        im = np.where(y > 0, np.imag(z ** -0.5) / np.where(y > 0, y, 1.0), 0.5 * c ** -1.5)
    return (2.0 / np.pi) * (np.pi * im + re)


def _wire_sum(c, lp_over_l, r2, length_known):
    """Per-spin F in (e^2/h)^2 for the wire; ``c`` = 1 + (L_phi/L_B)^2 (array).

    The mode sum over n >= 1 of the even, smooth f(n) equals int_0^inf f dn - f(0)/2 up to
    terms of order exp(-2 L/L_c) (Euler-Maclaurin: every odd derivative vanishes at 0), used
    where L/L_c >= 5; shorter samples are summed mode by mode.
    """
    c = np.asarray(c, dtype=float)[..., None]
    if not length_known:
        return _thermal_average(lambda y: _wire_continuum(c, y), r2) * lp_over_l ** 3
    a2 = c / lp_over_l**2  # (L/L_c)^2
    long_ = a2 >= 25.0
    nmax = int(40 + 20 * math.sqrt(float(np.max(a2, where=~long_, initial=1.0))))
    n = np.arange(1, nmax + 1)

    def term(y):
        yy = y / lp_over_l**2
        x0 = a2
        em = lp_over_l**3 * _wire_continuum(c, y) - (3 * x0**2 + yy**2) / (x0**2 + yy**2) ** 2
        x = (np.pi * n) ** 2 + np.where(long_, 0.0, a2)[..., None]
        y2 = yy[..., None] ** 2
        modes = 2.0 * np.sum((3 * x**2 + y2) / (x**2 + y2) ** 2, axis=-1)
        return np.where(long_, em, modes)
    return _thermal_average(term, r2)


def _film_sum(b, r2):
    """S(b) = b sum_N (x^2 + y^2/3)/(x^2 + y^2)^2, x = 1 + b(N + 1/2); S(0) = 1 at y = 0."""
    b = np.asarray(b, dtype=float)[..., None]

    def tail(x0, y):  # integral of (x^2 + y^2/3)/(x^2+y^2)^2 from x0 to infinity
        with np.errstate(invalid="ignore", divide="ignore"):
            yy = np.where(y > 0, y, 1.0)
            full = (2 / 3) * (np.pi / 2 - np.arctan(x0 / yy)) / yy + x0 / (3 * (x0**2 + y**2))
        return np.where(y > 0, full, 1.0 / x0)

    def term(y):
        n = np.arange(_LANDAU_TERMS)
        bb = b[..., None]
        x = 1.0 + bb * (n + 0.5)
        yy = y[..., None]
        s = bb[..., 0] * np.sum((x**2 + yy**2 / 3) / (x**2 + yy**2) ** 2, axis=-1)
        x_end = 1.0 + b * _LANDAU_TERMS
        return np.where(b > 0, s + tail(x_end, y), tail(1.0, y))
    return _thermal_average(term, r2)


def _check_geometry(dim, width, length, need_length):
    dim = v.dimension(dim, allowed=(1, 2))
    if width is None and (dim == 1 or need_length):
        raise InputError(f"the {'wire' if dim == 1 else 'film'} needs its width: pass "
                         "width=... (m)")
    if need_length and length is None:
        raise InputError("the UCF amplitude needs the sample length between the contacts: "
                         "pass length=... (m)")
    w = None if width is None else float(v.positive("width", width, "m"))
    ln = None if length is None else float(v.positive("length", length, "m"))
    return dim, w, ln


def _per_spin(delta_b, dim, l_phi, width, length, l_t):
    """Per-spin F(Delta B) in (e^2/h)^2 (length None: L >> L_phi limit, shape only in 1D)."""
    db = np.abs(v.finite_array("delta_b", delta_b))
    lp = float(v.positive("l_phi", l_phi, "m"))
    r2 = 0.0 if l_t is None else (lp / float(v.positive("l_t", l_t, "m"))) ** 2
    if dim == 1:
        c = 1.0 + (E_CHARGE * db * width * lp / HBAR) ** 2 / 12.0
        if length is None:
            return _wire_sum(c, 1.0, r2, False)
        return _wire_sum(c, lp / length, r2, True)
    b = 2.0 * E_CHARGE * db * lp**2 / HBAR
    geo = 1.0 if length is None else 3.0 / (2 * np.pi) * (width / length) * (lp / length) ** 2
    return geo * _film_sum(b, r2)


def ucf_correlation(delta_b, *, dim, l_phi, width, length, l_t=None, spin_degeneracy=2):
    r"""Magnetofingerprint correlation :math:`F(\Delta B) = \langle\delta G(B)\delta G(B +
    \Delta B)\rangle` in S^2 (diffuson only: fields above the weak-localization field).

    See the module docstring for the equations.

    Parameters
    ----------
    delta_b : array_like
        Field lag in T.
    dim : {1, 2}
        Wire (W << L_phi) or film (L, W >> L_phi).
    l_phi : float
        Phase-coherence length in m.
    width, length : float
        Sample width and length between the contacts in m.
    l_t : float, optional
        Thermal length :math:`\sqrt{\hbar D/k_B T}` in m (:func:`thermal_length`); None
        means :math:`L_T \gg L_\varphi` (no thermal smearing).
    spin_degeneracy : int
        Identical spin directions (2 without Zeeman or spin-orbit splitting, 1 spinless).

    Returns
    -------
    ndarray
        F in S^2.

    References
    ----------
    Lee, Stone and Fukuyama, PRB 35, 1039 (1987); Beenakker and van Houten, PRB 37, 6544 (1988).
    """
    dim, w, ln = _check_geometry(dim, width, length, True)
    s = v.positive_int("spin_degeneracy", spin_degeneracy)
    return (s * E2_OVER_H) ** 2 * _per_spin(delta_b, dim, l_phi, w, ln, l_t)


def ucf_shape(delta_b, *, dim, l_phi, width=None, length=None, l_t=None):
    r"""Normalized correlation :math:`F(\Delta B)/F(0)` (dimensionless; ``delta_b`` in T).

    The film's shape needs no geometry; the wire's needs the width (and the length when
    it is not much longer than :math:`L_\varphi`). Other arguments as :func:`ucf_correlation`.
    """
    dim, w, ln = _check_geometry(dim, width, length, False)
    ln = ln if dim == 1 else None
    f = _per_spin(delta_b, dim, l_phi, w, ln, l_t)
    return f / _per_spin(0.0, dim, l_phi, w, ln, l_t)


def ucf_rms(*, dim, l_phi, width, length, l_t=None, spin_degeneracy=2):
    r"""RMS conductance fluctuation :math:`\sqrt{F(0)}` in S (see :func:`ucf_correlation`).

    Limits (T = 0, L >> L_phi, s = 2): wire :math:`\sqrt 6\,(e^2/h)(L_\varphi/L)^{3/2}`;
    film :math:`(e^2/h)\sqrt{(6/\pi)(W/L)}\,L_\varphi/L`.
    """
    return float(np.sqrt(ucf_correlation(0.0, dim=dim, l_phi=l_phi, width=width,
                                         length=length, l_t=l_t,
                                         spin_degeneracy=spin_degeneracy)))


def ucf_correlation_field(*, dim, l_phi, width=None, length=None, l_t=None):
    r"""Correlation field :math:`B_c` in T: :math:`F(B_c) = F(0)/2`.

    T = 0 limits: film :math:`B_c = b_c \hbar/(2 e L_\varphi^2)` with :math:`b_c = 6.213`
    (:math:`\psi'(1/2 + 1/b_c) = b_c/2`), i.e. :math:`B_c = 3.107\,\hbar/(e L_\varphi^2)`;
    long wire :math:`B_c = \sqrt{12(2^{2/3} - 1)}\,
    \hbar/(e W L_\varphi) = 0.42\,(h/e)/(W L_\varphi)`.
    """
    dim, w, ln = _check_geometry(dim, width, length, False)
    lp = float(v.positive("l_phi", l_phi, "m"))
    if dim == 1:
        scale = HBAR / (E_CHARGE * w * (lp if ln is None else min(lp, ln)))
    else:
        scale = HBAR / (2 * E_CHARGE * lp**2)

    def half(x):
        return float(ucf_shape(x * scale, dim=dim, l_phi=lp, width=w, length=ln,
                               l_t=l_t)) - 0.5
    hi = 1.0
    while half(hi) > 0:
        hi *= 2.0
        if hi > 1e6:  # pragma: no cover - F decays for every finite geometry
            raise InputError("the correlation never falls to half; check the geometry")
    from scipy.optimize import brentq  # here: importing scipy.optimize costs 0.2 s

    return brentq(half, 0.0, hi, xtol=1e-12, rtol=1e-10) * scale


def _invert(fun, target, what):
    lo, hi = 1e-9, 1e-2
    flo, fhi = fun(lo) - target, fun(hi) - target
    if flo * fhi > 0:
        raise InputError(f"no L_phi between 1 nm and 1 cm gives this {what}; check the "
                         "geometry (width=..., length=...) and the units of the data")
    from scipy.optimize import brentq

    return math.exp(brentq(lambda x: fun(math.exp(x)) - target, math.log(lo), math.log(hi),
                           xtol=1e-12))


def l_phi_from_correlation_field(b_c, *, dim, width=None, length=None, l_t=None):
    """The L_phi (m) whose :func:`ucf_correlation_field` is ``b_c`` (T)."""
    b_c = float(v.positive("b_c", b_c, "T"))
    return _invert(lambda lp: math.log(ucf_correlation_field(
        dim=dim, l_phi=lp, width=width, length=length, l_t=l_t)), math.log(b_c),
        "correlation field")


def l_phi_from_rms(rms, *, dim, width, length, l_t=None, spin_degeneracy=2):
    """The L_phi (m) whose :func:`ucf_rms` is ``rms`` (S)."""
    rms = float(v.positive("rms", rms, "S"))
    return _invert(lambda lp: math.log(ucf_rms(dim=dim, l_phi=lp, width=width, length=length,
                                               l_t=l_t, spin_degeneracy=spin_degeneracy)),
                   math.log(rms), "fluctuation amplitude")
