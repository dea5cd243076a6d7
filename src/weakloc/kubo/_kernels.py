"""Compiled CSR kernels of the Chebyshev recursion (numba, cached).

A block of ``K`` vectors is stored as one ``(n, K)`` array, so the matrix row is read once
for all of them. The fused step, for row ``i`` and vector ``k``,

.. math::

    p_k \\leftarrow \\alpha\\left[(H - s)\\, c_k + [k \\in 1..m]\\, J_{k-1}\\, c_0\\right]
    - \\gamma\\, p_k, \\qquad a_k \\leftarrow a_k + \\beta\\, p_k,

with ``c = cur``, ``p = prev``, ``a = acc``, ``m = ncomm`` and ``J_mu`` the matrix with the
entries ``H_ij d_ij[mu]`` (``d_ij`` the bond displacement): it advances ``T_n(X) c_0`` and
the commutators ``[X_mu, T_n(X)] c_0`` in one pass (see :mod:`weakloc.kubo.chebyshev`).
The row update is written once (:func:`_row`: column by column without commutators, all
columns at once in registers with them) and driven by a serial and a threaded loop.
``fastmath`` lets LLVM drop the zero imaginary part of a real ``H`` and reassociate sums
(rounding at the 1e-16 level).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from weakloc._jit import serialize_cache_writes

serialize_cache_writes()   # numba's cache, shared between processes

__all__ = ["block_step", "comm_apply", "PARALLEL_MIN_ROWS", "MAX_COLUMNS"]

#: matrices with at least this many rows use the threaded driver (the serial one wins on a
#: shared 2-core machine below a few million rows; lower it on a machine with idle cores).
PARALLEL_MIN_ROWS = 1 << 21


#: widest block with commutator columns (one register accumulator per column)
MAX_COLUMNS = 8


@nb.njit(cache=True, inline="always", fastmath=True)
def _store(i, k, s, prev, acc, alpha, gamma, coef):  # pragma: no cover - compiled
    new = alpha * s - gamma * prev[i, k]
    prev[i, k] = new
    acc[i, k] += coef * new


@nb.njit(cache=True, inline="always", fastmath=True)
def _row_plain(i, indptr, indices, data, cur, prev, acc, alpha, shift, gamma,
               coef):  # pragma: no cover - compiled
    # no commutators: column by column, the row's entries stay in L1
    lo, hi = indptr[i], indptr[i + 1]
    for k in range(cur.shape[1]):
        s = -shift * cur[i, k]
        for jj in range(lo, hi):
            s += data[jj] * cur[indices[jj], k]
        _store(i, k, s, prev, acc, alpha, gamma, coef)


@nb.njit(cache=True, inline="always", fastmath=True)
def _row_comm(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
              coef):  # pragma: no cover - compiled
    # one accumulator per column, kept in registers (the column count is loop-invariant);
    # columns 1..ncomm also gather [X_mu, H] cur[:, 0]
    kk = cur.shape[1]
    z = 0j
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = z
    for jj in range(indptr[i], indptr[i + 1]):
        j = indices[jj]
        h = data[jj]
        c0 = cur[j, 0]
        s0 += h * c0
        if kk > 1:
            s1 += h * cur[j, 1]
        if kk > 2:
            s2 += h * cur[j, 2]
        if kk > 3:
            s3 += h * cur[j, 3]
        if kk > 4:
            s4 += h * cur[j, 4]
        if kk > 5:
            s5 += h * cur[j, 5]
        if kk > 6:
            s6 += h * cur[j, 6]
        if kk > 7:
            s7 += h * cur[j, 7]
        if ncomm > 0:
            hc = h * c0
            s1 += disp[jj, 0] * hc
            if ncomm > 1:
                s2 += disp[jj, 1] * hc
            if ncomm > 2:
                s3 += disp[jj, 2] * hc
    sums = (s0, s1, s2, s3, s4, s5, s6, s7)
    for k in range(kk):
        _store(i, k, sums[k] - shift * cur[i, k], prev, acc, alpha, gamma, coef)


@nb.njit(cache=True, inline="always", fastmath=True)
def _row(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
         coef):  # pragma: no cover - compiled
    if ncomm == 0:
        _row_plain(i, indptr, indices, data, cur, prev, acc, alpha, shift, gamma, coef)
    else:
        _row_comm(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
                  coef)


@nb.njit(cache=True, fastmath=True)
def _step_serial(indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
                 coef):  # pragma: no cover - compiled
    for i in range(cur.shape[0]):
        _row(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma, coef)


@nb.njit(cache=True, parallel=True, fastmath=True)
def _step_parallel(indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma,
                   coef):  # pragma: no cover - compiled
    for i in nb.prange(cur.shape[0]):
        _row(i, indptr, indices, data, disp, ncomm, cur, prev, acc, alpha, shift, gamma, coef)


def block_step(system, cur, prev, acc, alpha, shift, gamma, coef, ncomm=0) -> None:
    """One fused step on the block (in place): see the module docstring."""
    if ncomm and (cur.shape[1] > MAX_COLUMNS or ncomm > min(3, cur.shape[1] - 1)):
        raise ValueError(f"block of {cur.shape[1]} columns with {ncomm} commutators: "
                         f"at most {MAX_COLUMNS} columns and 3 commutators")
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
