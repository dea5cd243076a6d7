r"""Magnetoconductance sigma(B; tau_phi) on the torus and its HLN fit.

On an ``N x N`` torus the flux per plaquette is quantized, ``phi = m/N^2`` (units of
``h/e``; :class:`weakloc.dynamics.TorusLattice`), i.e. ``B = m h/(e N^2 a^2)``; on any
torus of the model layer (:class:`~weakloc.kubo.system.ModelTorus`) ``phi = m/cells`` per
cell of area ``A_c`` and ``B = phi h/(e A_c a^2)`` (:func:`flux_cells`). For each
``m`` the dephased conductivity ``sigma(tau_phi)`` (:mod:`weakloc.kubo.dephasing`) is
computed on the **same** disorder and the **same** random vectors (realization ``r`` draws
from ``stream(seed, r)`` at every field), so the differences
``Delta sigma(B) = sigma(B) - sigma(0)`` are free of most of their noise. The one-parameter
HLN formula of :func:`weakloc.theory.magnetoconductance.hln`,

.. math::

    \Delta\sigma(B) = \alpha\, \frac{e^2}{\pi h}\,
        \left[\psi\!\left(\tfrac12 + \tfrac{B_\phi}{B}\right) - \ln\tfrac{B_\phi}{B}\right],
    \qquad B_\phi = \frac{\hbar}{4 e L_\phi^2},

(Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980); ``alpha = 1/2`` for a
spinless orthogonal model, 1 with spin degeneracy) is fitted with
:func:`weakloc.fitting.fit_curve` after converting to SI with a lattice constant ``a``
(any value: the fitted ``L_phi/a`` does not depend on it). The prediction is
``L_phi = sqrt(D_0 tau_phi)`` with ``D_0 = <v_x^2> tau`` the Drude diffusion constant of
the crossover fit (:mod:`weakloc.kubo.crossover`) at zero field: the classical ``D`` of the
Cooperon, without the interference correction. Next to it the result gives
``sqrt(D(tau_phi) tau_phi)`` with the dephased zero-field ``D(tau_phi) = sigma(0;
tau_phi)/(e^2 rho)``, the diffusion constant with the interference correction of scales up
to ``L_phi`` included; the difference between the two is the size of the one-loop
correction, so a measurement must be precise to better than it to tell them apart.

The per-realization curves ``sigma(t; B)`` are kept (``curves`` on ``grid``), so one run
gives ``Delta sigma(B; tau_phi')`` at any other ``tau_phi'`` by reweighting
(:meth:`MagnetoResult.at_tau_phi`, :func:`magnetoconductance_from_curves`, also for curves
pooled from several runs): the evolution does not depend on ``tau_phi``, only the weight
``exp(-t/tau_phi)`` does. Past the last time ``T`` the curves are frozen; that misses at
most the one-loop change ``(1/2 pi) ln(t/T)`` per spin channel weighted beyond ``T``,
``(1/2 pi) E_1(T/tau_phi) e^2/h`` (``1.8e-4`` at ``T = 5 tau_phi``), which the result
flags when ``T < 5 tau_phi``. Lattice units ``t = a = hbar = 1``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.seeding import root_entropy, stream

__all__ = ["MagnetoResult", "kubo_magnetoconductance", "magnetoconductance_from_curves",
           "flux_cells", "TAIL_TIMES"]

#: the curves should reach this many tau_phi (frozen-tail error below 2e-4 e^2/h)
TAIL_TIMES = 5.0


def flux_cells(lattice) -> tuple[int, float]:
    """Flux cells on the torus and the area of one (``a^2``): ``(N^2, 1)`` for the square
    :class:`weakloc.dynamics.TorusLattice`, ``(cells, cell_area)`` of a
    :class:`~weakloc.kubo.system.ModelTorus` (hexagons of ``3 sqrt(3)/2`` on graphene).
    The flux per cell of ``m`` quanta through the torus is ``m / cells``."""
    cells = getattr(lattice, "cells", None)
    if cells is not None:
        return int(cells), float(lattice.cell_area)
    return int(lattice.size) ** 2, 1.0


@dataclass(frozen=True)
class MagnetoResult:
    """``Delta sigma(B; tau_phi)`` on the torus and its HLN fits.

    Attributes
    ----------
    quanta : ndarray
        Flux quanta ``m`` through the torus.
    flux : ndarray
        Flux per cell ``m/cells`` (``h/e``; plaquette, or hexagon on graphene).
    field : ndarray
        ``B`` in T for the lattice constant ``lattice_constant`` (m).
    dsigma, dsigma_stderr : ndarray
        ``sigma(B) - sigma(0)`` at ``tau_phi`` (``e^2/h``, spin-summed), error over
        realizations.
    sigma0 : float
        ``sigma(0; tau_phi)`` (``e^2/h``).
    tau_phi : float
        ``hbar/t``.
    drude_diffusion : float
        ``D_0`` (``t a^2/hbar``) of the crossover fit at zero field.
    l_phi_expected : float
        ``sqrt(D_0 tau_phi)`` (``a``).
    dephased_diffusion : float
        ``D(tau_phi) = sigma(0; tau_phi)/(e^2 rho)`` (``t a^2/hbar``), interference included.
    l_phi_dephased : float
        ``sqrt(D(tau_phi) tau_phi)`` (``a``).
    l_phi_fit, l_phi_fit_stderr, alpha_fit, alpha_fit_stderr : float
        HLN fit with ``alpha`` free (``a``; dimensionless).
    fit : dict
        Its :class:`~weakloc.fitting.results.FitResult` document.
    alpha_fixed : float or None
        ``alpha`` of the second fit (1/2 spinless orthogonal), None when skipped.
    l_phi_fixed_alpha, l_phi_fixed_alpha_stderr : float
        ``L_phi`` of that fit (``a``; NaN when skipped).
    fit_fixed_alpha : dict or None
        Its document.
    grid : ndarray (T,)
        Time grid (``hbar/t``) of the curves.
    curves : ndarray (S, F + 1, T)
        ``sigma(t; B)`` per realization (mean over its random vectors), zero field first
        (``e^2/h``): what :meth:`at_tau_phi` reweights.
    realization_drude, realization_dos : ndarray (S,)
        ``D_0`` (``t a^2/hbar``) and ``rho(E)`` (``1/(t a^2)``) of each realization at zero
        field.
    reliable : bool
        False with ``reasons`` (fit warnings, ``L_phi`` not small against the torus,
        curves shorter than 5 ``tau_phi``).
    inputs : dict
    """

    quanta: np.ndarray
    flux: np.ndarray
    field: np.ndarray
    dsigma: np.ndarray
    dsigma_stderr: np.ndarray
    sigma0: float
    tau_phi: float
    drude_diffusion: float
    l_phi_expected: float
    dephased_diffusion: float
    l_phi_dephased: float
    l_phi_fit: float
    l_phi_fit_stderr: float
    alpha_fit: float
    alpha_fit_stderr: float
    fit: dict
    alpha_fixed: float | None
    l_phi_fixed_alpha: float
    l_phi_fixed_alpha_stderr: float
    fit_fixed_alpha: dict | None
    grid: np.ndarray
    curves: np.ndarray
    realization_drude: np.ndarray
    realization_dos: np.ndarray
    reliable: bool
    reasons: list
    inputs: dict

    def at_tau_phi(self, tau_phi: float) -> MagnetoResult:
        """The same realizations reweighted to another ``tau_phi`` (``hbar/t``) and
        refitted (:func:`magnetoconductance_from_curves`)."""
        inp = self.inputs
        return magnetoconductance_from_curves(
            self.grid, self.curves, np.r_[0, self.quanta], tau_phi,
            drude_diffusion=self.realization_drude, dos=self.realization_dos,
            cells=inp["cells"], cell_area=inp["cell_area"], alpha=self.alpha_fixed,
            lattice_constant=inp["lattice_constant"], inputs=inp)

    def as_dict(self) -> dict:
        return {"quanta": self.quanta, "flux": self.flux, "field": self.field,
                "dsigma": {"value": self.dsigma, "stderr": self.dsigma_stderr,
                           "unit": "e^2/h"},
                "sigma0": self.sigma0, "tau_phi": self.tau_phi,
                "drude_diffusion": self.drude_diffusion,
                "l_phi_expected": self.l_phi_expected,
                "dephased_diffusion": self.dephased_diffusion,
                "l_phi_dephased": self.l_phi_dephased, "l_phi_fit": self.l_phi_fit,
                "l_phi_fit_stderr": self.l_phi_fit_stderr, "alpha_fit": self.alpha_fit,
                "alpha_fit_stderr": self.alpha_fit_stderr, "fit": self.fit,
                "alpha_fixed": self.alpha_fixed, "l_phi_fixed_alpha": self.l_phi_fixed_alpha,
                "l_phi_fixed_alpha_stderr": self.l_phi_fixed_alpha_stderr,
                "fit_fixed_alpha": self.fit_fixed_alpha,
                "curves": {"time": self.grid, "value": self.curves, "unit": "e^2/h",
                           "axes": ["realization", "field (zero first)", "time"]},
                "realization": {"drude_diffusion": self.realization_drude,
                                "dos": self.realization_dos},
                "reliable": self.reliable, "reasons": list(self.reasons),
                "inputs": self.inputs,
                "units": {"field": "T", "flux": "h/e per cell (plaquette, hexagon)",
                          "length": "a", "time": "hbar/t", "diffusion": "t a^2/hbar"}}


def kubo_magnetoconductance(lattice, energy: float, tau_phi: float, quanta, *,
                            vectors: int = 4, samples: int = 2, seed=None,
                            filter_width: float = 0.1, tol: float = 1e-10,
                            lattice_constant: float = 1e-8, t_max: float | None = None,
                            alpha: float | None = 0.5, progress=None) -> MagnetoResult:
    """``sigma(B; tau_phi)`` for flux quanta ``quanta`` through a torus, with HLN fits.

    Parameters
    ----------
    lattice : weakloc.dynamics.TorusLattice or ModelTorus
        The torus at zero field (its ``flux`` is replaced): the square torus, or any
        lattice closed by :class:`~weakloc.kubo.system.ModelTorus` (graphene).
    energy : float
        ``E`` (t).
    tau_phi : float
        ``tau_phi`` (``hbar/t``).
    quanta : sequence of int
        Flux quanta through the torus; 0 is added when missing.
    vectors, samples, seed, filter_width, tol
        As in :func:`weakloc.kubo.kubo_conductivity` (``samples >= 2``).
    lattice_constant : float
        ``a`` in m for the SI conversion of the fit (result independent of it).
    t_max : float, optional
        Last time of the curves (``hbar/t``; default ``8 tau_phi``). Reweighting to a
        larger ``tau_phi'`` (:meth:`MagnetoResult.at_tau_phi`) wants ``t_max >= 5 tau_phi'``.
    alpha : float or None
        ``alpha`` held fixed in a second HLN fit: 1/2 for a spinless orthogonal model (the
        default), 1 with spin degeneracy, -1/2 spin-summed symplectic; None skips it.
    progress : bool, optional
        One step per realization and field (:mod:`weakloc.progress`).

    Returns
    -------
    MagnetoResult
    """
    from weakloc.kubo.conductivity import kubo_conductivity, time_grid
    from weakloc.kubo.dephasing import TAIL_FACTOR
    from weakloc.progress import progress_bar

    samples = v.positive_int("samples", samples, minimum=2)
    tau_phi = float(v.positive("tau_phi", tau_phi, "hbar/t"))
    end = TAIL_FACTOR * tau_phi if t_max is None else float(v.positive("t_max", t_max,
                                                                         "hbar/t"))
    q = np.union1d([0], np.asarray(quanta, dtype=int))
    if q.size < 5 or np.any(q < 0):
        raise InputError("give at least 4 positive flux quanta (the HLN fit has 2 parameters), "
                         "e.g. quanta = [1, 2, 4, 8]")
    cells, area = flux_cells(lattice)
    # the grid of a tau_phi run (steps <= tau_phi/2), cut at t_max
    times = time_grid([end], tau_phi=tau_phi)
    times = times[times <= end]
    root = root_entropy(seed)
    curves, d0, rho, grid = [], np.empty(samples), np.empty(samples), None
    bar = progress_bar(progress, total=samples * q.size, desc="kubo fields", unit="run")
    try:
        for r in range(samples):
            row = []
            for m in q:
                res = kubo_conductivity(lattice.with_(flux=m / cells), energy, times,
                                        vectors=vectors, streams=[stream(root, r)],
                                        filter_width=filter_width, tol=tol,
                                        dos_moments=None, progress=False)
                row.append(res.grid_conductivity.mean(axis=0))
                grid = res.grid
                if m == 0:
                    d0[r] = res.crossover["drude_diffusion"] or np.nan
                    rho[r] = res.dos
                bar.update(1)
            curves.append(row)
    finally:
        bar.close()
    inputs = {"model": lattice.as_dict(), "energy": float(energy), "vectors": vectors,
              "samples": samples, "seed": root, "filter_width": filter_width, "tol": tol,
              "t_max": float(grid[-1])}
    return magnetoconductance_from_curves(grid, np.asarray(curves), q, tau_phi,
                                          drude_diffusion=d0, dos=rho, cells=cells,
                                          cell_area=area, alpha=alpha,
                                          lattice_constant=lattice_constant, inputs=inputs)


def magnetoconductance_from_curves(grid, curves, quanta, tau_phi: float, *, drude_diffusion,
                                   dos, cells: int, cell_area: float = 1.0,
                                   alpha: float | None = 0.5, lattice_constant: float = 1e-8,
                                   inputs: dict | None = None) -> MagnetoResult:
    r"""``Delta sigma(B; tau_phi)`` and its HLN fits from per-realization ``sigma(t; B)``.

    ``sigma(tau_phi) = (1/tau_phi) int_0^inf sigma(t) exp(-t/tau_phi) dt``
    (:func:`weakloc.kubo.dephasing.exponential_average`) for every realization and field,
    the differences to zero field on the same realization, averaged; then the HLN formula
    (module docstring) with ``alpha`` free and, unless ``alpha`` is None, fixed.

    Parameters
    ----------
    grid : ndarray (T,)
        Increasing times ``> 0`` (``hbar/t``).
    curves : ndarray (S, F, T)
        ``sigma(t)`` (``e^2/h``) per realization (``S >= 2``) and field, on ``grid``.
    quanta : sequence of int (F,)
        Flux quanta of the fields of ``curves``, the first 0, then at least 4 positive.
    tau_phi : float
        ``hbar/t``.
    drude_diffusion, dos : array_like (S,)
        ``D_0`` (``t a^2/hbar``) and ``rho(E)`` (``1/(t a^2)``) per realization, zero field.
    cells : int
        Flux cells of the torus; ``cell_area`` their area (``a^2``).
    alpha : float or None
        ``alpha`` of the fixed-alpha fit (None skips it).
    lattice_constant : float
        ``a`` in m (the fitted lengths in ``a`` do not depend on it).
    inputs : dict, optional
        Recorded with the result (``cells``, ``cell_area``, ``tau_phi`` added).

    Returns
    -------
    MagnetoResult
    """
    from scipy.special import exp1

    from weakloc.kubo.dephasing import exponential_average
    from weakloc.units import FLUX_QUANTUM

    tau_phi = float(v.positive("tau_phi", tau_phi, "hbar/t"))
    a = float(v.positive("lattice_constant", lattice_constant, "m"))
    grid = np.asarray(v.positive("grid", grid, "hbar/t"), dtype=float)
    curves = np.asarray(v.finite_array("curves", curves), dtype=float)
    q = np.asarray(quanta, dtype=int)
    if grid.ndim != 1 or np.any(np.diff(grid) <= 0):
        raise InputError("grid must be increasing times > 0 (hbar/t)")
    if curves.ndim != 3 or curves.shape[1:] != (q.size, grid.size) or curves.shape[0] < 2:
        raise InputError(f"curves must have shape (realizations >= 2, {q.size} fields, "
                         f"{grid.size} times); got {curves.shape}")
    if q[0] != 0 or q.size < 5 or np.any(q[1:] <= 0):
        raise InputError("quanta must be 0 (zero field, first) then at least 4 positive flux "
                         "quanta, e.g. [0, 1, 2, 4, 8]")
    d0 = np.broadcast_to(np.asarray(drude_diffusion, dtype=float), curves.shape[:1])
    rho = np.broadcast_to(np.asarray(dos, dtype=float), curves.shape[:1])
    samples = curves.shape[0]
    sig = exponential_average(grid, curves, tau_phi)             # (S, F)
    diff = sig[:, 1:] - sig[:, :1]
    ds, de = diff.mean(0), diff.std(0, ddof=1) / np.sqrt(samples)
    flux = q / cells
    field = flux * FLUX_QUANTUM / (cell_area * a**2)
    fit = _hln_fit(field[1:], ds, de, None)
    fixed = _hln_fit(field[1:], ds, de, alpha) if alpha is not None else None
    reasons = [f"alpha free: {w}" for w in fit.warnings]
    if fixed is not None:
        reasons += [f"alpha = {alpha:g} fixed: {w}" for w in fixed.warnings]
    if not fit.converged or (fixed is not None and not fixed.converged):
        reasons.append("an HLN fit did not converge")
    dd = float(np.nanmean(d0))
    lphi = float(np.sqrt(dd * tau_phi))
    if lphi > 0.1 * np.sqrt(cells * cell_area):
        reasons.append(f"L_phi = {lphi:.1f} a exceeds a tenth of the torus: finite-size "
                       "effects; enlarge the torus or shorten tau_phi")
    reach = grid[-1] / tau_phi
    if reach < TAIL_TIMES:
        reasons.append(f"the curves end at {reach:.2g} tau_phi: the frozen tail may shift "
                       f"dsigma by up to {exp1(reach) / (2 * np.pi):.2g} e^2/h per spin "
                       f"channel; evolve to t_max >= {TAIL_TIMES:g} tau_phi")
    d_phi = float(np.mean(sig[:, 0] / (2 * np.pi * rho)))
    lp, al = fit.parameters["l_phi"], fit.parameters["alpha"]
    inputs = dict(inputs or {})
    inputs.update({"cells": int(cells), "cell_area": float(cell_area), "tau_phi": tau_phi,
                   "lattice_constant": a})
    return MagnetoResult(
        quanta=q[1:], flux=flux[1:], field=field[1:], dsigma=ds, dsigma_stderr=de,
        sigma0=float(sig[:, 0].mean()), tau_phi=tau_phi, drude_diffusion=dd,
        l_phi_expected=lphi, dephased_diffusion=d_phi,
        l_phi_dephased=float(np.sqrt(d_phi * tau_phi)), l_phi_fit=float(lp.value / a),
        l_phi_fit_stderr=float(lp.stderr / a), alpha_fit=float(al.value),
        alpha_fit_stderr=float(al.stderr), fit=fit.as_dict(),
        alpha_fixed=None if alpha is None else float(alpha),
        l_phi_fixed_alpha=(float(fixed.parameters["l_phi"].value / a) if fixed else np.nan),
        l_phi_fixed_alpha_stderr=(float(fixed.parameters["l_phi"].stderr / a) if fixed
                                  else np.nan),
        fit_fixed_alpha=fixed.as_dict() if fixed else None, grid=grid, curves=curves,
        realization_drude=np.array(d0), realization_dos=np.array(rho),
        reliable=not reasons, reasons=reasons, inputs=inputs)


def _hln_fit(field, ds, de, alpha):
    """weakloc's HLN fit of ``ds +- de`` (``e^2/h``) at ``field`` (T); ``alpha`` fixed
    unless None. The fitter's warnings go into the result."""
    from weakloc.fitting import fit_curve
    from weakloc.units import E2_OVER_H

    fix = None if alpha is None else {"alpha": float(alpha)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_curve((field, ds * E2_OVER_H), "hln", sigma=de * E2_OVER_H, fix=fix,
                         offset=False, strict=False)
