r"""Level statistics of a disordered lattice: the mean adjacent-gap ratio.

For the ordered eigenvalues :math:`E_1 < E_2 < \dots` of a closed sample's Hamiltonian
(units of the hopping ``t``) with spacings :math:`s_n = E_{n+1} - E_n`, the gap ratio

.. math::

    \tilde r_n = \frac{\min(s_n, s_{n-1})}{\max(s_n, s_{n-1})} \in [0, 1]

needs no unfolding of the density of states (Oganesyan and Huse, Phys. Rev. B 75, 155111
(2007)). Its mean tells localized from extended states: uncorrelated (Poisson) levels of a
localized system give :math:`\langle\tilde r\rangle = 2\ln 2 - 1 \approx 0.3863` exactly,
while the level repulsion of a diffusive sample follows random-matrix theory, with the
value set by the symmetry class: the Wigner-like surmise (3 x 3 matrices) gives
:math:`4 - 2\sqrt3 \approx 0.5359` (orthogonal), :math:`2\sqrt3/\pi - 1/2 \approx 0.6027`
(unitary) and :math:`32\sqrt3/(15\pi) - 1/2 \approx 0.6762` (symplectic), and large matrices
0.5307, 0.5996 and 0.6744 (Atas, Bogomolny, Giraud and Roux, Phys. Rev. Lett. 110, 084101
(2013)). The same three classes decide the sign of the weak-localization correction, so the
ratio is a cheap, unit-free check of the class and of localization on small samples.

:func:`sweep_task` is the ``"level-ratio"`` observable of :mod:`weakloc.ensemble`.
"""

from __future__ import annotations

import math

import numpy as np

from weakloc.errors import InputError

__all__ = ["gap_ratios", "sweep_task", "R_POISSON", "R_SURMISE", "R_LARGE_N", "LATTICE_KEYS"]

#: mean gap ratio of uncorrelated levels, 2 ln 2 - 1 (exact)
R_POISSON = 2.0 * math.log(2.0) - 1.0
#: Wigner-like surmise (Atas et al. 2013), by Dyson index beta = 1, 2, 4
R_SURMISE = {1: 4.0 - 2.0 * math.sqrt(3.0), 2: 2.0 * math.sqrt(3.0) / math.pi - 0.5,
             4: 32.0 * math.sqrt(3.0) / (15.0 * math.pi) - 0.5}
#: large-matrix numerical values quoted by Atas et al. 2013, by beta
R_LARGE_N = {1: 0.5307, 2: 0.5996, 4: 0.6744}
#: parameters of :class:`weakloc.lattice.Lattice` the observable accepts
LATTICE_KEYS = ("dim", "width", "length", "height", "disorder", "disorder_kind", "flux",
                "spin_orbit", "soc", "boundary", "hopping")
MAX_STATES = 4000


def gap_ratios(levels, *, window: float = 0.5, kramers: bool = False) -> np.ndarray:
    """Gap ratios of the central ``window`` fraction of a spectrum.

    Parameters
    ----------
    levels : array_like
        Eigenvalues (any unit; the ratio is dimensionless).
    window : float
        Fraction of the levels, centred on the middle of the spectrum, that is used
        (0 < window <= 1); the band edges have a strongly varying density.
    kramers : bool
        Levels come in Kramers pairs (spin-orbit without field): keep one of each.

    Returns
    -------
    numpy.ndarray
        :math:`\\tilde r_n`, dimensionless, in [0, 1].
    """
    e = np.sort(np.asarray(levels, dtype=float))
    if kramers:
        e = e[::2]
    if not 0 < window <= 1:
        raise InputError(f"window must lie in (0, 1], got {window:g}")
    n = e.size
    cut = int(round(n * (1 - window) / 2))
    e = e[cut:n - cut]
    if e.size < 3:
        raise InputError("fewer than 3 levels in the window; enlarge the sample or the window")
    s = np.diff(e)
    lo, hi = np.minimum(s[1:], s[:-1]), np.maximum(s[1:], s[:-1])
    with np.errstate(invalid="ignore"):
        return np.where(hi > 0, lo / np.where(hi > 0, hi, 1.0), 0.0)


def sweep_task(params: dict, rng: np.random.Generator) -> dict:
    """One realization's mean gap ratio (the ``"level-ratio"`` sweep observable).

    Parameters
    ----------
    params : dict
        Any of :data:`LATTICE_KEYS` (see :class:`weakloc.lattice.Lattice`; lattice units,
        ``t = 1``, ``a = 1``, flux per plaquette in ``h/e``) and ``window`` (fraction of
        the spectrum around its centre, default 0.5). The sample is closed (no leads):
        exact diagonalization of :meth:`weakloc.lattice.Realization.hamiltonian`.
    rng : numpy.random.Generator
        The task's stream: draws the disorder.

    Returns
    -------
    dict
        ``r_mean`` (mean gap ratio over the window, dimensionless) and ``n_ratios``.
    """
    from weakloc.lattice import Lattice

    unknown = [k for k in params if k not in LATTICE_KEYS + ("window",)]
    if unknown:
        raise InputError(f"level-ratio: unknown parameter {unknown[0]!r}; allowed: "
                         f"{', '.join(LATTICE_KEYS + ('window',))}")
    lattice = Lattice(**{k: v for k, v in params.items() if k in LATTICE_KEYS})
    states = lattice.length * lattice.n
    if states > MAX_STATES:
        raise InputError(f"level-ratio diagonalizes densely: {states} states exceed "
                         f"{MAX_STATES}; use a smaller sample")
    h = lattice.realize(rng).hamiltonian().toarray()
    kramers = lattice.spin == 2 and lattice.flux == 0
    r = gap_ratios(np.linalg.eigvalsh(h), window=float(params.get("window", 0.5)),
                   kramers=kramers)
    return {"r_mean": float(r.mean()), "n_ratios": float(r.size)}
