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
``V0 = c 1`` (a clean lead without a field, spin-degenerate; also a cylinder threaded by an
Aharonov-Bohm flux, whose complex ``H0`` has the levels ``-2t cos k_m`` at the shifted
momenta ``k_m = 2 pi (m + Phi e/h) / M`` on the square lattice), the transverse eigenstates
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

**Leads in a field, by transverse blocks.** A field in the Landau gauge puts phases on
``V0``, so the lead is not separable, but in a 3D bar the phases depend on ``y`` only: ``V0``
is constant, ``d_a``, on each class ``C_a`` of sites (a row of the cross-section), and when
``H0`` has the same block ``h_c`` on every class and multiples ``c_ab`` of the identity
between classes, the eigenvectors ``w_q`` of ``h_c`` (eigenvalues ``e_q``) split the lead into
independent ones with ``h_q = (c_ab) + e_q 1`` and ``v_q = diag(d_a)``, one per ``q``
(:func:`lead_blocks`, detected from the matrices). Mode matching then solves ``m``
eigenproblems of size ``2k`` instead of one of size ``2km`` (``n = km``), and
``Sigma[C_a, C_b] = sum_q w_q Sigma_q[a, b] w_q^+``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc.errors import InputError

__all__ = ["LeadModes", "lead_modes", "self_energies", "lead_band", "open_channels",
           "check_open", "TransverseModes", "transverse_modes", "closed_form_self_energy",
           "LeadBlocks", "lead_blocks"]

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
    # decaying root x - sign(x) sqrt(x^2 - 1), written without cancellation at large |x|
    re = modes.hop * np.where(is_open, x, np.sign(x) / (np.abs(x) + root))
    u = modes.basis
    gam = 2.0 * modes.hop * root[is_open]          # -2 Im(Sigma) on the open channels
    p = u[:, is_open] * np.sqrt(gam)
    # Sigma = U diag(Re) U^+ - (i/2) P P^+ (real products when U is real)
    sigma = ((u * re) @ u.conj().T).astype(complex)
    sigma -= 0.5j * (p @ p.conj().T)
    return sigma, int(np.count_nonzero(is_open)), p


@dataclass(frozen=True)
class LeadBlocks:
    """A lead split into independent transverse blocks (see the module docstring).

    Attributes
    ----------
    classes : ndarray of int, shape (k, m)
        Site indices of each class (rows of the cross-section), in matching order.
    basis : ndarray, shape (m, m)
        Eigenvectors ``w_q`` of the common intra-class block (columns).
    levels : ndarray, shape (m,)
        Its eigenvalues ``e_q`` (units of t).
    coupling : ndarray, shape (k, k)
        ``c_ab``, the inter-class hoppings (units of t).
    hop : ndarray, shape (k,)
        ``d_a``, the hopping ``V0`` on each class (units of t).
    """

    classes: np.ndarray
    basis: np.ndarray
    levels: np.ndarray
    coupling: np.ndarray
    hop: np.ndarray

    def block(self, q: int):
        """``(h_q, v_q)``, the lead of transverse mode ``q``."""
        return self.coupling + self.levels[q] * np.eye(self.hop.size), np.diag(self.hop)


def lead_blocks(h0, v0) -> LeadBlocks | None:
    """Split a lead with a diagonal, class-wise constant hopping into transverse blocks.

    Returns ``None`` when ``V0`` is not diagonal, is a multiple of the identity (use
    :func:`transverse_modes`), or ``H0`` lacks the block structure (equal intra-class
    blocks, multiples of the identity between classes, to 1e-13).

    Parameters
    ----------
    h0, v0 : ndarray, shape (n, n)
        Lead slice Hamiltonian and hopping ``V0 = H[j+1, j]`` (units of t).

    Returns
    -------
    LeadBlocks or None
    """
    h0 = np.asarray(h0, dtype=complex)
    v0 = np.asarray(v0, dtype=complex)
    n = h0.shape[0]
    d = np.diagonal(v0)
    if n < 2 or np.max(np.abs(v0 - np.diag(d))) > 0 or np.min(np.abs(d)) == 0:
        return None
    keys = np.round(d.real, 12) + 1j * np.round(d.imag, 12)
    uniq, inv = np.unique(keys, return_inverse=True)
    k = uniq.size
    counts = np.bincount(inv)
    if k == 1 or k == n or np.any(counts != counts[0]):
        return None
    classes = np.array([np.flatnonzero(inv == a) for a in range(k)])
    tol = 1e-13 * max(1.0, np.max(np.abs(h0)))
    h_c = h0[np.ix_(classes[0], classes[0])]
    coupling = np.zeros((k, k), dtype=complex)
    eye = np.eye(counts[0])
    for a in range(k):
        for b in range(k):
            blk = h0[np.ix_(classes[a], classes[b])]
            if a == b:
                ok = np.max(np.abs(blk - h_c)) <= tol
            else:
                coupling[a, b] = blk[0, 0]
                ok = np.max(np.abs(blk - coupling[a, b] * eye)) <= tol
            if not ok:
                return None
    levels, basis = np.linalg.eigh(h_c)
    return LeadBlocks(classes, basis, levels, coupling, d[classes[:, 0]])


def _blocked_self_energies(blocks: LeadBlocks, energy: float):
    """:func:`self_energies` of a lead split by :func:`lead_blocks` (mode matching per block)."""
    k, m = blocks.classes.shape
    s_l = np.empty((m, k, k), dtype=complex)
    s_r = np.empty((m, k, k), dtype=complex)
    n_open = 0
    for q in range(m):
        h_q, v_q = blocks.block(q)
        s_l[q], s_r[q], nq = self_energies(h_q, v_q, energy, transverse=None)
        n_open += nq
    perm = blocks.classes.ravel()
    w = blocks.basis

    def assemble(sq):
        # full[C_a i, C_b j] = sum_q w[i, q] sq[q, a, b] conj(w[j, q])
        y = np.tensordot(w[:, :, None, None] * sq[None], w.conj(), axes=(1, 1))  # i a b j
        out = np.empty((k * m, k * m), dtype=complex)
        out[np.ix_(perm, perm)] = y.transpose(1, 0, 2, 3).reshape(k * m, k * m)
        return out

    return assemble(s_l), assemble(s_r), n_open


def self_energies(h0, v0, energy: float, modes: LeadModes | None = None, *,
                  transverse="auto", blocked: bool = True):
    """Exact retarded self-energies of the left and right leads (units of t).

    ``Sigma_L`` acts on the first slice of the sample (the left lead couples into it with
    ``V0``), ``Sigma_R`` on the last one (which couples to the right lead with ``V0``).
    A separable lead is solved in closed form (:func:`closed_form_self_energy`), any other
    by mode matching (:func:`lead_modes`), per transverse block where :func:`lead_blocks`
    finds them.

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
    blocked : bool
        Split the lead into transverse blocks when it has them (default); ``False``
        solves the full ``2n x 2n`` eigenproblem.

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
        blocks = lead_blocks(h0, v0) if blocked else None
        if blocks is not None:
            return _blocked_self_energies(blocks, energy)
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
    blocks = lead_blocks(h0, v0)
    if blocks is not None:
        return sum(lead_modes(*blocks.block(q), e).n_open for q in range(blocks.levels.size))
    return lead_modes(h0, v0, e).n_open


def check_open(lattice, energy: float) -> int:
    """:func:`open_channels`, raising :class:`InputError` (naming the band) when it is 0."""
    n_open = open_channels(lattice, energy)
    if n_open == 0:
        bands = lead_band(lattice)
        text = " U ".join(f"[{lo:.4g}, {hi:.4g}]" for lo, hi in bands)
        if len(bands) > 6:   # a lead in a field: Landau bands; name the nearest ones
            near = sorted(bands, key=lambda b: min(abs(energy - b[0]), abs(energy - b[1])))[:2]
            text = (f"{len(bands)} intervals from {bands[0][0]:.4g} to {bands[-1][1]:.4g}, "
                    "the nearest " + " and ".join(f"[{lo:.4g}, {hi:.4g}]"
                                                  for lo, hi in sorted(near)))
        raise InputError(
            f"energy {float(energy):g} has no open channel in the leads; their band is "
            f"{text} (units of t): choose an energy inside it"
        )
    return n_open
