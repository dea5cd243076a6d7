r"""Born-approximation scales of the 2D Anderson model (square lattice, box disorder).

Lattice units ``t = a = hbar = 1``. The clean dispersion is
``eps(k) = -2 (cos kx + cos ky)`` with density of states per site (one spin)

.. math::

   \nu(E) = \frac{1}{2\pi^2}\, K\!\left(1 - E^2/16\right) \quad (|E| < 4),

``K(m)`` the complete elliptic integral of the first kind with parameter ``m`` (Economou,
*Green's Functions in Quantum Physics*, 3rd ed., Sec. 5.3). The Born (Fermi golden rule)
elastic rate of box disorder, variance ``W^2/12``, is

.. math::

   1/\tau = 2\pi\, \nu(E)\, W^2/12 ,

and the Boltzmann diffusion constant ``D = <v^2>_E tau / 2`` with ``<v^2>_E`` the average
of ``|grad eps|^2`` over the energy shell (isotropic s-wave scattering: no vertex
correction).
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = [
    "density_of_states", "scattering_time", "shell_velocity_squared",
    "born_diffusion_constant", "mean_free_path",
]



def _check_band(energy) -> np.ndarray:
    e = v.finite_array("energy", energy)
    if np.any(np.abs(e) >= 4.0):
        raise InputError("the Born scales need an energy inside the clean band |E| < 4 t")
    return e


def density_of_states(energy):
    """Clean square-lattice DOS ``nu(E)`` per site and spin (units of ``1/t``)."""
    from scipy.special import ellipk

    e = _check_band(energy)
    return ellipk(1.0 - e * e / 16.0) / (2.0 * np.pi**2)


def scattering_time(energy, disorder):
    """Born elastic time ``tau = 1/(2 pi nu(E) W^2/12)`` (units of ``hbar/t``)."""
    w = v.positive("disorder", disorder)
    return 1.0 / (2.0 * np.pi * density_of_states(energy) * w * w / 12.0)


def _shell_integrals(energy) -> tuple[float, float]:
    """``(nu(E), <v^2>_E)`` by quadrature over the clean energy shell.

    ``nu = (1/2 pi^2) int_0^kmax dkx / sqrt(1 - cos^2 ky)`` over the root ``ky(kx)`` of
    ``eps = -|E|`` (the shell of ``+|E|`` is its image under ``k -> k + (pi, pi)``), by
    Gauss-Chebyshev quadrature, which absorbs the inverse square root at ``kmax``.
    """
    e = float(_check_band(energy))
    c = abs(e) / 2.0                      # cos kx + cos ky = c >= 0
    hi = np.arccos(c - 1.0)
    m = 20000
    u = np.cos(np.pi * (np.arange(m) + 0.5) / m)
    kx = 0.5 * hi * (1.0 + u)
    cy = np.clip(c - np.cos(kx), -1.0, 1.0)
    sy2 = np.maximum(1.0 - cy * cy, 1e-300)
    w_geo = np.sqrt(1.0 - u * u) / np.sqrt(sy2)
    integral = 0.5 * hi * np.pi / m * np.sum(w_geo)
    v2 = 4.0 * (np.sin(kx) ** 2 + sy2)
    return float(integral / (2 * np.pi**2)), float(np.sum(w_geo * v2) / np.sum(w_geo))


def shell_velocity_squared(energy) -> float:
    """``<|grad eps|^2>`` on the clean energy shell ``eps(k) = E`` (units of ``(t a/hbar)^2``).

    The shell average ``int d^2k delta(E - eps) |v|^2 / int d^2k delta(E - eps)``, by
    quadrature along the shell (see ``_shell_integrals``).
    """
    return _shell_integrals(energy)[1]


def born_diffusion_constant(energy, disorder) -> float:
    """Boltzmann ``D = <v^2>_E tau / 2`` in 2D (units of ``t a^2/hbar``).

    The lattice (Born) value; :func:`weakloc.theory.diffusion_constant` is the general
    ``D = v_F^2 tau / dim`` in SI units. Formerly ``born.diffusion_constant`` (a deprecated
    alias for one release).
    """
    return 0.5 * shell_velocity_squared(energy) * float(scattering_time(energy, disorder))


def mean_free_path(energy, disorder) -> float:
    """``l = sqrt(<v^2>_E) tau`` (units of ``a``)."""
    return float(np.sqrt(shell_velocity_squared(energy)) * scattering_time(energy, disorder))


def __getattr__(name: str):
    if name == "diffusion_constant":   # its name next to theory.diffusion_constant (SI)
        from weakloc._deprecate import warn_renamed

        warn_renamed("weakloc.theory.born.diffusion_constant", "born_diffusion_constant")
        return born_diffusion_constant
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
