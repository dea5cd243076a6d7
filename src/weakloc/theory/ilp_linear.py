r"""ILP magnetoconductance with a linear spin-orbit term: the Knap et al. Landau-level series.

Knap et al., PRB 53, 3912 (1996), Eqs. (37)-(38), write the quantum correction of a 2D
electron gas with linear (``Omega_1``) and cubic (``Omega_3``) spin-orbit precession terms as

.. math::

    \sigma(B) = -\frac{e^2}{4\pi^2\hbar}\Big[\frac{1}{a_0}
        + \frac{2a_0 + 1 + h}{a_1(a_0 + h) - 2h'}
        - \sum_{n\ge1}\Big(\frac3n - T_n\Big)
        + 2\ln\frac{H_{tr}}{B} + \psi\Big(\frac12 + b_\phi\Big) + 3C\Big],

    T_n = \frac{3a_n^2 + 2a_n h - 1 - 2(2n+1)h'}
               {(a_n + h)a_{n-1}a_{n+1} - 2h'[(2n+1)a_n - 1]},

with :math:`a_n = n + 1/2 + b_\phi + h`, :math:`b_\phi = B_\phi/B`, :math:`h = (B_{so1} +
B_{so3})/B` (Knap's :math:`H_{SO}`) and :math:`h' = B_{so1}/B` (Knap's :math:`H'_{SO}`),
``C`` Euler's constant, all characteristic fields ``B_i = hbar/(4 e L_i^2)``. The prefactor
``e^2/(4 pi^2 hbar)`` is ``G0/2`` with ``G0 = e^2/(pi h)``.

How the series is evaluated
---------------------------
The summand is a rational function of :math:`x = a_n`: :math:`T = N(x)/D(x)` with a monic
cubic :math:`D`. Its partial fractions :math:`T = \sum_k r_k/(x - x_k)` (three roots
:math:`x_k` of :math:`D`, residues :math:`r_k = N(x_k)/D'(x_k)`, :math:`\sum r_k = 3`)
sum the series in closed form,

.. math:: \sum_{n\ge1}\Big(\frac3n - T_n\Big) = \sum_k r_k\,\psi(1 + z_k) + 3C, \quad
          z_k = \tfrac12 + b_\phi + h - x_k,

with the complex digamma function: no truncation at all (``method="exact"``). The zero-field
value is the ``B -> 0`` limit of the same expression, in which the roots scale as
``X_k / B`` with :math:`X_k` the roots of :math:`X(X^2 + (H_{so} - 4H')X + 4H'(B_\phi +
H_{so}))`; ``dsigma(B) = sigma(B) - sigma(0)`` is then free of ``H_tr``.

``method="series"`` sums the first ``n_terms`` terms directly and adds the tail from the
large-``x`` expansion :math:`T = 3/x + p_1/x^2 + p_2/x^3 + O(x^{-4})`, :math:`p_1 = 8h' - h`,
:math:`p_2 = 2 + (h - 4h')(h - 8h') - 8h'(b_\phi + h)`, summed exactly with digamma and Hurwitz
zeta functions; the remaining truncation error falls as ``n_terms**-3`` once ``n_terms`` is
well above the roots (``~ B_so/B``). Without the tail correction it would fall only as
``1/n_terms``. Near-degenerate roots (where the residues lose precision) fall back to the
series with 20000 terms; a linear field below ``1e-8 (B_phi + H_so)``, whose effect is
below what the residues resolve, uses the exact ``H'_so = 0`` limit.

Exact limits (tested): ``B_so1 = 0`` gives the three-digamma form
:func:`weakloc.theory.magnetoconductance.ilp`; ``B_so1 = B_so3 = 0`` gives HLN with
``alpha = +1``.
"""

from __future__ import annotations

import numpy as np
from scipy.special import psi, zeta

from weakloc.errors import InputError
from weakloc.theory.magnetoconductance import _f_ratio, _field, _length, ilp
from weakloc.units import G0, length_to_field

__all__ = ["ilp_linear", "knap_bracket_difference"]

_FALLBACK_TERMS = 20000


def _polys(bphi_r, h, hp):
    """Coefficients of N(x) = 3x^2 + n1 x + n0 and D(x) = x^3 + d2 x^2 + d1 x + d0."""
    c = bphi_r + h
    n1 = 2.0 * h - 4.0 * hp
    n0 = 4.0 * hp * c - 1.0
    d2 = h - 4.0 * hp
    d1 = 4.0 * hp * c - 1.0
    d0 = 2.0 * hp - h
    return c, n1, n0, d2, d1, d0


def _cubic_roots(d2, d1, d0):
    comp = np.zeros(d2.shape + (3, 3))
    comp[..., 0, 0] = -d2
    comp[..., 0, 1] = -d1
    comp[..., 0, 2] = -d0
    comp[..., 1, 0] = 1.0
    comp[..., 2, 1] = 1.0
    return np.linalg.eigvals(comp)


def _front(bphi_r, h, hp):
    a0 = 0.5 + bphi_r + h
    a1 = a0 + 1.0
    return 1.0 / a0 + (2.0 * a0 + 1.0 + h) / (a1 * (a0 + h) - 2.0 * hp)


def _zero_field_logs(b, bphi, bso, bso1):
    """``sum_k R_k ln((C - X_k)/B)`` of the ``B -> 0`` limit (C = B_phi + H_so)."""
    C = bphi + bso
    p = bso - 4.0 * bso1
    q = 4.0 * bso1 * C
    disc = np.sqrt(np.asarray(p * p - 4.0 * q, dtype=complex))
    out = np.log(C / b) + 0j  # root X = 0, residue 1
    for X in ((-p + disc) / 2.0, (-p - disc) / 2.0):
        num = 3.0 * X * X + (2.0 * bso - 4.0 * bso1) * X + q
        R = num / (X * (2.0 * X + p))
        out = out + R * np.log((C - X) / b)
    return out.real


def _series_sum(bphi_r, h, hp, n_terms):
    """``sum_{n>=1} (3/n - T_n) - 3C`` by direct summation plus the tail expansion."""
    c, n1, n0, d2, d1, d0 = _polys(bphi_r, h, hp)
    s = 0.5 + c
    total = np.zeros(np.shape(s))
    chunk = 2048
    for start in range(1, n_terms + 1, chunk):
        n = np.arange(start, min(start + chunk, n_terms + 1), dtype=float)
        x = n[:, None] + s.ravel()[None, :]
        num = 3.0 * x * x + n1.ravel() * x + n0.ravel()
        den = ((x + d2.ravel()) * x + d1.ravel()) * x + d0.ravel()
        total = total + np.sum(3.0 / n[:, None] - num / den, axis=0).reshape(np.shape(s))
    p1 = 8.0 * hp - h
    p2 = 2.0 + (h - 4.0 * hp) * (h - 8.0 * hp) - 8.0 * hp * c
    start = n_terms + 1.0
    tail = (3.0 * (psi(start + s) - psi(start))
            - p1 * zeta(2.0, start + s) - p2 * zeta(3.0, start + s))
    return total + tail - 3.0 * np.euler_gamma


def _exact_sum(bphi_r, h, hp):
    """``sum_{n>=1} (3/n - T_n) - 3C = sum_k r_k psi(1 + z_k)`` and a quality flag."""
    c, n1, n0, d2, d1, d0 = _polys(bphi_r, h, hp)
    x = _cubic_roots(d2, d1, d0)
    num = 3.0 * x * x + n1[..., None] * x + n0[..., None]
    dprime = 3.0 * x * x + 2.0 * d2[..., None] * x + d1[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = num / dprime
        z = 0.5 + c[..., None] - x
        total = np.sum(r * psi(1.0 + z), axis=-1).real
    bad = ~np.isfinite(total) | (np.abs(np.sum(r, axis=-1) - 3.0) > 1e-7)
    return total, bad


def knap_bracket_difference(B, b_phi, b_so, b_so1, *, method="exact", n_terms=None):
    r"""``K(B) - K(0)`` of the Knap bracket, with ``sigma(B) - sigma(0) = -(G0/2)(K(B) - K(0))``.

    Parameters
    ----------
    B : array_like
        Field in T (absolute value used), finite.
    b_phi, b_so, b_so1 : array_like
        Dephasing field, total spin-orbit field ``H_so`` (linear plus cubic) and linear
        spin-orbit field ``H'_so``, all in T, with ``b_so >= b_so1 >= 0``; broadcast with
        ``B``.
    method : {'exact', 'series'}
        Partial-fraction resummation, or ``n_terms`` direct terms plus the tail correction.
    n_terms : int, optional
        Terms summed directly for ``method='series'`` (default 4096).

    Returns
    -------
    ndarray
        ``K(B) - K(0)`` (dimensionless); 0 where ``B = 0``.
    """
    if method not in ("exact", "series"):
        raise InputError(f"method must be 'exact' or 'series', got {method!r}")
    b, bphi, bso, bso1 = (np.array(x, dtype=float) for x in np.broadcast_arrays(
        np.abs(np.asarray(B, dtype=float)), b_phi, b_so, b_so1))
    if not (np.all(bphi > 0) and np.all(bso1 >= 0) and np.all(bso >= bso1 * (1 - 1e-12))):
        raise InputError("need b_phi > 0 and b_so >= b_so1 >= 0 (fields in T)")
    zero = b < 1e-12 * bphi
    bs = np.where(zero, bphi, b)
    bphi_r, h, hp = bphi / bs, bso / bs, bso1 / bs
    out = np.zeros(b.shape)
    # a linear field below 1e-8 of the others changes dsigma by O(b_so1/b_phi), below the
    # double-precision reach of the residues: there use its exact limit, the three-digamma form
    tiny = bso1 < 1e-8 * (bphi + bso)
    if np.any(tiny):
        r, h3 = bphi_r[tiny], (h - hp)[tiny]
        out[tiny] = (_f_ratio(1.0 / r) - 2.0 * _f_ratio(1.0 / (r + h3))
                     - _f_ratio(1.0 / (r + 2.0 * h3)))
    k = ~tiny
    if np.any(k):
        r, hk, hpk = bphi_r[k], h[k], hp[k]
        if method == "series":
            total = _series_sum(r, hk, hpk, int(n_terms or 4096))
        else:
            total, bad = _exact_sum(r, hk, hpk)
            if np.any(bad):
                total = np.where(bad, 0.0, total)
                total[bad] = _series_sum(r[bad], hk[bad], hpk[bad], _FALLBACK_TERMS)
        out[k] = (_front(r, hk, hpk) + _f_ratio(1.0 / r) - total
                  + _zero_field_logs(bs[k], bphi[k], bso[k], bso1[k]))
    return np.where(zero, 0.0, out)


def ilp_linear(B, l_phi, l_so, l_so1=np.inf, *, method="exact", n_terms=None):
    r"""ILP magnetoconductance with cubic and linear spin-orbit terms (Knap et al. 1996).

    .. math:: \Delta\sigma(B) = \sigma(B) - \sigma(0)
              = -\frac{G_0}{2}\,\big[K(B) - K(0)\big],

    with the bracket ``K`` of Knap et al., PRB 53, 3912 (1996), Eqs. (37)-(38) (see the
    module docstring), ``H_so = B_so + B_so1`` and ``H'_so = B_so1``, ``B_i = hbar/(4 e
    L_i^2)``. The Landau-level series is summed in closed form (``method='exact'``) or by
    ``n_terms`` direct terms plus a tail correction (``method='series'``).

    Parameters
    ----------
    B : array_like
        Field in T.
    l_phi : array_like
        Phase-coherence length in m.
    l_so : array_like
        Cubic spin-orbit length in m (Knap's ``2 Omega_3^2 tau_3`` term), ``inf`` for none.
    l_so1 : array_like, optional
        Linear spin-orbit length in m (``2 Omega_1^2 tau_1``); ``inf`` (default) gives the
        three-digamma form :func:`weakloc.theory.magnetoconductance.ilp` exactly. All
        lengths broadcast with ``B``.
    method : {'exact', 'series'}, optional
        Evaluation of the series (default ``'exact'``).
    n_terms : int, optional
        Direct terms for ``method='series'`` (default 4096).

    Returns
    -------
    ndarray
        ``sigma(B) - sigma(0)`` in S per square.

    References
    ----------
    Iordanskii, Lyanda-Geller, Pikus, JETP Lett. 60, 206 (1994); Knap et al., PRB 53, 3912
    (1996).
    """
    b = _field(B)
    lphi = _length("l_phi", l_phi)
    with np.errstate(divide="ignore"):
        lso = _length("l_so", l_so, allow_inf=True)
        lso1 = _length("l_so1", l_so1, allow_inf=True)
    if np.all(np.isinf(lso1)):
        return ilp(b, lphi, lso) * np.ones(np.shape(lso1))  # the exact H'_so = 0 limit
    bphi = length_to_field(lphi)
    with np.errstate(divide="ignore"):
        b3 = np.where(np.isinf(lso), 0.0, length_to_field(lso))
        b1 = np.where(np.isinf(lso1), 0.0, length_to_field(lso1))
    k = knap_bracket_difference(b, bphi, b3 + b1, b1, method=method, n_terms=n_terms)
    return -0.5 * G0 * k
