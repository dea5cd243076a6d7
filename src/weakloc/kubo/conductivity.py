r"""The time-dependent Kubo conductivity sigma(E, t) and diffusion coefficient D(E, t).

From the spreading of projected random states (:mod:`weakloc.kubo.spreading`), averaged
over ``R`` random vectors and ``S`` disorder realizations,

.. math::

    \rho(E) = \frac{\langle\|\psi\|^2\rangle}{\sqrt{2\pi}\,\eta\,\Omega}, \qquad
    D(E, t) = \frac{\langle \mathrm{Re}\langle\chi|V|\phi\rangle\rangle}
                   {\langle\|\psi\|^2\rangle}, \qquad
    \sigma(E, t) = e^2 \rho(E) D(E, t) = 2\pi\,\rho D \;\; [e^2/h],

``eta`` the Gaussian energy window, ``Omega`` the torus area (volume) in ``a^d``, ``D``
averaged over the ``d`` directions (units ``t a^2/hbar``), ``rho`` in ``1/(t a^d)``
summed over every orbital: sigma is spin-summed where the model has spin and per spin for
a spinless model. In 2D sigma is a sheet conductance in ``e^2/h``; in 3D it is in
``e^2/(h a)``. ``D(E, t)`` is the Kubo-Greenwood conductivity with coherence cut at
``t``, so in the diffusive window of a 2D metal it changes as the one-loop correction

.. math::

    \frac{d\sigma}{d\ln t} = -\frac{1}{2\pi}\frac{e^2}{h}\ \text{(orthogonal, spinless)},
    \quad 0\ \text{(unitary)}, \quad +\frac{1}{2\pi}\frac{e^2}{h}
    \ \text{(symplectic, spin-summed)},

(Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980); Lee and Ramakrishnan,
Rev. Mod. Phys. 57, 287 (1985)), which :func:`log_slope` measures. The running average
``Delta X^2/(2 t)`` of the LSQT literature (Fan et al., Phys. Rep. 903, 1 (2021)) is
reported under its own key: it carries a ``+D tau/t`` transient that hides the slope for
hundreds of ``tau``. Standard errors: over realizations when ``S >= 2``, else over the
random vectors (random-vector error only; say so). Lattice units ``t = a = hbar = 1``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc._results import MappingResult
from weakloc.errors import InputError
from weakloc.kubo.crossover import Crossover
from weakloc.kubo.kpm import KPMDensity
from weakloc.progress import progress_bar
from weakloc.seeding import root_entropy, stream

__all__ = ["KuboResult", "kubo_conductivity", "time_grid", "log_slope", "LogSlope"]


def time_grid(times, *, tau_phi=None, first_step: float = 0.25, ratio: float = 1.1):
    """Internal time grid (``hbar/t``): steps of ``first_step`` up to ``8 first_step``,
    then growing by ``ratio`` (about 24 points per decade, capped at ``tau_phi/2``),
    merged with ``times``; reaching ``TAIL_FACTOR * tau_phi`` when ``tau_phi`` is given."""
    from weakloc.kubo.dephasing import TAIL_FACTOR

    times = np.atleast_1d(v.finite_array("times", times))
    if times.ndim != 1 or np.any(times <= 0) or np.any(np.diff(times) <= 0):
        raise InputError("times must be increasing and > 0 (units of hbar/t)")
    end = float(times[-1]) if tau_phi is None else max(float(times[-1]),
                                                       TAIL_FACTOR * tau_phi)
    cap = np.inf if tau_phi is None else tau_phi / 2.0
    grid = [first_step * k for k in range(1, 9)]
    while grid[-1] < end:
        grid.append(grid[-1] + min(grid[-1] * (ratio - 1.0), cap))
    g = np.union1d(np.asarray(grid)[np.asarray(grid) < end], times)
    return np.union1d(g, [end])


@dataclass(frozen=True)
class KuboResult:
    """sigma(E, t), D(E, t) and the derived scales (see the module docstring).

    Attributes
    ----------
    energy : float
        ``E`` (t).
    times : ndarray
        The requested times (``hbar/t``).
    conductivity, conductivity_stderr : ndarray
        ``sigma(E, t)`` at ``times`` (``e^2/h``, spin-summed; ``e^2/(h a)`` in 3D).
    diffusion, diffusion_stderr : ndarray
        ``D(E, t)`` (``t a^2/hbar``), per direction.
    running_average : ndarray
        ``Delta X_mu^2/(2 t)`` (``t a^2/hbar``), the LSQT running average.
    dos, dos_stderr : float
        ``rho(E)`` in the window (``1/(t a^d)``, spin-summed).
    grid, grid_conductivity : ndarray
        The internal time grid and per-unit sigma curves on it, shape (units, T): one row
        per realization (``S >= 2``) or per random vector (``S = 1``).
    crossover : Crossover
        ``tau``, ``mean_free_path``, ``drude_diffusion`` (:mod:`weakloc.kubo.crossover`).
    velocity2 : float
        ``<v^2> = d <v_mu^2>`` at ``E`` (``(t a/hbar)^2``).
    dephased : dict or None
        ``tau_phi``, ``value``, ``stderr`` (sigma at ``tau_phi``), ``diffusion``.
    born : dict or None
        Born-approximation scales of the square lattice (``tau``, ``mean_free_path``,
        ``diffusion``) for comparison.
    kpm_dos : KPMDensity or None
        KPM density of states of the first realization (:func:`weakloc.kubo.kpm.kpm_dos`).
    reliable : bool
        False with ``reasons`` when a check failed (finite size, few states, no crossover).
    inputs : dict
        Model, samples, vectors, seed, filter width, tolerance, symmetry.
    """

    energy: float
    times: np.ndarray
    conductivity: np.ndarray
    conductivity_stderr: np.ndarray
    diffusion: np.ndarray
    diffusion_stderr: np.ndarray
    running_average: np.ndarray
    dos: float
    dos_stderr: float
    grid: np.ndarray
    grid_conductivity: np.ndarray
    crossover: Crossover
    velocity2: float
    dephased: dict | None
    born: dict | None
    kpm_dos: KPMDensity | None
    reliable: bool
    reasons: list
    inputs: dict

    def as_dict(self) -> dict:
        """JSON-ready document in the layout of ``weakloc kubo --json``."""
        doc = {
            "conductivity": {"time": self.times, "value": self.conductivity,
                             "stderr": self.conductivity_stderr, "unit": self.inputs["unit"]},
            "diffusion": {"time": self.times, "value": self.diffusion,
                          "stderr": self.diffusion_stderr, "unit": "t a^2/hbar"},
            "running_average": {"time": self.times, "value": self.running_average,
                                "unit": "t a^2/hbar"},
            "dos": {"energy": self.energy, "value": self.dos, "stderr": self.dos_stderr,
                    "unit": "1/(t a^d)"},
            "tau": self.crossover["tau"], "mean_free_path": self.crossover["mean_free_path"],
            "drude_diffusion": self.crossover["drude_diffusion"],
            "velocity2": self.velocity2, "born": self.born,
            "reliable": self.reliable, "reasons": list(self.reasons), "inputs": self.inputs,
            "units": {"time": "hbar/t", "energy": "t", "length": "a", "tau": "hbar/t"},
        }
        if self.kpm_dos is not None:
            doc["dos"]["kpm"] = self.kpm_dos
        if self.dephased is not None:
            doc["dephased"] = self.dephased
        return doc


def _units(arr, samples: int):
    """Independent units: realization means (S >= 2) or single vectors (S = 1)."""
    return arr.mean(axis=1) if samples >= 2 else arr[0]


def _mean_err(x):
    n = x.shape[0]
    err = x.std(axis=0, ddof=1) / np.sqrt(n) if n > 1 else np.full(x.shape[1:], np.nan)
    return x.mean(axis=0), err


def _born(lattice, energy):
    from weakloc.dynamics import TorusLattice, born

    if not isinstance(lattice, TorusLattice) or lattice.disorder <= 0 or abs(energy) >= 4:
        return None
    return {"tau": float(born.scattering_time(energy, lattice.disorder)),
            "mean_free_path": born.mean_free_path(energy, lattice.disorder),
            "diffusion": born.born_diffusion_constant(energy, lattice.disorder),
            "note": "Born scales of box disorder on the square lattice (spin-orbit ignored)"}


def kubo_conductivity(lattice, energy: float, times, *, tau_phi=None, vectors: int = 4,
                      samples: int = 1, seed=None, filter_width: float = 0.1,
                      tol: float = 1e-10, dos_moments: int | None = 512, progress=None,
                      streams=None) -> KuboResult:
    """Disorder-averaged ``sigma(E, t)`` and ``D(E, t)`` by the real-space Kubo method.

    Parameters
    ----------
    lattice : description with ``realize(rng)``
        :class:`weakloc.dynamics.TorusLattice` (square torus: flux, spin-orbit) or
        :class:`~weakloc.kubo.system.HypercubicTorus` (rectangular, cubic), or anything
        whose ``realize`` returns a :class:`~weakloc.kubo.system.TorusSystem`.
    energy : float
        ``E`` in units of ``t``.
    times : sequence of float
        Increasing output times ``> 0`` (``hbar/t``).
    tau_phi : float, optional
        Phase-coherence time (``hbar/t``): adds ``dephased`` (evolves to 8 ``tau_phi``).
    vectors : int
        Random-phase vectors per realization.
    samples : int
        Disorder realizations; realization ``i`` draws from ``stream(seed, i)``.
    seed : int or None
        Root seed (recorded).
    filter_width : float
        Gaussian energy window ``eta`` (t).
    tol : float
        Chebyshev truncation (2-norm) per time step and for the filter.
    dos_moments : int or None
        Moments of the KPM density of states (first realization); None skips it.
    progress : bool, optional
        Progress on stderr (:mod:`weakloc.progress`: a bar on a terminal, a line every
        few seconds otherwise; False for none).
    streams : list of numpy.random.Generator, optional
        Explicit realization streams (the ensemble layer passes its own); overrides
        ``samples`` and ``seed``.

    Returns
    -------
    KuboResult
    """
    from weakloc.kubo.crossover import crossover_fit
    from weakloc.kubo.dephasing import exponential_average
    from weakloc.kubo.kpm import kpm_dos
    from weakloc.kubo.spreading import spreading_realization
    from weakloc.kubo.system import as_system

    energy = float(v.finite_array("energy", energy))
    vectors = v.positive_int("vectors", vectors)
    eta = float(v.positive("filter_width", filter_width, "t"))
    tol = float(v.in_range("tol", tol, 0.0, 1.0))
    if tau_phi is not None:
        tau_phi = float(v.positive("tau_phi", tau_phi, "hbar/t"))
    times = np.atleast_1d(v.finite_array("times", times))
    grid = time_grid(times, tau_phi=tau_phi)
    if streams is None:
        samples = v.positive_int("samples", samples)
        root = root_entropy(seed)
        streams = [stream(root, i) for i in range(samples)]
    else:
        root, samples = None, len(streams)
    raw, kdos, system = [], None, None
    bar = progress_bar(progress, total=samples * vectors * grid.size,
                       desc="kubo time steps", unit="step")
    try:
        for i, rng in enumerate(streams):
            system = as_system(lattice.realize(rng))
            raw.append(spreading_realization(system, energy, grid, vectors=vectors, rng=rng,
                                             width=eta, tol=tol,
                                             progress=bar.update))
            if i == 0 and dos_moments:
                kdos = kpm_dos(system, [energy], moments=dos_moments, vectors=2, seed=rng)
    finally:
        bar.close()
    stack = {k: np.stack([r[k] for r in raw]) for k in raw[0]}
    window = np.sqrt(2.0 * np.pi) * eta * system.volume
    norm = _units(stack["norm"], samples)
    cur = _units(stack["current"], samples)
    spread = _units(stack["spread"], samples)
    v2 = _units(stack["velocity2"], samples)
    sig_units = 2.0 * np.pi * cur / window
    pick = np.searchsorted(grid, times)
    d_grid, _ = _ratio(cur, norm)
    dd, dd_err = _ratio(cur[:, pick], norm)
    sig, sig_err = _mean_err(sig_units[:, pick])
    rho, rho_err = _mean_err(norm / window)
    vel2 = float(v2.mean() / norm.mean())
    cross = crossover_fit(grid, d_grid, vel2, system.dim)
    reasons = list(cross["reasons"]) if cross["tau"] is None else []
    if samples < 2:
        reasons.append("one realization: standard errors are random-vector errors only")
    states = float(norm.mean())          # Tr g^2: states inside the window
    if states < 20:
        reasons.append(f"only ~{states:.0f} states in the energy window: enlarge the torus "
                       "or widen filter_width")
    spread_t = spread.mean(axis=0) / norm.mean()
    # times that matter: the requested ones, and up to 4 tau_phi for the dephased value
    relevant = grid <= max(times[-1], 0.0 if tau_phi is None else 4.0 * tau_phi)
    wrap = np.nonzero((np.sqrt(spread_t) > 0.25 * min(system.periods)) & relevant)[0]
    if wrap.size:
        reasons.append(f"rms spreading exceeds a quarter of the torus from t = "
                       f"{grid[wrap[0]]:.3g} hbar/t: finite-size regime")
    deph = None
    if tau_phi is not None:
        vals = exponential_average(grid, sig_units, tau_phi)
        dv, de = _mean_err(vals)
        dn, dne = _ratio(exponential_average(grid, cur, tau_phi)[:, None], norm)
        deph = {"tau_phi": tau_phi, "value": float(dv), "stderr": float(de),
                "diffusion": float(dn[0]), "diffusion_stderr": float(dne[0]),
                "unit": _unit(system)}
    sym = getattr(lattice, "symmetry", "unknown")
    inputs = {"model": lattice.as_dict() if hasattr(lattice, "as_dict") else str(lattice),
              "energy": energy, "samples": samples, "vectors": vectors, "seed": root,
              "filter_width": eta, "tol": tol, "tau_phi": tau_phi, "symmetry": sym,
              "dim": system.dim, "orbitals": system.size, "unit": _unit(system),
              "error_over": "realizations" if samples >= 2 else "random vectors"}
    return KuboResult(
        energy=energy, times=times, conductivity=sig, conductivity_stderr=sig_err,
        diffusion=dd, diffusion_stderr=dd_err,
        running_average=spread_t[pick] / (2.0 * times), dos=float(rho), dos_stderr=float(rho_err),
        grid=grid, grid_conductivity=sig_units, crossover=cross, velocity2=vel2 * system.dim,
        dephased=deph, born=_born(lattice, energy), kpm_dos=kdos,
        reliable=not reasons, reasons=reasons, inputs=inputs)


def _unit(system) -> str:
    return "e^2/h" if system.dim == 2 else f"e^2/(h a^{system.dim - 2})"


def _ratio(num, den):
    from weakloc.dynamics.momentum import ratio_with_stderr

    den = np.broadcast_to(den.reshape(den.shape + (1,) * (num.ndim - 1)), num.shape)
    return ratio_with_stderr(num, den)


@dataclass(frozen=True)
class LogSlope(MappingResult):
    """Slope of ``sigma(E, t)`` against ``ln t`` (:func:`log_slope`).

    Attributes
    ----------
    slope, stderr : float
        ``e^2/h`` per unit of ``ln t``.
    in_2pi, in_2pi_stderr : float
        The same times ``2 pi``: -1 orthogonal, 0 unitary, +1 symplectic in 2D at one loop.
    window : list
        ``[t_min, t_max]`` (``hbar/t``).
    points : int
        Grid times inside the window.
    unit : str
    """

    slope: float
    stderr: float
    in_2pi: float
    in_2pi_stderr: float
    window: list
    points: int
    unit: str


def log_slope(result: KuboResult, t_min: float, t_max: float) -> LogSlope:
    """Slope of ``sigma(E, t)`` against ``ln t`` in the window ``[t_min, t_max]``.

    Fits a straight line to every unit's curve (realization or random vector) on the grid
    points inside the window; the slope is their mean and its standard error their spread
    (units are independent).

    Returns
    -------
    LogSlope
        ``slope`` and ``stderr`` (``e^2/h`` per unit of ``ln t``), ``in_2pi`` (slope times
        ``2 pi``: -1 orthogonal, 0 unitary, +1 symplectic in 2D), ``window``, ``points``.
    """
    t_min = float(v.positive("t_min", t_min, "hbar/t"))
    t_max = float(v.positive("t_max", t_max, "hbar/t"))
    sel = (result.grid >= t_min) & (result.grid <= t_max)
    if np.count_nonzero(sel) < 3:
        raise InputError(f"fewer than 3 grid times inside [{t_min:g}, {t_max:g}] hbar/t; "
                         "widen the window or evolve longer")
    x = np.log(result.grid[sel])
    slopes = np.polyfit(x, result.grid_conductivity[:, sel].T, 1)[0]
    s, e = _mean_err(np.atleast_1d(slopes))
    return LogSlope(slope=float(s), stderr=float(e), in_2pi=float(2 * np.pi * s),
                    in_2pi_stderr=float(2 * np.pi * e), window=[t_min, t_max],
                    points=int(np.count_nonzero(sel)), unit="e^2/h per ln t")

