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

__all__: list[str] = []

#: below this many rows per half the QR is a two-pass Gram-Schmidt in numba (no LAPACK call)
SMALL = 8


@njit(cache=True)
def _gram_schmidt(m, logs):
    """Two-pass classical Gram-Schmidt of the columns of ``m`` in place; ``logs += ln R_jj``."""
    rows, k = m.shape
    for j in range(k):
        for _ in range(2):
            for i in range(j):
                proj = m[0, i] * 0.0
                for r in range(rows):
                    proj += np.conj(m[r, i]) * m[r, j]
                for r in range(rows):
                    m[r, j] -= proj * m[r, i]
        nrm = 0.0
        for r in range(rows):
            nrm += abs(m[r, j]) ** 2
        nrm = np.sqrt(nrm)
        logs[j] += np.log(nrm)
        for r in range(rows):
            m[r, j] /= nrm


@njit(cache=True)
def _reorthonormalize(state, logs):
    """QR of the stacked ``(2n, k)`` block ``state``: keep Q, add ``ln |R_jj|`` to ``logs``."""
    n2, k = state.shape
    if n2 // 2 <= SMALL:
        _gram_schmidt(state, logs)
        return
    q, r = np.linalg.qr(state)
    for j in range(k):
        logs[j] += np.log(abs(r[j, j]))
    state[:, :] = q


@njit(cache=True)
def run_chunk(state, cur, eps, bond_blocks, x_blocks, xprev, energy, t, q, frm, to, spin,
              logs):
    """Propagate ``eps.shape[0]`` slices; re-orthonormalize after every ``q`` slices.

    ``state`` is ``(2, n, k)``: ``state[cur]`` holds ``psi_x``, ``state[1 - cur]``
    ``psi_{x-1}``. ``bond_blocks`` is ``(1 or c, nb, s, s)``, ``x_blocks`` ``(1 or c,
    sites, s, s)``, ``xprev`` the x-blocks of the slice before the chunk (updated). Returns
    the new ``cur``; ``logs`` accumulates ``ln |R_jj|``.
    """
    c = eps.shape[0]
    n = state.shape[1]
    k = state.shape[2]
    s = spin
    nsites = n // s
    nb = frm.shape[0]
    y = np.empty((n, k), dtype=state.dtype)
    stacked = np.empty((2 * n, k), dtype=state.dtype)
    for j in range(c):
        a_ = state[cur]
        b_ = state[1 - cur]
        ju = j if bond_blocks.shape[0] > 1 else 0
        jx = j if x_blocks.shape[0] > 1 else 0
        # (E - eps) psi_x - V_{x-1} psi_{x-1}, with V_{x-1} = -t X_prev
        if s == 1:
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
        else:
            for i in range(nsites):
                e = energy - eps[j, i]
                for a in range(s):
                    r = i * s + a
                    for col in range(k):
                        acc = e * a_[r, col]
                        for bb in range(s):
                            acc += t * xprev[i, a, bb] * b_[i * s + bb, col]
                        y[r, col] = acc
            for bnd in range(nb):
                f = frm[bnd]
                g = to[bnd]
                for a in range(s):
                    for bb in range(s):
                        u = t * bond_blocks[ju, bnd, a, bb]
                        uc = np.conj(u)
                        for col in range(k):
                            y[g * s + a, col] += u * a_[f * s + bb, col]
                            y[f * s + bb, col] += uc * a_[g * s + a, col]
            for i in range(nsites):
                for a in range(s):
                    for col in range(k):
                        acc = y[0, 0] * 0.0
                        for bb in range(s):
                            acc += x_blocks[jx, i, a, bb] * y[i * s + bb, col]
                        b_[i * s + a, col] = -acc / t
                for a in range(s):
                    for bb in range(s):
                        xprev[i, a, bb] = x_blocks[jx, i, a, bb]
        cur = 1 - cur
        if (j + 1) % q == 0:
            stacked[:n] = state[cur]
            stacked[n:] = state[1 - cur]
            _reorthonormalize(stacked, logs)
            state[cur] = stacked[:n]
            state[1 - cur] = stacked[n:]
    return cur
