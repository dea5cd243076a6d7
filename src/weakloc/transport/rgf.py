r"""Recursive Green's function sweep over a streamed stack of slices (the inner loop).

Slices ``x = 0 .. L-1`` with Hamiltonians ``H_x`` and hoppings ``V_x = H[x+1, x]``. The
left-connected Green's functions obey (MacKinnon, Z. Phys. B 59, 385 (1985); Lee and Fisher,
Phys. Rev. Lett. 47, 882 (1981))

.. math::

   g_0 = (E - H_0 - \Sigma_L)^{-1}, \qquad
   g_x = (E - H_x - V_{x-1} g_{x-1} V_{x-1}^\dagger)^{-1},

and the last one, with ``Sigma_R`` also subtracted, is the full ``G_{NN}`` of the last slice.
Since every x-bond connects a site to the same site of the next slice, ``V_x`` is block
diagonal (spin blocks of size ``s``) and the Schur term costs ``O(n^2)``: the sweep is one
``n x n`` complex inversion per slice (``8 n^3`` real flops). With the Caroli option the
sweep also carries ``X_x = G_{x0} P_L`` (``Gamma_L = P_L P_L^+``), one ``n x N`` product
per slice more.

Slices are produced in chunks by the model layer's :class:`weakloc.lattice.SliceStream`
from the realization's own random draws, so memory does not grow with ``L`` and the
Hamiltonian is the one of :meth:`weakloc.lattice.Realization.slices`.
"""

from __future__ import annotations

import numba
import numpy as np

from weakloc.errors import ConvergenceError
from weakloc.lattice.slices import SliceStream

__all__ = ["SliceStream", "sweep"]


try:  # LAPACK through numba's own (cache-friendly) bindings: in place, no copies
    from numba import types as _nbtypes
    from numba.np.linalg import _LAPACK

    _zgetrf = _LAPACK().numba_xxgetrf(_nbtypes.complex128)
    _zgetri = _LAPACK().numba_ez_xxgetri(_nbtypes.complex128)
    _HAVE_LAPACK = True
except (ImportError, AttributeError):  # pragma: no cover - other numba versions
    _HAVE_LAPACK = False

_KIND_Z = ord("z")
try:
    from numba.np.linalg import F_INT_nptype as _IPIV_DTYPE
except ImportError:  # pragma: no cover
    _IPIV_DTYPE = np.int32


@numba.njit(cache=True, nogil=True)
def _invert_numpy(a, ipiv):
    a[:, :] = np.linalg.inv(a)
    return 0


if _HAVE_LAPACK:
    @numba.njit(cache=True, nogil=True)
    def _invert(a, ipiv):
        """In-place inverse of the C-ordered square ``a``; returns LAPACK's ``info``.

        LAPACK sees ``a^T`` (Fortran order); ``inv(a^T) = inv(a)^T``, so the result read in C
        order is ``inv(a)``.
        """
        n = a.shape[0]
        info = _zgetrf(_KIND_Z, n, n, a.ctypes, n, ipiv.ctypes)
        if info != 0:
            return info
        return _zgetri(_KIND_Z, n, a.ctypes, n, ipiv.ctypes)
else:  # pragma: no cover
    _invert = _invert_numpy


@numba.njit(cache=True, nogil=True)
def _assemble(a, hc, energy, diag, g, w, s, use_g):
    """``a = E - H_x - diag - W g W^+`` (block-diagonal ``W``, blocks of size ``s``)."""
    n = a.shape[0]
    m = w.shape[0]
    if s == 1:
        if use_g:
            wc = np.empty(n, dtype=np.complex128)
            for j in range(n):
                wc[j] = np.conj(w[j, 0, 0])
            for i in range(n):
                wi = w[i, 0, 0]
                for j in range(n):  # one fused, vectorizable pass per row
                    a[i, j] = -hc[i, j] - (wi * wc[j]) * g[i, j]
                a[i, i] += energy - diag[i]
        else:
            for i in range(n):
                for j in range(n):
                    a[i, j] = -hc[i, j]
                a[i, i] += energy - diag[i]
        return
    for i in range(n):
        for j in range(n):
            a[i, j] = -hc[i, j]
        a[i, i] += energy - diag[i]
    if not use_g:
        return
    for i in range(m):
        for j in range(m):
            for p in range(s):
                for q in range(s):
                    acc = 0j
                    for k in range(s):
                        for l in range(s):
                            acc += w[i, p, k] * g[i * s + k, j * s + l] * np.conj(w[j, q, l])
                    a[i * s + p, j * s + q] -= acc


@numba.njit(cache=True, nogil=True)
def _sweep_chunk(g, x_car, energies, phases, h, diag, v, vprev, sig_l, sig_r,
                 first, last, s, caroli, ipiv_dtype):
    """Advance every member of the batch over one chunk of slices (in place)."""
    nb = g.shape[0]
    n = g.shape[1]
    nc = diag.shape[0]
    m = v.shape[1]
    w = np.empty((m, s, s), dtype=np.complex128)
    a = np.empty((n, n), dtype=np.complex128)
    ipiv = np.empty(n, dtype=ipiv_dtype)
    status = 0
    for c in range(nc):
        hc = h[c if h.shape[0] > 1 else 0]
        start = first and c == 0
        if not start:
            vp = vprev if c == 0 else v[c - 1 if v.shape[0] > 1 else 0]
        for b in range(nb):
            if not start:
                # hopping from the previous slice, V_{x-1}, with its Peierls phases
                for i in range(m):
                    for p in range(s):
                        for q in range(s):
                            w[i, p, q] = phases[b, i] * vp[i, p, q]
            _assemble(a, hc, energies[b], diag[c], g[b], w, s, not start)
            if start:
                a -= sig_l[b]
            if last and c == nc - 1:
                a -= sig_r[b]
            info = _invert(a, ipiv)
            if info != 0:
                status = c + 1
            gi = a
            if caroli:
                xb = x_car[b]
                if start:
                    x_car[b] = gi @ xb
                else:
                    # X_x = g_x V_{x-1} X_{x-1}
                    y = np.empty_like(xb)
                    for i in range(m):
                        for p in range(s):
                            for k in range(xb.shape[1]):
                                acc = 0j
                                for q in range(s):
                                    acc += w[i, p, q] * xb[i * s + q, k]
                                y[i * s + p, k] = acc
                    x_car[b] = gi @ y
            g[b, :, :] = gi
    return status


def sweep(stream: SliceStream, energies, phases, sig_l, sig_r, p_left=None):
    """Full sweep of one realization for a batch of (energy, flux) members.

    Parameters
    ----------
    stream : SliceStream
        Slices of the realization.
    energies : ndarray, shape (B,)
        Energies in units of ``t``.
    phases : ndarray, shape (B, sites), complex
        Peierls factors of the x-bonds per member.
    sig_l, sig_r : ndarray, shape (B, n, n), complex
        Lead self-energies per member.
    p_left : ndarray, shape (B, n, N), complex, optional
        ``Gamma_L = P P^+`` factors; when given the Caroli block ``G_{N0} P`` is carried.

    Returns
    -------
    g_last : ndarray, shape (B, n, n)
        ``G_{NN}``, the full Green's function of the last slice.
    x_car : ndarray or None
        ``G_{N0} P_L`` when ``p_left`` was given.
    """
    nb, n = len(energies), stream.n
    g = np.zeros((nb, n, n), dtype=complex)
    caroli = p_left is not None
    x_car = np.ascontiguousarray(p_left, dtype=complex) if caroli else np.zeros((nb, n, 1), complex)
    energies = np.ascontiguousarray(energies, dtype=float)
    phases = np.ascontiguousarray(phases, dtype=complex)
    sig_l = np.ascontiguousarray(sig_l, dtype=complex)
    sig_r = np.ascontiguousarray(sig_r, dtype=complex)
    length = stream.length
    done = 0
    vprev = np.zeros((stream.sites, stream.spin, stream.spin), dtype=complex)
    for h, diag, v in stream.chunks():
        nc = diag.shape[0]
        status = _sweep_chunk(g, x_car, energies, phases, h, diag, v, vprev, sig_l, sig_r,
                              done == 0, done + nc == length, stream.spin, caroli,
                              _IPIV_DTYPE)
        if status:
            raise ConvergenceError(
                f"singular slice matrix at slice {done + status - 1} (the energy is an exact "
                "eigenvalue of a closed part of the sample); shift the energy slightly"
            )
        vprev = np.ascontiguousarray(v[-1])
        done += nc
    return g, (x_car if caroli else None)
