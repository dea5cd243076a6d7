r"""Clean semi-infinite leads: propagating and evanescent modes, exact self-energies.

A lead is a periodic stack of identical slices with slice Hamiltonian ``H0`` and hopping
``V0 = H[j+1, j]`` (lattice units, ``t = 1``). A Bloch-type solution ``psi_j = lambda^j u``
of ``(E - H0) u = (lambda^-1 V0 + lambda V0^+) u`` is found from the eigenvectors of the
``2n x 2n`` transfer matrix

.. math::

   T = \begin{pmatrix} V_0^{-\dagger}(E - H_0) & -V_0^{-\dagger} V_0 \\ 1 & 0 \end{pmatrix},

which is well conditioned here because ``V0`` is ``-t`` times a unitary (Peierls and spin)
matrix. Modes with ``|lambda| < 1`` decay to the right, ``|lambda| > 1`` to the left; those
with ``|lambda| = 1`` propagate, with current (in units of ``t / hbar``)

.. math::

   J = u^\dagger Q u, \qquad Q = -i(\bar\lambda V_0 - \lambda V_0^\dagger),

diagonalized within each degenerate subspace. With ``U_+`` (``Lambda_+``) the ``n``
right-going modes (outgoing propagating plus right-decaying) and ``U_-`` the left-going ones,
the retarded self-energies of the right and left leads are exact at every energy
(no iteration, no broadening ``eta``):

.. math::

   \Sigma_R = V_0^\dagger U_+ \Lambda_+ U_+^{-1}, \qquad
   \Sigma_L = V_0 U_- \Lambda_-^{-1} U_-^{-1}.

This is the mode-matching construction of Ando, Phys. Rev. B 44, 8017 (1991); Kwant uses a
stabilized variant of the same eigenproblem (Groth et al., New J. Phys. 16, 063065 (2014)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc.errors import InputError

__all__ = ["LeadModes", "lead_modes", "self_energies", "lead_band", "open_channels",
           "check_open"]

_UNIT_TOL = 1e-8   # | |lambda| - 1 | below this: propagating


@dataclass(frozen=True)
class LeadModes:
    """Modes of a clean lead at one energy (lattice units, ``t = 1``).

    Attributes
    ----------
    lam_right, u_right : ndarray
        The ``n`` right-going eigenvalues and mode vectors (columns): propagating with
        positive current, then right-decaying.
    lam_left, u_left : ndarray
        The ``n`` left-going ones: propagating with negative current, then left-decaying.
    n_open : int
        Number of propagating modes in each direction.

    Propagating modes come first in each set and are normalized to unit current ``|J| = 1``
    (so that ``|t_mn|^2`` are transmission probabilities).
    """

    lam_right: np.ndarray
    u_right: np.ndarray
    lam_left: np.ndarray
    u_left: np.ndarray
    n_open: int


def lead_modes(h0: np.ndarray, v0: np.ndarray, energy: float) -> LeadModes:
    """Propagating and evanescent modes of the lead ``(h0, v0)`` at ``energy`` (units of t).

    Parameters
    ----------
    h0, v0 : ndarray, shape (n, n)
        Lead slice Hamiltonian and hopping ``V0 = H[j+1, j]`` (invertible).
    energy : float
        Fermi energy in units of ``t``.

    Returns
    -------
    LeadModes
    """
    h0 = np.asarray(h0, dtype=complex)
    v0 = np.asarray(v0, dtype=complex)
    n = h0.shape[0]
    vdag = v0.conj().T
    vdag_inv = np.linalg.inv(vdag)
    tm = np.zeros((2 * n, 2 * n), dtype=complex)
    tm[:n, :n] = vdag_inv @ (energy * np.eye(n) - h0)
    tm[:n, n:] = -vdag_inv @ v0
    tm[n:, :n] = np.eye(n)
    lam, vec = np.linalg.eig(tm)
    vec = vec[:n]   # psi_0 = u (the lower half is u / lambda)
    absl = np.abs(lam)
    prop = np.abs(absl - 1.0) < _UNIT_TOL
    right_dec = (absl < 1.0) & ~prop
    left_dec = (absl > 1.0) & ~prop

    pr_u, pr_l, pl_u, pl_l = [], [], [], []
    idx = np.flatnonzero(prop)
    done = np.zeros(lam.size, bool)
    for i in idx:
        if done[i]:
            continue
        group = idx[(np.abs(lam[idx] - lam[i]) < 1e-6) & ~done[idx]]
        done[group] = True
        lm = lam[group].mean()
        lm = lm / abs(lm)
        # orthonormal basis of the degenerate subspace, then diagonalize the current
        q_basis, _ = np.linalg.qr(vec[:, group])
        cur = -1j * (np.conj(lm) * v0 - lm * vdag)
        j_sub = q_basis.conj().T @ cur @ q_basis
        jv, jvec = np.linalg.eigh(0.5 * (j_sub + j_sub.conj().T))
        modes = q_basis @ jvec
        for k in range(jv.size):
            if abs(jv[k]) < 1e-12:
                raise InputError(
                    f"energy {energy:g} sits on a band edge of the leads (zero velocity "
                    "mode); shift it by a small amount, e.g. 1e-6"
                )
            u = modes[:, k] / np.sqrt(abs(jv[k]))
            if jv[k] > 0:
                pr_u.append(u)
                pr_l.append(lm)
            else:
                pl_u.append(u)
                pl_l.append(lm)
    n_open = len(pr_u)
    if len(pl_u) != n_open:
        raise InputError(
            f"could not split the lead modes at energy {energy:g} into in- and outgoing "
            "(a band edge?); shift the energy by a small amount, e.g. 1e-6"
        )

    def assemble(us, ls, mask):
        u = np.concatenate([np.array(us).reshape(-1, n).T, vec[:, mask]], axis=1)
        lm = np.concatenate([np.array(ls, dtype=complex), lam[mask]])
        return lm, u

    lam_r, u_r = assemble(pr_u, pr_l, right_dec)
    lam_l, u_l = assemble(pl_u, pl_l, left_dec)
    if lam_r.size != n or lam_l.size != n:
        raise InputError(
            f"lead modes at energy {energy:g} do not split into {n} + {n} (a band edge?); "
            "shift the energy by a small amount, e.g. 1e-6"
        )
    return LeadModes(lam_r, u_r, lam_l, u_l, n_open)


def self_energies(h0, v0, energy: float, modes: LeadModes | None = None):
    """Exact retarded self-energies of the left and right leads (units of t).

    ``Sigma_L`` acts on the first slice of the sample (the left lead couples into it with
    ``V0``), ``Sigma_R`` on the last one (which couples to the right lead with ``V0``).

    Parameters
    ----------
    h0, v0 : ndarray, shape (n, n)
        Lead slice Hamiltonian and hopping ``V0 = H[j+1, j]``.
    energy : float
        Energy in units of ``t``.
    modes : LeadModes, optional
        Precomputed :func:`lead_modes` at this energy.

    Returns
    -------
    sigma_left, sigma_right : ndarray, shape (n, n), complex
    n_open : int
        Number of open channels (propagating modes in one direction, spin included).
    """
    v0 = np.asarray(v0, dtype=complex)
    m = lead_modes(h0, v0, energy) if modes is None else modes
    f_right = np.linalg.solve(m.u_right.T, (m.u_right * m.lam_right).T).T
    f_left = np.linalg.solve(m.u_left.T, (m.u_left / m.lam_left).T).T
    return v0 @ f_left, v0.conj().T @ f_right, m.n_open


def lead_band(lattice, nk: int = 257) -> list[tuple[float, float]]:
    """Energy intervals (units of t) covered by the lead's bands, merged where they overlap.

    From the Bloch Hamiltonian ``H(k) = H0 + V0 exp(-ik) + V0^+ exp(ik)``: exact without a
    field (one interval ``[-2t + eps_min, 2t + eps_max]``); sampled on ``nk`` points of
    ``k`` with one (periodic boundaries then show Hofstadter gaps).
    """
    h0, v0 = lattice.lead()
    if lattice.flux == 0.0:
        ks = np.array([0.0, np.pi])
    else:
        ks = np.linspace(0.0, np.pi, nk)   # H(-k) has the spectrum of H(k)^T: same bands
    ev = np.array([np.linalg.eigvalsh(h0 + v0 * np.exp(-1j * k) + v0.conj().T * np.exp(1j * k))
                   for k in ks])
    bands = sorted(zip(ev.min(axis=0), ev.max(axis=0)))
    merged = [list(bands[0])]
    for lo, hi in bands[1:]:
        if lo <= merged[-1][1] + 1e-9:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(float(lo), float(hi)) for lo, hi in merged]


def open_channels(lattice, energy: float) -> int:
    """Number of propagating lead modes in one direction at ``energy`` (spin included).

    Parameters
    ----------
    lattice : weakloc.lattice.Lattice
        The system; only its leads (cross-section, boundary, field, spin) matter.
    energy : float
        Energy in units of ``t``.

    Returns
    -------
    int
        ``N``, the conductance of the clean strip in units of ``e^2/h``.
    """
    e = float(np.asarray(energy, dtype=float))
    if not np.isfinite(e):
        raise InputError(f"energy must be finite, got {energy!r}")
    h0, v0 = lattice.lead()
    return lead_modes(h0, v0, e).n_open


def check_open(lattice, energy: float) -> int:
    """:func:`open_channels`, raising :class:`InputError` (naming the band) when it is 0."""
    n_open = open_channels(lattice, energy)
    if n_open == 0:
        bands = lead_band(lattice)
        text = " U ".join(f"[{lo:.4g}, {hi:.4g}]" for lo, hi in bands)
        raise InputError(
            f"energy {float(energy):g} has no open channel in the leads; their band is "
            f"{text} (units of t): choose an energy inside it"
        )
    return n_open
