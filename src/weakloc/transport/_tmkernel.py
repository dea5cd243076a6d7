"""Numba kernel of the transfer-matrix slice step and the periodic re-orthonormalization.

Internal module: :mod:`weakloc.transport.transfer` is the public interface.

The Schroedinger equation of slice ``x`` with ``V_x = H[x+1, x]`` reads
``V_{x-1} psi_{x-1} + H_x psi_x + V_x^+ psi_{x+1} = E psi_x``, so

    psi_{x+1} = (V_x^+)^{-1} [(E - H_x) psi_x - V_{x-1} psi_{x-1}].

For every model of :mod:`weakloc.lattice`, ``V_x = -t diag(X_i)`` with unitary blocks
``X_i`` (Peierls phase times a spin rotation), hence ``(V_x^+)^{-1} = V_x / t^2`` and the
step needs no inversion. ``H_x`` is applied as onsite energies plus transverse bonds, so a
slice step costs ``O(n * bonds per site)`` per column instead of a dense ``n^2``.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.extending import overload

from weakloc._jit import serialize_cache_writes, variant

serialize_cache_writes()   # numba's cache, shared between processes

__all__: list[str] = []

#: up to this many states per slice the QR is a two-pass Gram-Schmidt in numba (cheaper
#: than a LAPACK call at small sizes); above it, LAPACK's Householder QR (geqrf + orgqr)
SMALL = 24


@njit(cache=True)
def _gram_schmidt(m, logs):
    """Two-pass classical Gram-Schmidt of the rows of ``m`` (k, 2n) in place.

    Row ``j`` is column ``j`` of the block; ``logs[j] += ln R_jj``.
    """
    k, rows = m.shape
    proj = np.empty(k, dtype=m.dtype)
    for j in range(k):
        for _ in range(2):
            for i in range(j):
                acc = m[0, 0] * 0.0
                for r in range(rows):
                    acc += np.conj(m[i, r]) * m[j, r]
                proj[i] = acc
            for i in range(j):
                pr = proj[i]
                for r in range(rows):
                    m[j, r] -= pr * m[i, r]
        nrm = 0.0
        for r in range(rows):
            nrm += abs(m[j, r]) ** 2
        nrm = np.sqrt(nrm)
        logs[j] += np.log(nrm)
        inv = 1.0 / nrm
        for r in range(rows):
            m[j, r] *= inv


@njit(cache=True)
def _copy(dst, src):
    """``dst[:, :] = src`` as loops: numba's array slice assignment compiles a formatted
    shape-mismatch error that costs seconds on a fresh install."""
    for i in range(dst.shape[0]):
        for j in range(dst.shape[1]):
            dst[i, j] = src[i, j]


@njit(cache=True)
def _copy_transposed(dst, src):
    """``dst[:, :] = src.T`` as loops (see :func:`_copy`)."""
    for i in range(dst.shape[0]):
        for j in range(dst.shape[1]):
            dst[i, j] = src[j, i]


def _householder(qt, tau):
    """Householder QR of the block whose Fortran-ordered copy is ``qt`` (C array (k, m)):
    LAPACK geqrf, then orgqr/ungqr, in place (``qt[j, j]`` is R_jj between the two)."""
    raise NotImplementedError  # pragma: no cover - compiled through the overload below


@overload(_householder)
def _householder_impl(qt, tau):
    # the LAPACK bindings numba's np.linalg.qr uses (same calls, same numbers), without
    # its copies and checks, which cost a second of compilation on a fresh install
    from numba.np.linalg import _LAPACK, get_blas_kind

    geqrf = _LAPACK().numba_ez_geqrf(qt.dtype)
    xxgqr = _LAPACK().numba_ez_xxgqr(qt.dtype)
    kind = ord(get_blas_kind(qt.dtype, "qr"))

    def impl(qt, tau):
        k, m = qt.shape
        if geqrf(kind, m, k, qt.ctypes, m, tau.ctypes) < 0:
            raise RuntimeError("LAPACK geqrf rejected its arguments")
        for j in range(k):
            tau[k + j] = qt[j, j]
        if xxgqr(kind, m, k, k, qt.ctypes, m, tau.ctypes) != 0:
            raise RuntimeError("LAPACK orgqr/ungqr failed")

    return impl


@njit(cache=True)
def _reorthonormalize(state, logs):
    """QR of the stacked ``(2n, k)`` block ``state``: keep Q, add ``ln |R_jj|`` to ``logs``."""
    n2, k = state.shape
    rows = np.empty((k, n2), dtype=state.dtype)   # also the Fortran order of ``state``
    _copy_transposed(rows, state)
    if n2 // 2 <= SMALL:
        _gram_schmidt(rows, logs)
    else:
        for i in range(k):
            for j in range(n2):
                if not np.isfinite(rows[i, j]):
                    raise np.linalg.LinAlgError("Array must not contain infs or NaNs.")
        tau = np.empty(2 * k, dtype=state.dtype)
        _householder(rows, tau)
        for j in range(k):
            logs[j] += np.log(abs(tau[k + j]))
    _copy_transposed(state, rows)


def _make_run_chunk(spin):
    """The chunk kernel for ``spin`` orbitals per site (a compile-time constant, so only
    that case's slice step is compiled)."""

    @njit(cache=True)
    @variant(spin=spin)
    def kernel(state, cur, eps, bond_blocks, x_blocks, xprev, energy, t, q, frm, to, logs):
        """:func:`run_chunk` for ``spin`` orbitals per site."""
        c = eps.shape[0]
        n = state.shape[1]
        k = state.shape[2]
        nsites = n // spin
        nb = frm.shape[0]
        y = np.empty((n, k), dtype=state.dtype)
        stacked = np.empty((2 * n, k), dtype=state.dtype)
        for j in range(c):
            a_ = state[cur]
            b_ = state[1 - cur]
            ju = j if bond_blocks.shape[0] > 1 else 0
            jx = j if x_blocks.shape[0] > 1 else 0
            # (E - eps) psi_x - V_{x-1} psi_{x-1}, with V_{x-1} = -t X_prev
            if spin == 1:
                for i in range(nsites):
                    e = energy - eps[j, i]
                    xp = t * xprev[i, 0, 0]
                    for col in range(k):
                        y[i, col] = e * a_[i, col] + xp * b_[i, col]
                # - H_bonds psi: H[to, frm] = -t U, so (E - H) adds +t U psi[frm] to row to
                for bnd in range(nb):
                    f = frm[bnd]
                    g = to[bnd]
                    u = t * bond_blocks[ju, bnd, 0, 0]
                    uc = np.conj(u)
                    for col in range(k):
                        y[g, col] += u * a_[f, col]
                        y[f, col] += uc * a_[g, col]
                # psi_{x+1} = V_x y / t^2 = -X y / t, into the slot of psi_{x-1}
                for i in range(nsites):
                    xx = -x_blocks[jx, i, 0, 0] / t
                    for col in range(k):
                        b_[i, col] = xx * y[i, col]
                    xprev[i, 0, 0] = x_blocks[jx, i, 0, 0]
            else:  # spin 1/2: the 2 x 2 blocks written out
                for i in range(nsites):
                    e = energy - eps[j, i]
                    p00 = t * xprev[i, 0, 0]
                    p01 = t * xprev[i, 0, 1]
                    p10 = t * xprev[i, 1, 0]
                    p11 = t * xprev[i, 1, 1]
                    r0 = 2 * i
                    r1 = r0 + 1
                    for col in range(k):
                        b0 = b_[r0, col]
                        b1 = b_[r1, col]
                        y[r0, col] = e * a_[r0, col] + p00 * b0 + p01 * b1
                        y[r1, col] = e * a_[r1, col] + p10 * b0 + p11 * b1
                for bnd in range(nb):
                    f = 2 * frm[bnd]
                    g = 2 * to[bnd]
                    u00 = t * bond_blocks[ju, bnd, 0, 0]
                    u01 = t * bond_blocks[ju, bnd, 0, 1]
                    u10 = t * bond_blocks[ju, bnd, 1, 0]
                    u11 = t * bond_blocks[ju, bnd, 1, 1]
                    c00 = np.conj(u00)
                    c01 = np.conj(u01)
                    c10 = np.conj(u10)
                    c11 = np.conj(u11)
                    for col in range(k):
                        af0 = a_[f, col]
                        af1 = a_[f + 1, col]
                        ag0 = a_[g, col]
                        ag1 = a_[g + 1, col]
                        y[g, col] += u00 * af0 + u01 * af1
                        y[g + 1, col] += u10 * af0 + u11 * af1
                        y[f, col] += c00 * ag0 + c10 * ag1
                        y[f + 1, col] += c01 * ag0 + c11 * ag1
                for i in range(nsites):
                    x00 = -x_blocks[jx, i, 0, 0] / t
                    x01 = -x_blocks[jx, i, 0, 1] / t
                    x10 = -x_blocks[jx, i, 1, 0] / t
                    x11 = -x_blocks[jx, i, 1, 1] / t
                    r0 = 2 * i
                    r1 = r0 + 1
                    for col in range(k):
                        y0 = y[r0, col]
                        y1 = y[r1, col]
                        b_[r0, col] = x00 * y0 + x01 * y1
                        b_[r1, col] = x10 * y0 + x11 * y1
                    for a in range(2):
                        for bb in range(2):
                            xprev[i, a, bb] = x_blocks[jx, i, a, bb]
            cur = 1 - cur
            if (j + 1) % q == 0:
                _copy(stacked[:n], state[cur])
                _copy(stacked[n:], state[1 - cur])
                _reorthonormalize(stacked, logs)
                _copy(state[cur], stacked[:n])
                _copy(state[1 - cur], stacked[n:])
        return cur

    return kernel


_RUN_CHUNK = {}


def run_chunk(state, cur, eps, bond_blocks, x_blocks, xprev, energy, t, q, frm, to, spin,
              logs):
    """Propagate ``eps.shape[0]`` slices; re-orthonormalize after every ``q`` slices.

    ``state`` is ``(2, n, k)``: ``state[cur]`` holds ``psi_x``, ``state[1 - cur]``
    ``psi_{x-1}``. ``bond_blocks`` is ``(1 or c, nb, s, s)``, ``x_blocks`` ``(1 or c,
    sites, s, s)``, ``xprev`` the x-blocks of the slice before the chunk (updated);
    ``spin`` (1 or 2) orbitals per site. Returns the new ``cur``; ``logs`` accumulates
    ``ln |R_jj|``.
    """
    spin = int(spin)
    if spin not in _RUN_CHUNK:
        _RUN_CHUNK[spin] = _make_run_chunk(spin)
    return _RUN_CHUNK[spin](state, cur, eps, bond_blocks, x_blocks, xprev, energy, t, q, frm,
                            to, logs)
