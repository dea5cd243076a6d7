r"""Recursive Green's function sweep over a streamed stack of slices (the inner loop).

Slices ``x = 0 .. L-1`` with Hamiltonians ``H_x`` and hoppings ``V_x = H[x+1, x]``. The
left-connected Green's functions obey (MacKinnon, Z. Phys. B 59, 385 (1985); Lee and Fisher,
Phys. Rev. Lett. 47, 882 (1981))

.. math::

   g_0 = (E - H_0 - \Sigma_L)^{-1}, \qquad
   g_x = (E - H_x - V_{x-1} g_{x-1} V_{x-1}^\dagger)^{-1},

and the last one, with ``Sigma_R`` also subtracted, is the full ``G_{NN}`` of the last slice.
Since every x-bond connects a site to the same site of the next slice, ``V_x`` is block
diagonal (spin blocks of size ``s``) and the Schur term costs ``O(n^2)``: none at all when
``V_x = c 1`` (no field, no spin-orbit: ``|c|^2 g``), ``2 s n^2`` complex multiplications
with spin blocks. Flops per slice and batch member (real flops, ``n`` the slice dimension,
``N`` the member's open channels):

* the complex LU inversion, ``8 n^3`` (zgetrf ``8/3 n^3`` + zgetri ``16/3 n^3``), which is
  all the default (unitarity) sweep does at ``O(n^3)``;
* with the Caroli option, ``X_x = G_{x0} P_L`` (``Gamma_L = P_L P_L^+``) on the member's
  open channels only: ``8 n^2 N`` more.

Once at the end, ``Z = P_R^+ G_NN P_R`` costs ``8 n^2 N + 8 n N^2``.

In the orthogonal class without a field (real slice Hamiltonians, x-bond hoppings of one
common phase, symmetric lead self-energies) every slice matrix is complex symmetric, and for
``n >= SYMMETRIC_MIN_N`` the sweep inverts it with
``weakloc.transport._syminv.invert_symmetric`` instead: ``4 n^3`` real flops
(Bunch-Kaufman ``zsytrf``, ``ztrtri`` and triangular ``zsyrk`` updates, ``4/3 n^3`` each).
LAPACK's own symmetric inverses (``zsytri``, ``zsytri2``, ``zsytri_3``) do the same count no
faster than zgetrf + zgetri with this OpenBLAS; the split into level-3 BLAS calls is what
makes it 1.7-1.8x faster at ``n = 576-1024``. The Caroli option and spin keep the LU.

Slices are produced in chunks by the model layer's :class:`weakloc.lattice.SliceStream`
from the realization's own random draws, so memory does not grow with ``L`` and the
Hamiltonian is the one of :meth:`weakloc.lattice.Realization.slices`.
"""

from __future__ import annotations

import numba
import numpy as np

from weakloc._jit import serialize_cache_writes, variant
from weakloc.errors import ConvergenceError
from weakloc.lattice.slices import SliceStream
from weakloc.transport._syminv import invert_symmetric

serialize_cache_writes()   # numba's cache, shared between processes

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


def _make_assemble(s):
    """The slice-matrix assembly for spin blocks of size ``s`` (a compile-time constant: a
    spinless model does not compile the block products)."""

    @numba.njit(cache=True, nogil=True)
    @variant(s=s)
    def assemble(a, hc, energy, diag, g, w, use_g, tmp, scalar):
        """``a = E - H_x - diag - W g W^+`` (block-diagonal ``W``, blocks of size ``s``).

        ``scalar``: ``W = c 1`` (no field, no spin-orbit on the x-bonds), so the Schur term is
        ``|c|^2 g`` with no product at all. With spin blocks the product is done in two stages
        through ``tmp`` (``W g``, then ``(W g) W^+``): ``2 s n^2`` complex multiplications
        instead of ``2 s^2 n^2``.
        """
        n = a.shape[0]
        m = w.shape[0]
        if not use_g:
            for i in range(n):
                for j in range(n):
                    a[i, j] = -hc[i, j]
                a[i, i] += energy - diag[i]
            return
        if scalar:
            c2 = (w[0, 0, 0] * np.conj(w[0, 0, 0])).real
            for i in range(n):
                for j in range(n):
                    a[i, j] = -hc[i, j] - c2 * g[i, j]
                a[i, i] += energy - diag[i]
            return
        if s == 1:
            wc = np.empty(n, dtype=np.complex128)
            for j in range(n):
                wc[j] = np.conj(w[j, 0, 0])
            for i in range(n):
                wi = w[i, 0, 0]
                for j in range(n):  # one fused, vectorizable pass per row
                    a[i, j] = -hc[i, j] - (wi * wc[j]) * g[i, j]
                a[i, i] += energy - diag[i]
            return
        for i in range(m):   # tmp = W g, block rows
            for p in range(s):
                r = i * s + p
                for j in range(n):
                    acc = 0j
                    for k in range(s):
                        acc += w[i, p, k] * g[i * s + k, j]
                    tmp[r, j] = acc
        for r in range(n):   # a = -H - tmp W^+, block columns
            for j in range(m):
                for q in range(s):
                    acc = 0j
                    for k in range(s):
                        acc += tmp[r, j * s + k] * np.conj(w[j, q, k])
                    a[r, j * s + q] = -hc[r, j * s + q] - acc
            a[r, r] += energy - diag[r]

    return assemble


@numba.njit(cache=True, nogil=True)
def _subtract(a, b):
    """``a -= b`` as loops (no array-expression machinery to compile)."""
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            a[i, j] -= b[i, j]


@numba.njit(cache=True, nogil=True)
def _copy(dst, src):
    """``dst[:, :src.shape[1]] = src`` as loops: numba's array slice assignment compiles a
    formatted shape-mismatch error that costs seconds on a fresh install."""
    for i in range(src.shape[0]):
        for j in range(src.shape[1]):
            dst[i, j] = src[i, j]


# module globals, not closure variables of the chunk kernel: numba's disk cache keys a
# closure by its variables, and a dispatcher among them would never hit the cache
_assemble_1 = _make_assemble(1)
_assemble_2 = _make_assemble(2)


def _make_sweep_chunk(caroli, s, invert):
    """The chunk kernel with or without the Caroli block, for spin blocks of size ``s``
    (both compile-time constants: the unitarity sweep, the default, does not compile the
    Caroli product, and a spinless model not the spin-block products).

    ``invert=False``: leave the assembled slice matrix ``E - H_x - Sigma_x`` in ``g`` instead
    of inverting it, for the caller's complex-symmetric inverse (one slice per call).
    """


    @numba.njit(cache=True, nogil=True)
    @variant(caroli=caroli, s=s, invert=invert)
    def sweep_chunk(g, x_car, widths, energies, phases, h, diag, v, vprev, sig_l, sig_r,
                    first, last, ipiv_dtype):
        """Advance every member of the batch over one chunk of slices (in place)."""
        nb = g.shape[0]
        n = g.shape[1]
        nc = diag.shape[0]
        m = v.shape[1]
        w = np.empty((m, s, s), dtype=np.complex128)
        a = np.empty((n, n), dtype=np.complex128)
        tmp = np.empty((n, n) if s > 1 else (1, 1), dtype=np.complex128)
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
                    scalar = s == 1
                    for i in range(m):
                        for p in range(s):
                            for q in range(s):
                                w[i, p, q] = phases[b, i] * vp[i, p, q]
                        if scalar and w[i, 0, 0] != w[0, 0, 0]:
                            scalar = False
                else:
                    scalar = False
                if s == 1:   # a compile-time constant: only one of the two is compiled
                    _assemble_1(a, hc, energies[b], diag[c], g[b], w, not start, tmp, scalar)
                else:
                    _assemble_2(a, hc, energies[b], diag[c], g[b], w, not start, tmp, scalar)
                if start:
                    _subtract(a, sig_l[b])
                if last and c == nc - 1:
                    _subtract(a, sig_r[b])
                if invert:
                    info = _invert(a, ipiv)
                    if info != 0:
                        status = c + 1
                gi = a
                if caroli:
                    # X_x = g_x V_{x-1} X_{x-1}, on the member's own open channels only (so a
                    # batch gives bit for bit what single calls give)
                    wb = widths[b]
                    xb = x_car[b]
                    y = np.empty((n, wb), dtype=np.complex128)
                    if start:
                        for i in range(n):
                            for k in range(wb):
                                y[i, k] = xb[i, k]
                    else:
                        for i in range(m):
                            for p in range(s):
                                for k in range(wb):
                                    acc = 0j
                                    for q in range(s):
                                        acc += w[i, p, q] * xb[i * s + q, k]
                                    y[i * s + p, k] = acc
                    _copy(x_car[b], gi @ y)
                _copy(g[b], gi)
        return status

    return sweep_chunk


_SWEEP_CHUNK = {}


def _sweep_chunk(*args, caroli, spin, invert=True):
    key = (bool(caroli), int(spin), bool(invert))
    if key[1] not in (1, 2):  # pragma: no cover - the model layer has spin 1/2 at most
        raise ValueError(f"spin blocks of size {spin} are not supported")
    if key not in _SWEEP_CHUNK:
        _SWEEP_CHUNK[key] = _make_sweep_chunk(*key)
    return _SWEEP_CHUNK[key](*args)


def sweep(stream: SliceStream, energies, phases, sig_l, sig_r, p_left=None, widths=None):
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
    widths : ndarray of int, shape (B,), optional
        Columns of ``p_left`` that member ``b`` uses (its open channels; the rest is
        padding and stays zero); default all ``N``.

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
    widths = (np.full(nb, x_car.shape[2], dtype=np.int64) if widths is None
              else np.ascontiguousarray(widths, dtype=np.int64))
    energies = np.ascontiguousarray(energies, dtype=float)
    phases = np.ascontiguousarray(phases, dtype=complex)
    sig_l = np.ascontiguousarray(sig_l, dtype=complex)
    sig_r = np.ascontiguousarray(sig_r, dtype=complex)
    length = stream.length
    done = 0
    vprev = np.zeros((stream.sites, stream.spin, stream.spin), dtype=complex)
    # members whose slice matrices can be complex symmetric (see the module docstring)
    symmetric = np.array([not caroli and stream.spin == 1 and n >= SYMMETRIC_MIN_N
                          and _is_symmetric(sig_l[b]) and _is_symmetric(sig_r[b])
                          for b in range(nb)], dtype=bool)
    for h, diag, v in stream.chunks():
        nc = diag.shape[0]
        chunk_symmetric = symmetric & _chunk_is_symmetric(h, v, vprev, phases) \
            if symmetric.any() else symmetric
        if chunk_symmetric.any():
            status = _sweep_symmetric(g, x_car, widths, energies, phases, h, diag, v, vprev,
                                      sig_l, sig_r, done, length, chunk_symmetric)
        else:
            status = _sweep_chunk(g, x_car, widths, energies, phases, h, diag, v, vprev,
                                  sig_l, sig_r, done == 0, done + nc == length, _IPIV_DTYPE,
                                  caroli=caroli, spin=stream.spin)
        if status:
            raise ConvergenceError(
                f"singular slice matrix at slice {done + status - 1} (the energy is an exact "
                "eigenvalue of a closed part of the sample); shift the energy slightly"
            )
        vprev = np.ascontiguousarray(v[-1])
        done += nc
    return g, (x_car if caroli else None)


#: slice dimension from which the orthogonal class uses the complex-symmetric inverse
#: (``weakloc.transport._syminv``, half the flops; below it the per-slice Python calls
#: cost more than they save: 1.3x at n = 256, 1.7-1.8x at n = 576-1024, one thread)
SYMMETRIC_MIN_N = 192


def _is_symmetric(m, rtol=1e-12):
    """Whether the matrix ``m`` is symmetric (``m^T = m``) to ``rtol``."""
    scale = max(float(np.abs(m).max(initial=0.0)), 1e-300)
    return float(np.abs(m - np.swapaxes(m, -1, -2)).max(initial=0.0)) <= rtol * scale


def _chunk_is_symmetric(h, v, vprev, phases):
    """Per member, whether the slice matrices of this chunk are complex symmetric: real
    slice Hamiltonians, and x-bond hoppings ``w_i = phase_i v_i`` with one common phase, so
    that ``W g W^+ = |c|^2 R g R`` with ``R`` real (``g`` symmetric by induction)."""
    if np.iscomplexobj(h) and np.any(h.imag):
        return np.zeros(phases.shape[0], dtype=bool)
    w = phases[:, None, :] * np.concatenate([vprev[None], v])[None, :, :, 0, 0]
    cross = w * np.conj(w[..., :1])
    size = np.abs(cross).reshape(len(phases), -1).max(axis=1, initial=0.0)
    return np.abs(cross.imag).reshape(len(phases), -1).max(axis=1, initial=0.0) <= \
        1e-14 * np.maximum(size, 1e-300)


def _sweep_symmetric(g, x_car, widths, energies, phases, h, diag, v, vprev, sig_l, sig_r,
                     done, length, symmetric):
    """One chunk, slice by slice: the kernel assembles ``E - H_x - Sigma_x`` into ``g``, and
    ``weakloc.transport._syminv.invert_symmetric`` inverts it in place for the members
    flagged in ``symmetric`` (the LU for the others). Returns the chunk's status like the
    kernel (``c + 1`` for a singular slice ``c``)."""
    nc = diag.shape[0]
    vp = vprev
    ipiv = np.empty(g.shape[1], dtype=_IPIV_DTYPE)
    for c in range(nc):
        hc = h[c:c + 1] if h.shape[0] > 1 else h
        vc = v[c:c + 1] if v.shape[0] > 1 else v
        _sweep_chunk(g, x_car, widths, energies, phases, hc, diag[c:c + 1], vc, vp, sig_l,
                     sig_r, done + c == 0, done + c + 1 == length, _IPIV_DTYPE, caroli=False,
                     spin=1, invert=False)
        for b in range(g.shape[0]):
            info = invert_symmetric(g[b]) if symmetric[b] else _invert(g[b], ipiv)
            if info != 0:
                return c + 1
        vp = np.ascontiguousarray(vc[0])
    return 0
