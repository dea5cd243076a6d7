"""Compiled CSR kernels of the Chebyshev recursion (numba, cached).

A block of ``K`` vectors is stored as one ``(n, K)`` array, so the matrix row is read once
for all of them. The fused step, for row ``i`` and vector ``k``,

.. math::

    p_k \\leftarrow \\alpha\\left[(H - s)\\, c_k + [k \\in 1..m]\\, J_{k-1}\\, c_0\\right]
    - \\gamma\\, p_k, \\qquad a_k \\leftarrow a_k + \\beta\\, p_k,

with ``c = cur``, ``p = prev``, ``a = acc``, ``m = ncomm`` and ``J_mu`` the matrix with the
entries ``H_ij d_ij[mu]`` (``d_ij`` the bond displacement): it advances ``T_n(X) c_0`` and
the commutators ``[X_mu, T_n(X)] c_0`` in one pass (see :mod:`weakloc.kubo.chebyshev`).
The row update is written once (:func:`_row`) and driven by a serial and a threaded loop.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["block_step", "comm_apply", "PARALLEL_MIN_ROWS"]

#: matrices with at least this many rows use the threaded driver (the serial one wins on a
#: shared 2-core machine below a few million rows; lower it on a machine with idle cores).
PARALLEL_MIN_ROWS = 1 << 21


@nb.njit(cache=True, inline="always")
def _row(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma, coef,
         s):  # pragma: no cover - compiled
    kk = cur.shape[1]
    for k in range(kk):
        s[k] = -shift * cur[i, k]
    for jj in range(indptr[i], indptr[i + 1]):
        j = indices[jj]
        h = data[jj]
        for k in range(kk):
            s[k] += h * cur[j, k]
        if ncomm > 0:
            hc = h * cur[j, 0]
            for m in range(ncomm):
                s[1 + m] += disp[jj, m] * hc
    for k in range(kk):
        new = alpha * s[k] - gamma * prev[i, k]
        prev[i, k] = new
        acc[i, k] += coef * new


@nb.njit(cache=True)
def _step_serial(indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
                 coef):  # pragma: no cover - compiled
    s = np.empty(cur.shape[1], dtype=np.complex128)
    for i in range(cur.shape[0]):
        _row(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma, coef,
             s)


_CHUNKS = 256


@nb.njit(cache=True, parallel=True)
def _step_parallel(indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
                   coef):  # pragma: no cover - compiled
    n = cur.shape[0]
    size = (n + _CHUNKS - 1) // _CHUNKS
    for c in nb.prange(_CHUNKS):
        s = np.empty(cur.shape[1], dtype=np.complex128)
        for i in range(c * size, min(n, (c + 1) * size)):
            _row(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
                 coef, s)


def block_step(system, cur, prev, acc, alpha, shift, gamma, coef, ncomm=0) -> None:
    """One fused step on the block (in place): see the module docstring."""
    h = system.hamiltonian
    fn = _step_parallel if cur.shape[0] >= PARALLEL_MIN_ROWS else _step_serial
    fn(h.indptr, h.indices, system.values, system.displacements, int(ncomm), cur, prev, acc,
       float(alpha), float(shift), float(gamma), complex(coef))


@nb.njit(cache=True)
def _comm(indptr, indices, data, disp, mu, src, out):  # pragma: no cover - compiled
    for i in range(src.shape[0]):
        s = 0j
        for jj in range(indptr[i], indptr[i + 1]):
            s += data[jj] * disp[jj, mu] * src[indices[jj]]
        out[i] = s


def comm_apply(system, mu: int, src) -> np.ndarray:
    """``[X_mu, H] src`` (entries ``H_ij d_ij[mu]``; units ``t a``); ``src`` of length n."""
    h = system.hamiltonian
    out = np.empty(h.shape[0], dtype=complex)
    _comm(h.indptr, h.indices, system.values, system.displacements, int(mu),
          np.ascontiguousarray(src, dtype=complex), out)
    return out
