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
           "demo_dataset", "write_demo_dataset", "PPMS_COLUMNS", "write_ppms", "BULK_TRUTH",
           "bulk_dataset", "write_bulk_dataset"]

#: True values of the shipped demo data set (``weakloc/data/wal_film_series.dat``): a WAL
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


def synthetic_dsigma(model, B, params, *, noise, seed=None, constants=None):
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
    seed : int, SeedSequence, Generator or None
        Noise seed (None: fresh entropy, a different curve on every call).
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
    """Rows ``(T_K, field_T, R_xx_ohm, R_xy_ohm)`` of the demo data set (see DEMO_TRUTH).

    Both field directions are swept; ``R_xx`` of the bar contains the Hall pickup
    ``pickup * R_xy`` and noise; the thermometer reading scatters by 0.3 % around each
    set point, as a cryostat's does.
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
        temp = T * (1.0 + 0.003 * rng.standard_normal(B.size))
        rows.extend(zip(temp, B, rxx, rxy))
    return rows


#: Column names of a Quantum Design PPMS resistivity export, as :func:`write_ppms` writes.
PPMS_COLUMNS = ("Comment", "Time Stamp (sec)", "Temperature (K)", "Magnetic Field (Oe)",
                "Bridge 1 Resistance (Ohms)", "Bridge 2 Resistance (Ohms)")


def write_ppms(path, rows, *, title, info=()) -> None:
    """Write rows ``(T_K, B_T, R1_ohm, R2_ohm)`` as a Quantum Design PPMS ``.dat`` export.

    The file has the ``[Header]`` section (``TITLE``, ``BYAPP``, ``INFO`` lines) and the
    ``[Data]`` section with the columns :data:`PPMS_COLUMNS` (field in Oe, as the
    instrument writes it; an empty ``Comment`` cell on every row), written atomically
    through :func:`weakloc.io.atomic_write_bytes`.
    """
    from weakloc.io import atomic_write_bytes

    lines = ["[Header]", "; synthetic data written by weakloc.fitting.synthetic "
             "(not a measurement)", f"TITLE,{title}",
             "BYAPP,Resistivity,weakloc synthetic", *(f"INFO,{i}" for i in info), "[Data]",
             ",".join(PPMS_COLUMNS)]
    for k, (T, b, r1, r2) in enumerate(rows):
        lines.append(f",{1000.0 + 0.5 * k:.1f},{T:.5g},{b * 1e4:.6g},{r1:.9g},{r2:.9g}")
    atomic_write_bytes(path, ("\r\n".join(lines) + "\r\n").encode("ascii"))


def write_demo_dataset(path, seed=None) -> None:
    """Write :func:`demo_dataset` as a PPMS ``.dat`` export (see :func:`write_ppms`):
    Bridge 1 is ``R_xx``, Bridge 2 ``R_xy`` of the ``L/W = 3`` Hall bar."""
    t = DEMO_TRUTH
    write_ppms(path, demo_dataset(seed), title="WAL film, Hall bar L/W = 3 (synthetic)",
               info=(f"Bridge 1 = R_xx, Bridge 2 = R_xy; aspect L/W = {t['aspect']:g}",
                     "Excitation 1 uA, 13.7 Hz"))


#: True values of the shipped bulk data set (``weakloc/data/wal_bulk_crystal.dat``): a doped
#: crystal with 3D weak anti-localization
#: (:func:`weakloc.theory.magnetoconductance.kawabata_so`), a bar of length 3 mm, width
#: 1 mm and thickness 0.2 mm, at 2 K.
BULK_TRUTH = {
    "model": "kawabata-so", "l_phi_m": 300e-9, "l_so_m": 80e-9, "sigma_S_per_m": 1.0e5,
    "length_m": 3e-3, "width_m": 1e-3, "thickness_m": 2e-4, "temperature_K": 2.0,
    "bmax_T": 0.5, "points_per_sweep": 401, "noise_ohm": 2e-7, "seed": 20261206,
}


def bulk_dataset(seed=None):
    """Rows ``(T_K, field_T, R_ohm, 0)`` of the bulk data set (see :data:`BULK_TRUTH`)."""
    from weakloc.theory.magnetoconductance import kawabata_so

    t = BULK_TRUTH
    rng = as_generator(t["seed"] if seed is None else seed)
    B = np.linspace(-t["bmax_T"], t["bmax_T"], t["points_per_sweep"])
    sig = t["sigma_S_per_m"] + kawabata_so(B, t["l_phi_m"], t["l_so_m"])
    R = t["length_m"] / (t["width_m"] * t["thickness_m"]) / sig
    R = R + t["noise_ohm"] * rng.standard_normal(B.size)
    temp = t["temperature_K"] * (1.0 + 0.001 * rng.standard_normal(B.size))
    return list(zip(temp, B, R, np.zeros_like(B)))


def write_bulk_dataset(path, seed=None) -> None:
    """Write :func:`bulk_dataset` as a PPMS ``.dat`` export (Bridge 1 = R)."""
    write_ppms(path, bulk_dataset(seed), title="doped crystal, bar 3 x 1 x 0.2 mm "
               "(synthetic)", info=("Bridge 1 = R (four-probe), Bridge 2 unused",))


if __name__ == "__main__":  # python -m weakloc.fitting.synthetic FOLDER
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    write_demo_dataset(folder / "wal_film_series.dat")
    write_bulk_dataset(folder / "wal_bulk_crystal.dat")
