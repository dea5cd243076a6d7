"""Hopping primitives: Peierls phases, random SU(2) hoppings and the Ando spin-orbit model.

Conventions (lattice units, hopping ``t = 1``, lattice constant ``a = 1``): the Hamiltonian
is ``H = sum_i eps_i c_i^+ c_i - t sum_<ij> c_i^+ U_ij c_j`` and the matrices returned here
are the ``U_ij`` (2 x 2 for spin-1/2). The block ``H[r + e_mu, r]`` of a bond along
direction ``mu`` is ``-t * U``.
"""

from __future__ import annotations

import numpy as np

from weakloc._validate import in_range

__all__ = ["PAULI", "landau_phase", "cylinder_phase", "torus_landau_phase", "peierls_phase",
           "su2_matrices", "ando_matrices"]

#: Identity and the Pauli matrices sigma_x, sigma_y, sigma_z.
PAULI = np.array(
    [[[1, 0], [0, 1]], [[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]],
    dtype=complex,
)


def landau_phase(flux: float, y_mid, dx, cell_area: float = 1.0) -> np.ndarray:
    r"""Peierls factor of a bond in the Landau gauge ``A = (-B y, 0, 0)``, for any lattice.

    .. math::

        U_{r \to r'} = \exp\!\Big(2\pi i \,\frac{\phi}{A_c}\, \bar y\, \Delta x\Big),
        \qquad \bar y = \frac{y + y'}{2}, \quad \Delta x = x' - x,

    the line integral ``-(e/hbar) int A.dl`` of the straight bond (Peierls, Z. Phys. 80, 763
    (1933)). The one place the field enters a hopping: every lattice gets its phases here
    from its site positions.

    Parameters
    ----------
    flux : float
        ``phi``, flux through one cell of area ``cell_area`` in units of ``h/e``.
    y_mid, dx : array_like of float
        Mean transverse coordinate and x-extent of each bond, in lattice units.
    cell_area : float
        Area of the cell ``phi`` refers to (1 for the square plaquette, ``3 sqrt(3)/2`` for
        the hexagon of a honeycomb lattice with ``a_cc = 1``).

    Returns
    -------
    ndarray of complex
        The factors; an electron (charge -e) hopping counterclockwise around a cell picks
        up ``exp(-2 pi i phi)``: B along +z for ``phi > 0``.
    """
    arg = np.asarray(y_mid, dtype=float)
    dx = np.asarray(dx, dtype=float)
    if cell_area != 1.0 or np.any(dx != 1.0):
        arg = arg * dx / float(cell_area)
    return np.exp(2j * np.pi * float(flux) * arg)


def torus_landau_phase(flux: float, to_pos, from_pos, displacement, periods,
                       cell_area: float = 1.0, y0: float = 0.0) -> np.ndarray:
    r"""Peierls factors of the bonds of a torus in a field: Landau gauge plus the seam twist.

    A uniform field on a torus of periods ``(L_x, L_y)`` is the plane's Landau gauge
    ``A = -B (y - y_0) e_x`` restricted to the states with
    ``psi(r + L_x e_x) = psi(r)`` and ``psi(r + L_y e_y) = exp(2 pi i f L_y x) psi(r)``
    (``f = phi/A_c`` flux quanta per unit area), the magnetic translations that commute
    with ``H``; they are compatible exactly when the total flux ``f L_x L_y`` is an integer
    (Zak, Phys. Rev. 134, A1602 (1964)). The bond from site ``j`` to site ``i`` with
    minimum-image displacement ``d`` (so ``r_i - d = r_j + n_x L_x e_x + n_y L_y e_y``) then
    carries

    .. math::

        U_{j \to i} = \exp\!\Big(2\pi i f \big(y_i - y_0 - \tfrac{d_y}{2}\big) d_x\Big)
                      \, \exp\!\big(2\pi i f L_y\, n_y\, x_j\big),

    the straight-bond Peierls factor of :func:`landau_phase` at the bond's unwrapped
    midpoint times the twist of the bonds that cross the seam ``y = const``. Every
    plaquette, those on the seam included, encloses its flux. Where the seam lies (the
    representatives ``r_i`` of the sites) does not matter: the Hamiltonians are unitarily
    equivalent. Shifting ``y_0`` by a multiple of ``A_c/(phi L_x)`` is a gauge
    transformation; other shifts thread an Aharonov-Bohm flux through the x cycle.
    One place for any lattice: the factors depend on positions only.

    Parameters
    ----------
    flux : float
        ``phi``, flux through one cell of area ``cell_area`` in units of ``h/e``.
    to_pos, from_pos : array_like, shape (nb, 2)
        Positions ``r_i`` (arrival) and ``r_j`` (departure) of each bond's sites, lattice
        units.
    displacement : array_like, shape (nb, 2)
        Bond vectors ``d`` (minimum image), lattice units.
    periods : (float or None, float or None)
        ``(L_x, L_y)``; ``L_y = None`` (hard walls across) needs no twist.
    cell_area : float
        Area the flux refers to (1: square plaquette; ``3 sqrt(3)/2``: graphene hexagon).
    y0 : float
        Zero line of the vector potential (lattice units).

    Returns
    -------
    ndarray of complex, shape (nb,)
        ``U_{j -> i}``, to multiply the hopping ``H[i, j] = -t U``.
    """
    to_pos = np.asarray(to_pos, dtype=float)
    from_pos = np.asarray(from_pos, dtype=float)
    d = np.asarray(displacement, dtype=float)
    out = landau_phase(flux, to_pos[:, 1] - float(y0) - 0.5 * d[:, 1], d[:, 0], cell_area)
    ly = periods[1]
    if ly is not None:
        n_y = np.round((to_pos[:, 1] - d[:, 1] - from_pos[:, 1]) / float(ly))
        out = out * np.exp(2j * np.pi * float(flux) / float(cell_area) * float(ly) * n_y
                           * from_pos[:, 0])
    return out


def cylinder_phase(flux: float, y_from, y_to, dy, period: float) -> np.ndarray:
    r"""Peierls factor of a bond of a cylinder threaded by an Aharonov-Bohm flux ``Phi``.

    A flux ``Phi`` along the axis (x) of a strip closed in y with period ``L_y`` (periodic
    transverse boundaries) is, in the uniform gauge ``A_y = Phi / L_y``, the factor
    ``exp(-2 pi i (Phi/Phi_0) dy / L_y)`` on every bond with a y-displacement ``dy``. It is
    applied here in the gauge-equivalent twist form (``c_j -> exp(-2 pi i (Phi/Phi_0) y_j /
    L_y) c_j``), so only the bonds that cross the seam carry a phase:

    .. math::

        U_{r \to r'} = \exp\!\big(-2\pi i\, (\Phi/\Phi_0)\, w\big), \qquad
        w = (y + \Delta y - y') / L_y \in \{-1, 0, 1\},

    ``w`` the number of times the bond winds around the cylinder in +y. An electron going once
    around the cylinder in +y picks up ``exp(-2 pi i Phi/Phi_0)``, as one going counterclockwise
    around a plaquette in :func:`landau_phase` picks up ``exp(-2 pi i phi)``. Gauge
    equivalence keeps the spectrum: the transverse momenta of a clean square cylinder of
    width ``M`` are ``k_m = 2 pi (m + Phi/Phi_0) / M`` (Byers and Yang, Phys. Rev. Lett. 7,
    46 (1961)); bonds that do not wrap, on any lattice (the honeycomb included), stay real.

    Parameters
    ----------
    flux : float
        ``Phi / Phi_0``, the flux through the cylinder in units of ``h/e``.
    y_from, y_to, dy : array_like of float
        Transverse coordinates of the bond's ends in ``[0, L_y)`` and its (minimum-image)
        y-displacement, lattice units.
    period : float
        ``L_y``, the circumference in lattice units.

    Returns
    -------
    ndarray of complex
        The factors (1 where the bond does not wrap).
    """
    wind = np.round((np.asarray(y_from, float) + np.asarray(dy, float)
                     - np.asarray(y_to, float)) / float(period))
    return np.exp(-2j * np.pi * float(flux) * wind)


def peierls_phase(flux: float, y) -> np.ndarray:
    """Peierls factor ``exp(2 pi i phi y)`` of a unit x-bond at transverse coordinate ``y``.

    :func:`landau_phase` for a square plaquette: ``flux`` per plaquette in units of ``h/e``,
    ``y`` (lattice constants) the row of the bond. Only bonds along the transport direction
    x carry a phase.
    """
    return landau_phase(flux, y, 1.0)


def su2_matrices(rng: np.random.Generator, shape) -> np.ndarray:
    """Random SU(2) hoppings of the Asada-Slevin-Ohtsuki model.

    ``U = [[exp(i a) cos b, exp(i g) sin b], [-exp(-i g) sin b, exp(-i a) cos b]]`` with
    ``a, g`` uniform in ``[0, 2 pi)`` and ``b`` distributed as ``sin(2b)`` on
    ``[0, pi/2]`` (the Haar measure of SU(2)). Asada, Slevin and Ohtsuki, Phys. Rev. Lett.
    89, 256601 (2002).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness; the draws are three arrays of ``shape`` (a, b, g) in order.
    shape : tuple of int
        Number of bonds.

    Returns
    -------
    ndarray, shape ``(*shape, 2, 2)``, complex
    """
    shape = tuple(np.atleast_1d(shape)) if not isinstance(shape, tuple) else shape
    a = rng.uniform(0.0, 2 * np.pi, size=shape)
    # inverse CDF of p(b) = sin(2b): F(b) = (1 - cos 2b)/2
    b = 0.5 * np.arccos(1.0 - 2.0 * rng.uniform(0.0, 1.0, size=shape))
    g = rng.uniform(0.0, 2 * np.pi, size=shape)
    cb, sb = np.cos(b), np.sin(b)
    ca, sa = np.cos(a), np.sin(a)
    cg, sg = np.cos(g), np.sin(g)
    u = np.empty(shape + (2, 2), dtype=complex)
    u[..., 0, 0].real, u[..., 0, 0].imag = ca * cb, sa * cb
    u[..., 0, 1].real, u[..., 0, 1].imag = cg * sb, sg * sb
    u[..., 1, 0].real, u[..., 1, 0].imag = -cg * sb, sg * sb
    u[..., 1, 1].real, u[..., 1, 1].imag = ca * cb, -sa * cb
    return u


def ando_matrices(soc: float, dim: int = 2) -> np.ndarray:
    """Spin-orbit hoppings of the Ando model, one 2 x 2 matrix per direction.

    ``U_x = exp(i theta sigma_y)``, ``U_y = exp(-i theta sigma_x)`` and, for the cubic
    lattice, ``U_z = exp(i theta sigma_z)``, with ``S = sin(theta)`` the spin-orbit
    strength (Ando, Phys. Rev. B 40, 5325 (1989); ``S = 0.5`` is the usual choice).

    Parameters
    ----------
    soc : float
        ``S = sin(theta)`` in ``[0, 1]`` (dimensionless).
    dim : {2, 3}
        Number of directions.

    Returns
    -------
    ndarray, shape ``(dim, 2, 2)``, complex
    """
    s = float(in_range("soc (S = sin theta of the Ando model)", soc, 0.0, 1.0, closed=True))
    c = np.sqrt(1.0 - s * s)
    eye = PAULI[0]
    mats = [c * eye + 1j * s * PAULI[2], c * eye - 1j * s * PAULI[1], c * eye + 1j * s * PAULI[3]]
    return np.array(mats[:dim])
