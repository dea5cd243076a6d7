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
Cooperon, without the interference correction.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.seeding import root_entropy, stream

__all__ = ["MagnetoResult", "kubo_magnetoconductance", "flux_cells"]


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
    """``Delta sigma(B; tau_phi)`` on the torus and its HLN fit.

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
    drude_diffusion : float
        ``D_0`` (``t a^2/hbar``) at zero field.
    l_phi_expected : float
        ``sqrt(D_0 tau_phi)`` (``a``).
    l_phi_fit, l_phi_fit_stderr, alpha_fit, alpha_fit_stderr : float
        HLN fit (``a``; dimensionless).
    fit : dict
        The :class:`~weakloc.fitting.results.FitResult` document.
    reliable : bool
        False with ``reasons`` (fit warnings, ``L_phi`` not small against the torus).
    inputs : dict
    """

    quanta: np.ndarray
    flux: np.ndarray
    field: np.ndarray
    dsigma: np.ndarray
    dsigma_stderr: np.ndarray
    sigma0: float
    drude_diffusion: float
    l_phi_expected: float
    l_phi_fit: float
    l_phi_fit_stderr: float
    alpha_fit: float
    alpha_fit_stderr: float
    fit: dict
    reliable: bool
    reasons: list
    inputs: dict

    def as_dict(self) -> dict:
        return {"quanta": self.quanta, "flux": self.flux, "field": self.field,
                "dsigma": {"value": self.dsigma, "stderr": self.dsigma_stderr,
                           "unit": "e^2/h"},
                "sigma0": self.sigma0, "drude_diffusion": self.drude_diffusion,
                "l_phi_expected": self.l_phi_expected, "l_phi_fit": self.l_phi_fit,
                "l_phi_fit_stderr": self.l_phi_fit_stderr, "alpha_fit": self.alpha_fit,
                "alpha_fit_stderr": self.alpha_fit_stderr, "fit": self.fit,
                "reliable": self.reliable, "reasons": list(self.reasons),
                "inputs": self.inputs,
                "units": {"field": "T", "flux": "h/e per cell (plaquette, hexagon)",
                          "length": "a"}}


def kubo_magnetoconductance(lattice, energy: float, tau_phi: float, quanta, *,
                            vectors: int = 4, samples: int = 2, seed=None,
                            filter_width: float = 0.1, tol: float = 1e-10,
                            lattice_constant: float = 1e-8) -> MagnetoResult:
    """``sigma(B; tau_phi)`` for flux quanta ``quanta`` through a torus, with HLN fit.

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

    Returns
    -------
    MagnetoResult
    """
    from weakloc.fitting import fit_curve
    from weakloc.kubo.conductivity import kubo_conductivity
    from weakloc.units import E2_OVER_H, FLUX_QUANTUM

    samples = v.positive_int("samples", samples, minimum=2)
    tau_phi = float(v.positive("tau_phi", tau_phi, "hbar/t"))
    a = float(v.positive("lattice_constant", lattice_constant, "m"))
    q = np.union1d([0], np.asarray(quanta, dtype=int))
    if q.size < 5 or np.any(q < 0):
        raise InputError("give at least 4 positive flux quanta (the HLN fit has 2 parameters), "
                         "e.g. quanta = [1, 2, 4, 8]")
    cells, area = flux_cells(lattice)
    root = root_entropy(seed)
    sig = np.empty((samples, q.size))
    d0 = np.empty(samples)
    for r in range(samples):
        for i, m in enumerate(q):
            res = kubo_conductivity(lattice.with_(flux=m / cells), energy, [tau_phi],
                                    tau_phi=tau_phi, vectors=vectors,
                                    streams=[stream(root, r)], filter_width=filter_width,
                                    tol=tol, dos_moments=None, progress=False)
            sig[r, i] = res.dephased["value"]
            if m == 0:
                d0[r] = res.crossover["drude_diffusion"] or np.nan
    diff = sig[:, 1:] - sig[:, :1]
    ds, de = diff.mean(0), diff.std(0, ddof=1) / np.sqrt(samples)
    flux = q / cells
    field = flux * FLUX_QUANTUM / (area * a**2)
    with warnings.catch_warnings():       # the fit's warnings go into the result instead
        warnings.simplefilter("ignore")
        fit = fit_curve((field[1:], ds * E2_OVER_H), "hln", sigma=de * E2_OVER_H,
                        offset=False, strict=False)
    reasons = list(fit.warnings)
    if not fit.converged:
        reasons.append("the HLN fit did not converge")
    lphi = np.sqrt(np.nanmean(d0) * tau_phi)
    if lphi > 0.1 * np.sqrt(cells * area):
        reasons.append(f"L_phi = {lphi:.1f} a exceeds a tenth of the torus: finite-size "
                       "effects; enlarge the torus or shorten tau_phi")
    lp, al = fit.parameters["l_phi"], fit.parameters["alpha"]
    dd = float(np.nanmean(d0))
    return MagnetoResult(
        quanta=q[1:], flux=flux[1:], field=field[1:], dsigma=ds, dsigma_stderr=de,
        sigma0=float(sig[:, 0].mean()), drude_diffusion=dd,
        l_phi_expected=float(np.sqrt(dd * tau_phi)), l_phi_fit=float(lp.value / a),
        l_phi_fit_stderr=float(lp.stderr / a), alpha_fit=float(al.value),
        alpha_fit_stderr=float(al.stderr), fit=fit.as_dict(), reliable=not reasons,
        reasons=reasons,
        inputs={"model": lattice.as_dict(), "energy": float(energy), "tau_phi": tau_phi,
                "vectors": vectors, "samples": samples, "seed": root,
                "filter_width": filter_width, "lattice_constant": a})
