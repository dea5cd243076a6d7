"""Compiled stencils of the periodic 2D lattice Hamiltonian (numba, cached).

One Chebyshev step, fused: ``prev <- alpha (H - shift) cur - gamma prev`` and
``acc <- acc + coef prev``, in one pass over the lattice. ``cur``, ``prev``, ``acc`` are
indexed ``[x, y]`` (scalar) or ``[x, y, s]`` (spinor). Bond conventions as in
:mod:`weakloc.dynamics.hamiltonian`: ``H[r + e_mu, r] = -U_mu(r)`` (hopping ``t = 1``).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from weakloc._jit import serialize_cache_writes

serialize_cache_writes()   # numba's cache, shared between processes

__all__ = ["step_scalar", "step_spinor", "step_scalar_parallel", "step_spinor_parallel"]

#: lattices with at least this many sites use the threaded kernels. On the shared 2-core
#: CI machine the serial kernel was faster at 512 x 512 (BENCHMARKS.md), hence the high
#: default; lower it on a machine with idle cores.
PARALLEL_MIN_SITES = 1024 * 1024


@nb.njit(cache=True)
def step_scalar(cur, prev, acc, eps, px, seam, alpha, shift, gamma, coef):  # pragma: no cover
    """Scalar stencil; ``px[y]`` is the x-bond factor of row y, ``seam[x]`` the factor of the
    y-bond from row ``N-1`` to row 0 in column x (all other y-bonds carry 1)."""
    nx, ny = cur.shape
    for x in range(nx):
        xm = x - 1 if x > 0 else nx - 1
        xp = x + 1 if x < nx - 1 else 0
        for y in range(ny):
            hop = px[y] * cur[xm, y] + np.conj(px[y]) * cur[xp, y]
            if y == 0:
                hop += seam[x] * cur[x, ny - 1] + cur[x, 1]
            elif y == ny - 1:
                hop += cur[x, y - 1] + np.conj(seam[x]) * cur[x, 0]
            else:
                hop += cur[x, y - 1] + cur[x, y + 1]
            h = (eps[x, y] - shift) * cur[x, y] - hop
            new = alpha * h - gamma * prev[x, y]
            prev[x, y] = new
            acc[x, y] += coef * new


@nb.njit(cache=True)
def step_spinor(cur, prev, acc, eps, ux, uy, alpha, shift, gamma, coef):  # pragma: no cover
    """Spinor stencil; ``ux[x, y]`` (2 x 2) is the bond from (x, y) to (x+1, y), ``uy[x, y]``
    the bond from (x, y) to (x, y+1), both with their Peierls phases folded in."""
    nx, ny = cur.shape[0], cur.shape[1]
    for x in range(nx):
        xm = x - 1 if x > 0 else nx - 1
        xp = x + 1 if x < nx - 1 else 0
        for y in range(ny):
            ym = y - 1 if y > 0 else ny - 1
            yp = y + 1 if y < ny - 1 else 0
            for a in range(2):
                hop = 0j
                for b in range(2):
                    hop += ux[xm, y, a, b] * cur[xm, y, b]
                    hop += np.conj(ux[x, y, b, a]) * cur[xp, y, b]
                    hop += uy[x, ym, a, b] * cur[x, ym, b]
                    hop += np.conj(uy[x, y, b, a]) * cur[x, yp, b]
                h = (eps[x, y] - shift) * cur[x, y, a] - hop
                new = alpha * h - gamma * prev[x, y, a]
                prev[x, y, a] = new
                acc[x, y, a] += coef * new


@nb.njit(cache=True, parallel=True, fastmath=False)
def step_scalar_parallel(cur, prev, acc, eps, px, seam, alpha, shift, gamma,
                         coef):  # pragma: no cover
    """Threaded copy of :func:`step_scalar` (rows of x split over threads)."""
    nx, ny = cur.shape
    for x in nb.prange(nx):
        xm = x - 1 if x > 0 else nx - 1
        xp = x + 1 if x < nx - 1 else 0
        for y in range(ny):
            hop = px[y] * cur[xm, y] + np.conj(px[y]) * cur[xp, y]
            if y == 0:
                hop += seam[x] * cur[x, ny - 1] + cur[x, 1]
            elif y == ny - 1:
                hop += cur[x, y - 1] + np.conj(seam[x]) * cur[x, 0]
            else:
                hop += cur[x, y - 1] + cur[x, y + 1]
            h = (eps[x, y] - shift) * cur[x, y] - hop
            new = alpha * h - gamma * prev[x, y]
            prev[x, y] = new
            acc[x, y] += coef * new


@nb.njit(cache=True, parallel=True, fastmath=False)
def step_spinor_parallel(cur, prev, acc, eps, ux, uy, alpha, shift, gamma,
                         coef):  # pragma: no cover
    """Threaded copy of :func:`step_spinor` (rows of x split over threads)."""
    nx, ny = cur.shape[0], cur.shape[1]
    for x in nb.prange(nx):
        xm = x - 1 if x > 0 else nx - 1
        xp = x + 1 if x < nx - 1 else 0
        for y in range(ny):
            ym = y - 1 if y > 0 else ny - 1
            yp = y + 1 if y < ny - 1 else 0
            for a in range(2):
                hop = 0j
                for b in range(2):
                    hop += ux[xm, y, a, b] * cur[xm, y, b]
                    hop += np.conj(ux[x, y, b, a]) * cur[xp, y, b]
                    hop += uy[x, ym, a, b] * cur[x, ym, b]
                    hop += np.conj(uy[x, y, b, a]) * cur[x, yp, b]
                h = (eps[x, y] - shift) * cur[x, y, a] - hop
                new = alpha * h - gamma * prev[x, y, a]
                prev[x, y, a] = new
                acc[x, y, a] += coef * new
