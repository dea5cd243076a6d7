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

**Separable leads in closed form.** When the hopping is a multiple of the identity,
``V0 = c 1`` (a clean lead without a field, spin-degenerate), the transverse eigenstates
``H0 u_m = eps_m u_m`` decouple the lead into independent 1D chains with hopping ``|c|``,
and both self-energies are (Datta, *Electronic Transport in Mesoscopic Systems*, CUP 1995,
ch. 3; the phase of ``c`` drops out of ``Sigma = V0^+ g_s V0``)

.. math::

   \Sigma_L = \Sigma_R = \sum_m u_m |c| \mu_m u_m^\dagger, \qquad
   \mu_m = x_m - i \sqrt{1 - x_m^2} \ (|x_m| < 1), \quad
   \mu_m = x_m - \mathrm{sign}(x_m) \sqrt{x_m^2 - 1} \ (|x_m| > 1),

with ``x_m = (E - eps_m) / (2|c|)``: on the propagating branch ``x_m = cos q_m`` and
``mu_m = exp(-i q_m)`` (the outgoing wave, velocity ``2|c| sin q_m > 0``), on the evanescent
one the decaying root (``|mu_m| < 1``). The broadening is ``Gamma = P P^+`` with
``P = u_m sqrt(2|c| sin q_m)`` over the open channels only. ``H0`` is diagonalized once
per lead (:func:`transverse_modes`); each energy then costs two real matrix products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc.errors import InputError

__all__ = ["LeadModes", "lead_modes", "self_energies", "lead_band", "open_channels",
           "check_open", "TransverseModes", "transverse_modes", "closed_form_self_energy"]

_UNIT_TOL = 1e-8   # | |lambda| - 1 | below this: propagating
_EDGE_TOL = 1e-12  # | |x_m| - 1 | below this: a subband edge (zero velocity)


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


@dataclass(frozen=True)
class TransverseModes:
    """Transverse eigenbasis of a separable lead (``V0 = c 1``), lattice units.

    Attributes
    ----------
    levels : ndarray, shape (n,)
        ``eps_m``, eigenvalues of ``H0`` (units of t).
    basis : ndarray, shape (n, n)
        Orthonormal eigenvectors ``u_m`` as columns (real when ``H0`` is real).
    hop : float
        ``|c|``, the magnitude of the inter-slice hopping (units of t).
    """

    levels: np.ndarray
    basis: np.ndarray
    hop: float


def transverse_modes(h0, v0) -> TransverseModes | None:
    """Diagonalize the lead slice once when the lead is separable, else ``None``.

    Separable means the hopping ``V0`` is a nonzero multiple of the identity (to 1e-14
    relative), detected from the matrices themselves: a clean lead without a field, with or
    without spin. A lead in a field (Peierls phases on ``V0``) is not separable and needs
    :func:`lead_modes`.

    Parameters
    ----------
    h0, v0 : ndarray, shape (n, n)
        Lead slice Hamiltonian (Hermitian) and hopping ``V0 = H[j+1, j]`` (units of t).

    Returns
    -------
    TransverseModes or None
    """
    v0 = np.asarray(v0)
    h0 = np.asarray(h0)
    c = complex(v0.flat[0]) if v0.size else 0j
    if c == 0 or v0.ndim != 2 or v0.shape[0] != v0.shape[1]:
        return None
    off = v0 - c * np.eye(v0.shape[0])
    if np.max(np.abs(off)) > 1e-14 * abs(c):
        return None
    if not np.iscomplexobj(h0) or not np.any(h0.imag):
        levels, basis = np.linalg.eigh(np.real(h0))
    else:
        levels, basis = np.linalg.eigh(h0)
    return TransverseModes(levels, basis, abs(c))


def _reduced_energies(modes: TransverseModes, energy: float) -> np.ndarray:
    """``x_m = (E - eps_m) / (2|c|)``; raises on a subband edge (``|x_m| = 1``)."""
    x = (float(energy) - modes.levels) / (2.0 * modes.hop)
    if np.any(np.abs(np.abs(x) - 1.0) < _EDGE_TOL):
        raise InputError(
            f"energy {float(energy):g} sits on a band edge of the leads (zero velocity "
            "mode); shift it by a small amount, e.g. 1e-6"
        )
    return x


def closed_form_self_energy(modes: TransverseModes, energy: float):
    """Self-energy of a separable lead in closed form (see the module docstring).

    Parameters
    ----------
    modes : TransverseModes
        From :func:`transverse_modes`.
    energy : float
        Energy in units of t.

    Returns
    -------
    sigma : ndarray, shape (n, n), complex
        ``Sigma_L = Sigma_R`` (units of t).
    n_open : int
        Number of open channels (``|x_m| < 1``), spin included.
    gamma_factor : ndarray, shape (n, n_open)
        ``P`` with ``Gamma = i(Sigma - Sigma^+) = P P^+`` (units of sqrt(t)).

    Raises
    ------
    InputError
        If ``energy`` sits on a subband edge (``|x_m| = 1``, zero velocity).
    """
    x = _reduced_energies(modes, energy)
    is_open = np.abs(x) < 1.0
    root = np.sqrt(np.abs(1.0 - x * x))
    re = modes.hop * np.where(is_open, x, x - np.sign(x) * root)
    u = modes.basis
    gam = 2.0 * modes.hop * root[is_open]          # -2 Im(Sigma) on the open channels
    p = u[:, is_open] * np.sqrt(gam)
    # Sigma = U diag(Re) U^+ - (i/2) P P^+ (real products when U is real)
    sigma = ((u * re) @ u.conj().T).astype(complex)
    sigma -= 0.5j * (p @ p.conj().T)
    return sigma, int(np.count_nonzero(is_open)), p


def self_energies(h0, v0, energy: float, modes: LeadModes | None = None, *,
                  transverse="auto"):
    """Exact retarded self-energies of the left and right leads (units of t).

    ``Sigma_L`` acts on the first slice of the sample (the left lead couples into it with
    ``V0``), ``Sigma_R`` on the last one (which couples to the right lead with ``V0``).
    A separable lead is solved in closed form (:func:`closed_form_self_energy`), any other
    by mode matching (:func:`lead_modes`).

    Parameters
    ----------
    h0, v0 : ndarray, shape (n, n)
        Lead slice Hamiltonian and hopping ``V0 = H[j+1, j]``.
    energy : float
        Energy in units of ``t``.
    modes : LeadModes, optional
        Precomputed :func:`lead_modes` at this energy (forces mode matching).
    transverse : 'auto', TransverseModes or None
        ``'auto'`` (default) detects a separable lead; a :class:`TransverseModes` reuses
        one diagonalization; ``None`` forces mode matching.

    Returns
    -------
    sigma_left, sigma_right : ndarray, shape (n, n), complex
    n_open : int
        Number of open channels (propagating modes in one direction, spin included).
    """
    if modes is None:
        if isinstance(transverse, str) and transverse == "auto":
            transverse = transverse_modes(h0, v0)
        if transverse is not None:
            sigma, n_open, _ = closed_form_self_energy(transverse, energy)
            return sigma, sigma, n_open
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
    modes = transverse_modes(h0, v0)
    if modes is not None:
        return int(np.count_nonzero(np.abs(_reduced_energies(modes, e)) < 1.0))
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
