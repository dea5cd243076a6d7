r"""Closed-form magnetoconductance of diffusive conductors (weak (anti)localization).

Every function returns the magnetoconductance ``dsigma(B) = sigma(B) - sigma(0)``: even in
``B``, finite at ``B = 0`` where it vanishes, vectorized over broadcast arrays. Fields are in
tesla, lengths in metres; 2D results are sheet conductances in S (per square), the wire result
is a 1D conductivity change in S m (or a conductance change in S for a given wire length), the
3D result a conductivity change in S/m.

Conventions
-----------
* ``G0 = e^2/(pi h) = e^2/(2 pi^2 hbar)`` (:data:`weakloc.units.G0`), spin degeneracy included
  in the formulas, never in ``G0``.
* Characteristic fields ``B_i = hbar / (4 e L_i^2)`` (:func:`weakloc.units.length_to_field`).
* ``f(x) = psi(1/2 + x) - ln x`` with the digamma function ``psi``; ``f >= 0`` and
  ``f(B_phi/B)`` grows with ``|B|``.
* Sign of ``alpha`` (HLN one-parameter form): ``dsigma = + alpha G0 f(B_phi/B)``.
  ``alpha = +1`` is weak localization in the orthogonal class (positive magnetoconductance,
  negative magnetoresistance), ``alpha = 0`` the unitary class, ``alpha = -1/2`` weak
  anti-localization of one strongly spin-orbit coupled channel (one Dirac surface). This is the
  convention of Chen et al., PRL 105, 176602 (2010); papers that write ``-alpha`` with
  ``alpha = +1/2`` for WAL use the opposite sign.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma, zeta

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.units import E_CHARGE, G0, H_PLANCK, HBAR, length_to_field

__all__ = [
    "digamma_f", "kawabata_f3",
    "hln", "hln_full", "ilp", "mccann_falko", "graphene_soc", "wire", "kawabata",
    "kawabata_so", "MODELS",
]

# Series of f(x) = psi(1/2 + x) - ln x for large x, in r = 1/x:
# f = r^2/24 - 7 r^4/960 + 31 r^6/8064 - 127 r^8/30720 + O(r^10).
_F_SERIES = (1.0 / 24.0, -7.0 / 960.0, 31.0 / 8064.0, -127.0 / 30720.0)
_R_SERIES = 0.02  # below this r = B/B_i the series is exact to double precision


def _field(B) -> np.ndarray:
    try:
        arr = np.asarray(B, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"field B must be numeric (tesla), got {B!r}") from None
    if not np.all(np.isfinite(arr)):
        raise InputError("field B contains NaN or infinite values; remove those points")
    return np.abs(arr)


def _length(name: str, value, *, allow_inf: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a length in metres, got {value!r}") from None
    if np.any(np.isnan(arr)):
        raise InputError(f"{name} is NaN; give a positive length in metres")
    if np.any(arr <= 0):
        raise InputError(f"{name} must be a positive length in metres, got {arr.min():g}")
    if not allow_inf and np.any(np.isinf(arr)):
        raise InputError(f"{name} must be finite; give a positive length in metres")
    return arr


def _f_ratio(r) -> np.ndarray:
    """``f(1/r)`` for ``r = |B|/B_i >= 0`` (``r = 0`` gives 0, without warnings)."""
    r = np.asarray(r, dtype=float)
    small = r < _R_SERIES
    r2 = np.where(small, r, 0.0) ** 2     # the series only where it is used: no overflow
    series = r2 * (_F_SERIES[0] + r2 * (_F_SERIES[1] + r2 * (_F_SERIES[2] + r2 * _F_SERIES[3])))
    rs = np.where(small, 1.0, r)
    with np.errstate(divide="ignore", over="ignore"):
        direct = digamma(0.5 + 1.0 / rs) + np.log(rs)
    return np.where(small, series, direct)


def digamma_f(x):
    r"""The HLN function :math:`f(x) = \psi(1/2 + x) - \ln x` (dimensionless, ``x > 0``).

    Parameters
    ----------
    x : array_like
        Ratio of fields ``B_i / B`` (dimensionless), positive; ``inf`` gives 0.

    Returns
    -------
    ndarray
        ``f(x) >= 0``; ``f ~ 1/(24 x^2)`` for large ``x``, ``f ~ -ln x - 1.96351`` for small.
    """
    x = np.asarray(x, dtype=float)
    if np.any(np.isnan(x)) or np.any(x <= 0):
        raise InputError("digamma_f needs x = B_i/B > 0")
    with np.errstate(divide="ignore"):
        return _f_ratio(1.0 / x)


def hln(B, alpha, l_phi):
    r"""One-parameter Hikami-Larkin-Nagaoka magnetoconductance.

    .. math:: \Delta\sigma(B) = \alpha\, G_0\, f(B_\phi/B), \quad
              G_0 = e^2/(\pi h), \quad B_\phi = \hbar/(4 e L_\phi^2).

    Parameters
    ----------
    B : array_like
        Perpendicular field in T.
    alpha : array_like
        Prefactor (dimensionless): +1 orthogonal WL (spin degeneracy included), 0 unitary,
        -1/2 per strongly spin-orbit coupled channel (WAL). Decoupled channels add.
    l_phi : array_like
        Phase-coherence length in m.

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S per square.

    References
    ----------
    Hikami, Larkin, Nagaoka, Prog. Theor. Phys. 63, 707 (1980); sign convention of Chen et al.,
    PRL 105, 176602 (2010).
    """
    b = _field(B)
    alpha = np.asarray(alpha, dtype=float)
    if np.any(~np.isfinite(alpha)):
        raise InputError("alpha must be finite (e.g. 1 for WL, -0.5 for WAL)")
    bphi = length_to_field(_length("l_phi", l_phi))
    return alpha * G0 * _f_ratio(b / bphi)


def hln_full(B, l_phi, l_so, l_s=np.inf, l_e=None):
    r"""HLN magnetoconductance with spin-orbit and magnetic-impurity scattering.

    .. math:: \Delta\sigma = -G_0 \left[ f\left(\frac{B_1}{B}\right)
              - \frac32 f\left(\frac{B_2}{B}\right) + \frac12 f\left(\frac{B_3}{B}\right)
              \right],

    with :math:`B_1 = B_e + B_{so} + B_s`, :math:`B_2 = B_\phi + \tfrac43 B_{so} +
    \tfrac23 B_s`, :math:`B_3 = B_\phi + 2 B_s` and every :math:`B_i = \hbar/(4 e L_i^2)`.
    Without spin scattering this is the HLN form with ``alpha = +1``; for ``B_so -> inf`` it
    tends to ``alpha = -1/2``.

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi : array_like
        Phase-coherence length in m.
    l_so : array_like
        Spin-orbit length in m (``inf`` for none).
    l_s : array_like, optional
        Magnetic (spin-flip) scattering length in m; ``inf`` (default) for none.
    l_e : array_like or None, optional
        Elastic mean free path in m setting the cutoff ``B_e``; ``None`` (default) takes the
        diffusive limit ``B_e -> inf`` in which the ``B_1`` term vanishes (valid for
        ``B << B_e``).

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S per square.

    References
    ----------
    Hikami, Larkin, Nagaoka, Prog. Theor. Phys. 63, 707 (1980).
    """
    b = _field(B)
    bphi = length_to_field(_length("l_phi", l_phi))
    with np.errstate(divide="ignore"):
        bso = length_to_field(_length("l_so", l_so, allow_inf=True))
        bs = length_to_field(_length("l_s", l_s, allow_inf=True))
    b2 = bphi + 4.0 / 3.0 * bso + 2.0 / 3.0 * bs
    b3 = bphi + 2.0 * bs
    out = 1.5 * _f_ratio(b / b2) - 0.5 * _f_ratio(b / b3)
    if l_e is not None:
        be = length_to_field(_length("l_e", l_e))
        b1 = be + bso + bs
        out = out - _f_ratio(b / b1)
    return G0 * out


def ilp(B, l_phi, l_so):
    r"""Iordanskii-Lyanda-Geller-Pikus magnetoconductance, cubic spin-orbit only.

    .. math:: \Delta\sigma = -G_0 \left[ \frac12 f\left(\frac{B_\phi}{B}\right)
              - f\left(\frac{B_\phi + B_{so}}{B}\right)
              - \frac12 f\left(\frac{B_\phi + 2 B_{so}}{B}\right) \right].

    ``B_so = hbar/(4 e L_so^2)`` is the ILP spin-relaxation field (the triplet splits 2:1), not
    HLN's. Limits: ``l_so -> inf`` gives HLN with ``alpha = +1``; ``l_so -> 0`` gives -1/2.

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi, l_so : array_like
        Phase-coherence and spin-orbit lengths in m (``l_so = inf`` allowed).

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S per square.

    References
    ----------
    Iordanskii, Lyanda-Geller, Pikus, JETP Lett. 60, 206 (1994); Knap et al., PRB 53, 3912
    (1996), the three-digamma form for a cubic (k^3) spin-orbit term.
    """
    b = _field(B)
    bphi = length_to_field(_length("l_phi", l_phi))
    with np.errstate(divide="ignore"):
        bso = length_to_field(_length("l_so", l_so, allow_inf=True))
    out = (
        -0.5 * _f_ratio(b / bphi)
        + _f_ratio(b / (bphi + bso))
        + 0.5 * _f_ratio(b / (bphi + 2.0 * bso))
    )
    return G0 * out


def mccann_falko(B, l_phi, l_i, l_star):
    r"""Weak-localization magnetoconductance of monolayer graphene (McCann et al. 2006).

    .. math:: \Delta\sigma = G_0 \left[ F\left(\frac{B}{B_\phi}\right)
              - F\left(\frac{B}{B_\phi + 2 B_i}\right)
              - 2 F\left(\frac{B}{B_\phi + B_*}\right) \right], \quad
              F(z) = \ln z + \psi\left(\frac12 + \frac1z\right) = f(1/z),

    with :math:`B_{\phi,i,*} = \hbar/(4 e L_{\phi,i,*}^2)`. Here :math:`L_*` includes all
    intravalley chirality-breaking processes and intervalley scattering
    (:math:`\tau_*^{-1} = \tau_w^{-1} + \tau_z^{-1} + \tau_i^{-1}`); Tikhonenko et al.,
    PRL 100, 056802 (2008) instead write :math:`B_\phi + B_i + B_*` with :math:`B_*` excluding
    intervalley scattering. Limits: strong intervalley and intravalley scattering gives
    ``+G0 f(B_phi/B)`` (WL); neither gives ``-2 G0 f(B_phi/B)`` (WAL).

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi, l_i, l_star : array_like
        Phase-coherence, intervalley and chirality-breaking (intravalley) lengths in m.

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S per square.

    References
    ----------
    McCann, Kechedzhi, Fal'ko, Suzuura, Ando, Altshuler, PRL 97, 146805 (2006), Eq. (3).
    """
    b = _field(B)
    bphi = length_to_field(_length("l_phi", l_phi))
    bi = length_to_field(_length("l_i", l_i, allow_inf=True))
    bst = length_to_field(_length("l_star", l_star, allow_inf=True))
    out = _f_ratio(b / bphi) - _f_ratio(b / (bphi + 2.0 * bi)) - 2.0 * _f_ratio(b / (bphi + bst))
    return G0 * out


def graphene_soc(B, l_phi, l_asy, l_sym):
    r"""Magnetoconductance of graphene with proximity spin-orbit coupling (McCann, Fal'ko 2012).

    .. math:: \Delta\sigma = -\frac{G_0}{2} \left[ F\left(\frac{B}{B_\phi}\right)
              - F\left(\frac{B}{B_\phi + 2 B_{asy}}\right)
              - 2 F\left(\frac{B}{B_\phi + B_{asy} + B_{sym}}\right) \right],

    :math:`F(z) = \ln z + \psi(1/2 + 1/z) = f(1/z)`, :math:`G_0/2 = e^2/(2\pi h)` and
    :math:`B_i = \hbar/(4 e L_i^2)`. ``l_asy`` is the length of the spin relaxation by the
    z -> -z asymmetric (Rashba-type) coupling, ``l_sym`` by the symmetric one (Kane-Mele,
    valley-Zeeman); the form holds when intervalley scattering is fast (the regime of
    graphene on transition-metal dichalcogenides). Limits: no spin-orbit coupling
    (``l_asy = l_sym = inf``) gives weak localization ``+G0 f(B_phi/B)``, i.e. HLN with
    ``alpha = +1``; strong coupling (both lengths -> 0) gives ``-G0/2 f(B_phi/B)``, HLN
    with ``alpha = -1/2``. Spin and valley degeneracies are included.

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi : array_like
        Phase-coherence length in m.
    l_asy, l_sym : array_like
        Spin-orbit lengths in m (``inf`` for none) of the asymmetric and symmetric coupling.

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S per square.

    References
    ----------
    E. McCann and V. I. Fal'ko, PRL 108, 166606 (2012), Eq. (4); used for graphene on WSe2
    and MoS2, e.g. Wang et al., PRX 6, 041020 (2016).
    """
    b = _field(B)
    bphi = length_to_field(_length("l_phi", l_phi))
    with np.errstate(divide="ignore"):
        basy = length_to_field(_length("l_asy", l_asy, allow_inf=True))
        bsym = length_to_field(_length("l_sym", l_sym, allow_inf=True))
    out = (_f_ratio(b / bphi) - _f_ratio(b / (bphi + 2.0 * basy))
           - 2.0 * _f_ratio(b / (bphi + basy + bsym)))
    return -0.5 * G0 * out


def wire(B, l_phi, width, l_e=None, g_s=2, g_v=1, length=None):
    r"""Magnetoconductance of a quasi-1D diffusive wire in a perpendicular field (dirty limit).

    .. math:: \delta G(B) = -\frac{g_s g_v e^2}{h L} \left[ (L_\phi^{-2} + l_B^{-2})^{-1/2}
              - (L_\phi^{-2} + l_B^{-2} + l_e^{-2})^{-1/2} \right], \quad
              l_B = \frac{\sqrt3\, l_m^2}{W}, \; l_m^2 = \frac{\hbar}{e B},

    returned as ``dG(B) - dG(0)`` (positive: WL is suppressed by the field).

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi : array_like
        Phase-coherence length in m (``l_phi >> width`` for the quasi-1D form).
    width : array_like
        Wire width W in m (dirty limit ``l_e << W``).
    l_e : array_like or None, optional
        Elastic mean free path in m for the short-length cutoff; ``None`` drops the second term
        (``l_e << L_phi``).
    g_s, g_v : int, optional
        Spin (1 or 2) and valley (a positive integer) degeneracies (default 2 and 1);
        other values raise :class:`~weakloc.errors.InputError`.
    length : array_like or None, optional
        Wire length L in m. ``None`` (default): return the change of the 1D conductivity
        ``dG L`` in S m (divide by L to get the conductance change). Given: return ``dG`` in S.

    Returns
    -------
    ndarray
        ``G(B) L - G(0) L`` in S m, or ``G(B) - G(0)`` in S when ``length`` is given.

    References
    ----------
    Altshuler and Aronov, JETP Lett. 33, 499 (1981); Beenakker and van Houten, PRB 38, 3232
    (1988).
    """
    b = _field(B)
    lphi = _length("l_phi", l_phi)
    w = _length("width", width)
    g_s = v.choice("g_s", g_s, (1, 2))
    g_v = v.positive_int("g_v", g_v)
    inv_lb2 = (w * E_CHARGE * b / HBAR) ** 2 / 3.0

    def term(inv_l2):
        # (inv_l2 + inv_lb2)^(-1/2) - inv_l2^(-1/2), computed without cancellation
        u = inv_lb2 / inv_l2
        return np.sqrt(1.0 / inv_l2) * np.expm1(-0.5 * np.log1p(u))

    out = -term(lphi**-2.0)  # = L_phi - (L_phi^-2 + l_B^-2)^-1/2 >= 0
    if l_e is not None:
        le = _length("l_e", l_e)
        out = out + term(lphi**-2.0 + le**-2.0)
    out = g_s * g_v * E_CHARGE**2 / H_PLANCK * out
    if length is not None:
        out = out / _length("length", length)
    return out


def kawabata_f3(d):
    r"""Kawabata's 3D function :math:`f_3(\delta)` (dimensionless).

    .. math:: f_3(\delta) = \sum_{N\ge0} \left[ 2\left(\sqrt{N+1+\delta} - \sqrt{N+\delta}
              \right) - \left(N + \tfrac12 + \delta\right)^{-1/2} \right].

    The first terms (while ``N + delta < 32``) are summed directly; the rest use the
    asymptotic expansion of each term, :math:`y^{-5/2}/32 + 7 y^{-9/2}/2048 +
    33 y^{-13/2}/65536` with :math:`y = N + 1/2 + \delta`, summed exactly with Hurwitz zeta
    functions (relative truncation error below 1e-10).

    Parameters
    ----------
    d : array_like
        ``delta = B_phi/B >= 0``; ``inf`` gives 0.

    Returns
    -------
    ndarray
        ``f3(delta)``; ``f3(0) = 0.604898530``.
    """
    d = np.asarray(d, dtype=float)
    if np.any(np.isnan(d)) or np.any(d < 0):
        raise InputError("kawabata_f3 needs delta = B_phi/B >= 0")
    dd = np.where(np.isinf(d), 0.0, d)
    n_exp = 32
    k = np.where(dd < n_exp, n_exp, 0)
    n = np.arange(n_exp).reshape((n_exp,) + (1,) * dd.ndim)
    m = n + dd
    terms = 2.0 / (np.sqrt(m + 1.0) + np.sqrt(m)) - 1.0 / np.sqrt(m + 0.5)
    head = np.sum(np.where(n < k, terms, 0.0), axis=0)
    q = k + 0.5 + dd
    tail = zeta(2.5, q) / 32.0 + 7.0 * zeta(4.5, q) / 2048.0 + 33.0 * zeta(6.5, q) / 65536.0
    return np.where(np.isinf(d), 0.0, head + tail)


def _kawabata_term(b, bchar):
    """``sqrt(e/hbar) e^2/(2 pi^2 hbar) sqrt(B) f3(B_char/B)`` in S/m (0 at B = 0)."""
    b, bchar = np.broadcast_arrays(b, bchar)
    pref = E_CHARGE**2 / (2.0 * np.pi**2 * HBAR) * np.sqrt(E_CHARGE / HBAR)
    tiny = b < 1e-9 * bchar
    bs = np.where(tiny, bchar, b)
    full = np.sqrt(bs) * kawabata_f3(bchar / bs)
    # f3(d) -> d^(-3/2)/48 (1 + O(1/d)) for d -> inf: sqrt(B) f3 -> B^2 / (48 B_phi^(3/2))
    lead = b**2 / (48.0 * bchar**1.5)
    return pref * np.where(tiny, lead, full)


def _amplitude(amplitude):
    a = np.asarray(amplitude, dtype=float)
    if not np.all(np.isfinite(a)):
        raise InputError("amplitude must be a finite number (dimensionless)")
    return a


def kawabata(B, l_phi, amplitude=1.0):
    r"""3D weak-localization magnetoconductivity (Kawabata 1980).

    .. math:: \Delta\sigma(B) = A\,\frac{e^2}{2\pi^2\hbar}\sqrt{\frac{e B}{\hbar}}\,
              f_3\left(\frac{B_\phi}{B}\right), \quad B_\phi = \frac{\hbar}{4 e L_\phi^2},

    orthogonal class, spin degeneracy included (see :func:`kawabata_f3`). At low field
    ``f3(d) ~ d^(-3/2)/48`` so the result is quadratic in ``B``; at high field it grows as
    ``sqrt(B)``. The dimensionless ``amplitude`` ``A`` (1 for the formula itself) absorbs an
    unknown geometry: a film of thickness ``t`` whose sheet conductance is fitted has
    ``A = t / (1 m)``, and a bulk sample with an uncertain ``L/A`` gets its true factor.

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi : array_like
        Phase-coherence length in m.
    amplitude : array_like
        Dimensionless scale ``A`` (default 1).

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S/m (times ``A``).

    References
    ----------
    A. Kawabata, Solid State Commun. 34, 431 (1980).
    """
    b = _field(B)
    bphi = length_to_field(_length("l_phi", l_phi))
    return _amplitude(amplitude) * _kawabata_term(b, bphi)


def kawabata_so(B, l_phi, l_so, amplitude=1.0):
    r"""3D magnetoconductivity with spin-orbit scattering: weak anti-localization in bulk.

    .. math:: \Delta\sigma(B) = A\,\frac{e^2}{2\pi^2\hbar}\sqrt{\frac{e B}{\hbar}}
              \left[ \frac32 f_3\left(\frac{B_\phi + \tfrac43 B_{so}}{B}\right)
              - \frac12 f_3\left(\frac{B_\phi}{B}\right) \right],

    the singlet (weight -1/2, dephased at ``B_phi``) and triplet (weight 3/2, also
    relaxed by spin-orbit scattering) Cooperons of Fukuyama and Hoshino without Zeeman
    splitting, with Kawabata's :func:`kawabata_f3` in place of the 2D digamma function
    (the 3D analogue of :func:`hln_full` with ``l_s = inf``); :math:`B_i = \hbar/(4 e
    L_i^2)`. Limits: ``l_so = inf`` gives :func:`kawabata` (WL), ``l_so -> 0`` gives
    ``-1/2`` of it (WAL). ``amplitude`` as in :func:`kawabata`.

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi, l_so : array_like
        Phase-coherence and spin-orbit lengths in m (``l_so = inf`` for none).
    amplitude : array_like
        Dimensionless scale ``A`` (default 1).

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S/m (times ``A``).

    References
    ----------
    H. Fukuyama and K. Hoshino, J. Phys. Soc. Jpn. 50, 2131 (1981); P. A. Lee and
    T. V. Ramakrishnan, Rev. Mod. Phys. 57, 287 (1985), Sec. III.
    """
    b = _field(B)
    bphi = length_to_field(_length("l_phi", l_phi))
    with np.errstate(divide="ignore"):
        bso = length_to_field(_length("l_so", l_so, allow_inf=True))
    out = 1.5 * _kawabata_term(b, bphi + 4.0 / 3.0 * bso) - 0.5 * _kawabata_term(b, bphi)
    return _amplitude(amplitude) * out


#: Magnetoconductance models by name, as used by :mod:`weakloc.fitting` and the CLI.
MODELS = {
    "hln": hln,
    "hln-full": hln_full,
    "ilp": ilp,
    "graphene": mccann_falko,
    "graphene-soc": graphene_soc,
    "wire": wire,
    "kawabata": kawabata,
    "kawabata-so": kawabata_so,
}
