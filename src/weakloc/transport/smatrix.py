r"""Scattering amplitudes of small samples by a dense solve (a reference for the RGF sweep).

For a wave incident from the left in the propagating lead mode ``u_n`` (unit current,
Bloch factor ``lambda_n``), the scattering state obeys ``(E - H - Sigma) psi = s`` with the
source ``s_0 = V_0 (lambda_n^{-1} - F_-^{-1}) u_n`` on the first slice
(``F_-^{-1} = U_- Lambda_-^{-1} U_-^{-1}``). The transmitted part is ``psi`` on the last slice
expanded in the right-going modes, the reflected part ``psi_0 - u_n`` expanded in the
left-going ones (Ando, Phys. Rev. B 44, 8017 (1991)). With unit-current modes the
coefficients are the amplitudes ``t_mn`` and ``r_mn`` and ``[t; r]`` has orthonormal
columns: ``T + R = N``.

The full ``(L n) x (L n)`` matrix is inverted, so this is for tests and small systems only.
"""

from __future__ import annotations

import numpy as np

from weakloc.errors import InputError, ResourceError
from weakloc.transport.leads import check_open, lead_modes, self_energies

__all__ = ["scattering_amplitudes"]


def scattering_amplitudes(realization, energy: float, *, max_dim: int = 4000):
    """Transmission and reflection amplitudes for incidence from the left lead.

    Parameters
    ----------
    realization : weakloc.lattice.Realization
        A small sample (``length * n <= max_dim``).
    energy : float
        Energy in units of ``t``.
    max_dim : int
        Largest dense matrix allowed.

    Returns
    -------
    t, r : ndarray, shape (N, N), complex
        ``t[m, n]``: amplitude from left mode ``n`` into right mode ``m``; ``r[m, n]`` into
        left-going mode ``m``. ``Tr t^+ t`` is the conductance in units of ``e^2/h``.
    """
    lat = realization.lattice
    if lat.slice_model().p > 1:
        raise InputError("dense scattering amplitudes need one-layer slices (square and "
                         "cubic lattices); use weakloc.transport.landauer.conductance")
    n, length = lat.n, lat.length
    if n * length > max_dim:
        raise ResourceError(
            f"dense scattering solve of {n * length} orbitals exceeds max_dim={max_dim}; "
            "use weakloc.transport.landauer.conductance for large systems"
        )
    e = float(energy)
    if not np.isfinite(e):
        raise InputError(f"energy must be finite, got {energy!r}")
    n_open = check_open(lat, e)
    h0, v0 = lat.lead()
    modes = lead_modes(h0, v0, e)
    sig_l, sig_r, _ = self_energies(h0, v0, e, modes)
    a = e * np.eye(n * length) - realization.hamiltonian().toarray()
    a[:n, :n] -= sig_l
    a[-n:, -n:] -= sig_r
    f_left_inv = np.linalg.solve(modes.u_left.T, (modes.u_left / modes.lam_left).T).T
    u_in = modes.u_right[:, :n_open]
    src = v0 @ (u_in / modes.lam_right[:n_open] - f_left_inv @ u_in)
    rhs = np.zeros((n * length, n_open), dtype=complex)
    rhs[:n] = src
    psi = np.linalg.solve(a, rhs)
    t = np.linalg.solve(modes.u_right, psi[-n:])[:n_open]
    r = np.linalg.solve(modes.u_left, psi[:n] - u_in)[:n_open]
    return t, r
