"""Initial states: plane waves and Gaussian packets of momentum k0, optionally energy-filtered.

Lattice units (``t = a = hbar = 1``): momenta in ``1/a`` inside the Brillouin zone
``[-pi, pi)^2``, energies in ``t``. On an ``N x N`` torus a plane wave needs ``k0`` on the
grid ``2 pi (j_x, j_y)/N``. Spinor states start in the spin state ``spin`` (default up).
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = [
    "check_k0", "band_edges", "check_energy", "grid_index", "plane_wave", "gaussian_packet",
    "energy_filtered", "clean_dispersion",
]


def check_k0(k0) -> np.ndarray:
    """``k0`` as a 2-vector inside the Brillouin zone ``[-pi, pi)^2`` (units of ``1/a``)."""
    k = v.finite_array("k0", k0)
    if k.shape != (2,):
        raise InputError(f"k0 must be two numbers KX,KY (units of 1/a), got shape {k.shape}")
    if np.any(k < -np.pi) or np.any(k >= np.pi):
        raise InputError(
            f"k0 = ({k[0]:g}, {k[1]:g}) lies outside the Brillouin zone [-pi, pi)^2; "
            "fold it back by a multiple of 2 pi"
        )
    return k


def band_edges(disorder: float) -> tuple[float, float]:
    """Strict bounds of the spectrum: ``+-(4 t + W/2)`` (units of ``t``)."""
    b = 4.0 + 0.5 * float(disorder)
    return -b, b


def check_energy(energy: float, disorder: float) -> float:
    """Refuse an energy outside the band ``[-4 - W/2, 4 + W/2]`` (units of ``t``)."""
    e = float(v.finite_array("energy", energy))
    lo, hi = band_edges(disorder)
    if not lo < e < hi:
        raise InputError(
            f"energy {e:g} t lies outside the band ({lo:g}, {hi:g}) of the lattice with "
            f"W = {disorder:g}; choose |E| < 4 + W/2"
        )
    return e


def clean_dispersion(k) -> np.ndarray:
    """``eps(k) = -2 t (cos kx + cos ky)`` of the clean square lattice (units of ``t``)."""
    k = np.asarray(k, dtype=float)
    return -2.0 * (np.cos(k[..., 0]) + np.cos(k[..., 1]))


def grid_index(k0, size: int) -> tuple[int, int]:
    """FFT indices of a grid momentum ``k0``; error when ``k0`` is off the ``2 pi/N`` grid."""
    k = check_k0(k0)
    j = k * size / (2 * np.pi)
    if np.any(np.abs(j - np.round(j)) > 1e-6):
        jr = np.round(j).astype(int)
        raise InputError(
            f"k0 must be a multiple of 2 pi/{size} on a {size} x {size} torus; nearest: "
            f"{2 * np.pi * jr[0] / size:.6g},{2 * np.pi * jr[1] / size:.6g}"
        )
    jr = np.round(j).astype(int) % size
    return int(jr[0]), int(jr[1])


def _spinor(spin, lattice, amp):
    if lattice.spin == 1:
        return amp
    s = np.array([1.0, 0.0], dtype=complex) if spin is None else np.asarray(spin, complex)
    if s.shape != (2,) or not np.isfinite(s).all() or np.linalg.norm(s) == 0:
        raise InputError("spin must be a non-zero 2-vector (the initial spinor)")
    s = s / np.linalg.norm(s)
    return amp[..., None] * s


def plane_wave(lattice, k0, spin=None) -> np.ndarray:
    """Normalized plane wave ``exp(i k0 . r) / N`` on the torus (``k0`` on the grid)."""
    grid_index(k0, lattice.size)
    n = lattice.size
    x = np.arange(n)
    amp = np.exp(1j * (k0[0] * x[:, None] + k0[1] * x[None, :])) / n
    return _spinor(spin, lattice, amp)


def gaussian_packet(lattice, k0, width: float, center=None, spin=None) -> np.ndarray:
    """Normalized Gaussian packet ``exp(-|r - r_c|^2 / (4 s^2) + i k0 . r)``.

    ``width`` is ``s``, the rms spread of ``|psi|^2`` per direction (units of ``a``); the
    distance to ``center`` (default the middle of the torus) is the minimal image.
    """
    k = check_k0(k0)
    n = lattice.size
    s = float(v.positive("width", width))
    c = np.full(2, n / 2.0) if center is None else v.finite_array("center", center)
    x = np.arange(n)
    dx = (x - c[0] + n / 2) % n - n / 2
    dy = (x - c[1] + n / 2) % n - n / 2
    amp = np.exp(-(dx[:, None] ** 2 + dy[None, :] ** 2) / (4 * s * s))
    amp = amp * np.exp(1j * (k[0] * x[:, None] + k[1] * x[None, :]))
    amp /= np.linalg.norm(amp)
    return _spinor(spin, lattice, amp)


def energy_filtered(real, psi, energy: float, width: float, *, min_weight: float = 1e-6):
    """Project ``psi`` on a shell ``|E' - E| ~ sigma`` of the disordered ``H`` and normalize.

    Applies ``exp(-(H - E)^2 / (2 sigma^2))`` by a Chebyshev series
    (:func:`weakloc.dynamics.chebyshev.gaussian_filter`) and renormalizes. Raises
    :class:`InputError` when the energy is outside the band or when less than
    ``min_weight`` of the state's weight survives (``k0`` off the energy shell).

    Returns
    -------
    state : ndarray
        The normalized filtered state.
    weight : float
        ``||filtered||^2 / ||psi||^2`` before normalization.
    """
    from weakloc.dynamics.chebyshev import gaussian_filter

    lat = real.lattice
    energy = check_energy(energy, lat.disorder)
    out = gaussian_filter(real, psi, energy, width)
    weight = float(np.vdot(out, out).real / np.vdot(psi, psi).real)
    if weight < min_weight:
        raise InputError(
            f"the energy filter at E = {energy:g} (width {width:g}) keeps only {weight:.1e} "
            "of the state: k0 is off that energy shell; choose k0 with -2(cos kx + cos ky) "
            "close to E, or widen the filter"
        )
    return out / np.sqrt(np.vdot(out, out).real), weight
