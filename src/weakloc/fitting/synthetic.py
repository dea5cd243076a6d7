r"""Synthetic magnetotransport data made by the package's own formulas, with noise.

Used by the tests (parameter recovery, coverage, bias) and to make the data set shipped in
``weakloc/data`` for the demo. Every function takes ``seed`` and draws its noise from
:func:`weakloc.seeding.as_generator`, so a file can be regenerated bit for bit.
"""

from __future__ import annotations

import numpy as np

from weakloc.fitting.models import model_spec
from weakloc.seeding import as_generator

__all__ = ["synthetic_dsigma", "resistances_from_conductivity", "DEMO_TRUTH", "demo_l_phi",
           "demo_dataset", "write_demo_dataset"]

#: True values of the shipped demo data set (``weakloc/data/wal_film_series.csv``): a WAL
#: film (HLN, ``alpha = -1/2``) with electron-electron dephasing ``L_phi = A T^(-p/2)``,
#: ``p = 1``, saturating at low temperature as ``L_phi^-2 = A^-2 T^p + L_sat^-2``, measured
#: on a Hall bar of aspect ``L/W = 3`` with a 5 % Hall pickup in ``R_xx``.
DEMO_TRUTH = {
    "model": "hln", "alpha": -0.5, "prefactor_m": 600e-9, "p": 1.0, "l_sat_m": 1.0e-6,
    "temperatures_K": [0.3, 0.5, 0.8, 1.2, 2.0, 3.0, 4.5, 7.0], "aspect": 3.0,
    "r_sheet_ohm": 2000.0, "hall_coefficient_ohm_per_T": 150.0, "pickup": 0.05,
    "noise_ohm": 2.0, "bmax_T": 0.15, "points_per_sweep": 601, "seed": 20261201,
}


def demo_l_phi(T):
    """True ``L_phi`` (m) of the demo data set at temperature ``T`` (K)."""
    t = DEMO_TRUTH
    T = np.asarray(T, dtype=float)
    return (t["prefactor_m"] ** -2 * T ** t["p"] + t["l_sat_m"] ** -2) ** -0.5


def synthetic_dsigma(model, B, params, *, noise, seed, constants=None):
    """Model curve plus Gaussian noise.

    Parameters
    ----------
    model : str
        Model name (see :mod:`weakloc.fitting.models`).
    B : array_like
        Field in T.
    params : dict
        Model parameters (lengths in m).
    noise : float
        Standard deviation of the added noise, in the model's unit.
    seed : int, SeedSequence or Generator
        Noise seed.
    constants : dict, optional
        Model constants (``width`` of a wire, in m).

    Returns
    -------
    ndarray
        ``dsigma`` with noise, in the model's unit.
    """
    spec = model_spec(model)
    y = spec.func(np.asarray(B, dtype=float), **params, **(constants or {}))
    return y + noise * as_generator(seed).standard_normal(np.shape(y))


def resistances_from_conductivity(sigma_xx, rho_xy):
    r"""Resistivity ``rho_xx`` that inverts to ``sigma_xx`` given ``rho_xy``.

    Solves :math:`\sigma_{xx} = \rho_{xx}/(\rho_{xx}^2 + \rho_{xy}^2)` for the root
    :math:`\rho_{xx} = [1 + \sqrt{1 - 4\sigma_{xx}^2\rho_{xy}^2}]/(2\sigma_{xx})` that tends
    to ``1/sigma_xx`` at small Hall angle (sheet quantities: S and Ohm).
    """
    sigma_xx = np.asarray(sigma_xx, dtype=float)
    rho_xy = np.asarray(rho_xy, dtype=float)
    return (1.0 + np.sqrt(1.0 - 4.0 * sigma_xx**2 * rho_xy**2)) / (2.0 * sigma_xx)


def demo_dataset(seed=None):
    """Rows ``(T_K, field_mT, R_xx_ohm, R_xy_ohm)`` of the demo data set (see DEMO_TRUTH).

    Both field directions are swept; ``R_xx`` of the bar contains the Hall pickup
    ``pickup * R_xy`` and noise.
    """
    from weakloc.theory.magnetoconductance import hln

    t = DEMO_TRUTH
    rng = as_generator(t["seed"] if seed is None else seed)
    B = np.linspace(-t["bmax_T"], t["bmax_T"], t["points_per_sweep"])
    rows = []
    for T in t["temperatures_K"]:
        lphi = float(demo_l_phi(T))
        sig = 1.0 / t["r_sheet_ohm"] + hln(B, t["alpha"], lphi)
        rxy = t["hall_coefficient_ohm_per_T"] * B
        rxx = resistances_from_conductivity(sig, rxy) * t["aspect"] + t["pickup"] * rxy
        rxx = rxx + t["noise_ohm"] * rng.standard_normal(B.size)
        rxy = rxy + t["noise_ohm"] * rng.standard_normal(B.size)
        rows.extend(zip([T] * B.size, B * 1e3, rxx, rxy))
    return rows


def write_demo_dataset(path, seed=None) -> None:
    """Write :func:`demo_dataset` as CSV with the header ``T_K,field_mT,R_xx_ohm,R_xy_ohm``."""
    lines = ["T_K,field_mT,R_xx_ohm,R_xy_ohm"]
    lines += [f"{T:g},{b:.6g},{rxx:.9g},{rxy:.9g}" for T, b, rxx, rxy in demo_dataset(seed)]
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":  # python -m weakloc.fitting.synthetic PATH
    import sys

    write_demo_dataset(sys.argv[1] if len(sys.argv) > 1 else "wal_film_series.csv")
