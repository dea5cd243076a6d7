r"""Parameter grids run as sweeps: ``Lambda(W, M)`` from transfer matrices.

:func:`lambda_grid` computes the input of :func:`weakloc.finitesize.fss_fit` through
:func:`weakloc.ensemble.run_sweep` (any executor, a resumable store). Lattice units
(``t = 1``, widths in lattice constants).
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING

import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments
from weakloc.errors import ConvergenceError, InputError
from weakloc.seeding import root_entropy

if TYPE_CHECKING:  # pragma: no cover
    import xarray

__all__ = ["lambda_grid"]


_GRID_LATTICE_KEYS = ("dim", "height", "disorder_kind", "flux", "spin_orbit", "soc",
                      "boundary", "hopping")


@renamed_arguments(realizations="samples")
def _check_grid_resources(widths, disorders, lattice, precision, max_slices, force):
    """Refuse a grid whose most expensive bar is over the memory or time limit (unless
    ``force``), naming that bar (see :func:`weakloc.transport.transfer.localization_estimate`)."""
    from weakloc.lattice import Lattice
    from weakloc.resources import check_memory, check_time
    from weakloc.transport.transfer import localization_estimate

    worst = None
    for m in widths:
        for w in disorders:
            need, seconds = localization_estimate(Lattice(width=m, disorder=w, **lattice),
                                                  precision, max_slices)
            if worst is None or seconds > worst[3] or not seconds == seconds:
                worst = (m, w, need, seconds)
    m, w, need, seconds = worst
    what = (f"one bar of the grid (width {m}, W = {w:g}, precision {precision:g}, up to "
            f"{max_slices} slices)")
    check_memory(need, what, force=force)
    check_time(seconds, what, force=force, stream=False)


def lambda_grid(widths, disorders, *, energy: float = 0.0, precision: float = 0.01,
                max_slices: int = 1_000_000, samples: int = 1, seed=None,
                executor: str = "processes", workers: int | None = None,
                scheduler: str | None = None, store=None, progress: bool | None = None,
                force: bool = False, **lattice) -> xarray.Dataset:
    r"""Transfer-matrix ``Lambda(W, M)`` on a grid of widths and disorders, as a sweep.

    Runs the ensemble observable ``"localization"``
    (:func:`weakloc.transport.transfer.sweep_task`) over the grid ``width x disorder``
    with :func:`weakloc.ensemble.run_sweep`: realization ``r`` of a point uses the stream
    ``stream(seed, point_key(params), r)`` of :mod:`weakloc.ensemble.tasks`, so the values
    are bit-identical on every executor and worker count. With ``samples = R > 1``
    each point gets ``R`` independent bars and

    .. math::

        \Lambda = \frac{1}{R}\sum_r \Lambda_r, \qquad
        \sigma_\Lambda = \frac{1}{R}\Big(\sum_r \sigma_r^2\Big)^{1/2}

    (equal weights: the bars run to the same relative precision, and weights
    ``1/sigma_r^2`` would favour the smaller ``Lambda_r``).

    Parameters
    ----------
    widths : sequence of int
        Widths ``M`` (sites across).
    disorders : sequence of float
        Disorders ``W`` (units of ``t``).
    energy : float
        Energy (units of ``t``).
    precision : float
        Relative precision of each bar's ``gamma_min``.
    max_slices : int
        Slice budget per bar.
    samples : int
        Independent bars per ``(W, M)`` point (``realizations=`` is the deprecated name).
    seed : int, optional
        Root seed; drawn (and recorded) when None, or read from ``store`` when it holds a
        run of this grid.
    executor : {"processes", "serial", "dask"}
        Where the bars run (:mod:`weakloc.ensemble.executors`).
    workers : int, optional
        Worker processes (default: every core).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a dask scheduler (``executor="dask"``).
    store : str or pathlib.Path, optional
        Sweep store folder (:mod:`weakloc.ensemble.store`). An existing store of the same
        grid is resumed: only the missing bars run. Default: a temporary store, removed.
    progress : bool, optional
        Progress bar on stderr; None (default) shows it when stderr is a terminal.
    force : bool
        Run even when the rough estimate of one bar
        (:func:`weakloc.transport.transfer.localization_estimate`) is over the free memory
        or over :data:`weakloc.resources.TIME_LIMIT`. Without it such a grid is refused
        here, up front, with the worst point and its estimate in the message
        (:class:`~weakloc.errors.ResourceError`), before any store or worker; the bars
        themselves never refuse (the check is not part of a task's parameters, so it does
        not change the random streams).
    **lattice
        Other :class:`~weakloc.lattice.Lattice` fields (``dim``, ``height``, ``flux``,
        ``spin_orbit``, ``soc``, ``boundary``, ``disorder_kind``).

    Returns
    -------
    xarray.Dataset
        Over ``width`` (lattice constants) and ``disorder`` (units of ``t``): ``lambda``,
        ``lambda_stderr``, ``slices`` (total), ``converged`` (all bars), ``realizations``
        (bars that finished), each with a ``units`` attribute; the root ``seed`` and the
        run's settings in ``attrs``. :func:`weakloc.finitesize.fss_fit` takes it as it is.
    """
    import json
    import tempfile
    from pathlib import Path

    from weakloc.ensemble.runner import run_sweep
    from weakloc.ensemble.sweepfile import make_sweep
    from weakloc.lattice import Lattice

    unknown = sorted(set(lattice) - set(_GRID_LATTICE_KEYS))
    if unknown:
        raise InputError(f"unknown lattice option {unknown[0]!r}; use "
                         f"{', '.join(_GRID_LATTICE_KEYS)}")
    widths = [v.positive_int("width", m) for m in np.atleast_1d(widths).tolist()]
    disorders = [float(w) for w in v.finite_array("disorders", np.atleast_1d(disorders))]
    if not widths or not disorders:
        raise InputError("give at least one width and one disorder")
    samples = v.positive_int("samples", samples)
    from weakloc.transport.transfer import _check_inputs

    for m in widths:   # bad input fails here, before any store or worker
        for w in disorders:
            _check_inputs(Lattice(width=m, disorder=w, **lattice), energy, precision,
                          max_slices, None)
    _check_grid_resources(widths, disorders, lattice, precision, max_slices, force)
    if seed is None and store is not None and (Path(store) / "sweep.json").is_file():
        try:
            seed = int(json.loads((Path(store) / "sweep.json").read_text())["root_seed"])
        except (OSError, ValueError, KeyError):
            seed = None
    root = root_entropy(seed)
    # the full, resolved lattice description keys the streams, so that spelling a default
    # out or leaving it to the default gives the same numbers
    template = dataclasses.asdict(Lattice(width=widths[0], disorder=disorders[0], **lattice))
    options = {k: template[k] for k in _GRID_LATTICE_KEYS if k != "height"}
    if lattice.get("height") is not None:
        options["height"] = int(lattice["height"])
    options.update({"energy": float(energy), "precision": float(precision),
               "max_slices": int(max_slices)})
    sweep = make_sweep("localization", {"width": widths, "disorder": disorders},
                       samples=samples, seed=root, options=options,
                       description="Lambda(W, M) grid of weakloc.transport.lambda_grid")
    with tempfile.TemporaryDirectory(prefix="weakloc-grid-") as tmp:
        out = Path(store) if store is not None else Path(tmp) / "grid.sweep"
        resume = (out / "sweep.json").is_file()
        summary = run_sweep(sweep, out, executor=executor, workers=workers,
                            scheduler=scheduler, resume=resume, progress=progress)
        ds = summary.dataset
        lam = ds["lambda"].values
        err = ds["lambda_stderr"].values
        sl = ds["slices"].values
        conv = ds["converged"].values
        errors = [e for e in ds["error"].values.ravel() if e]
    if errors:
        raise ConvergenceError(f"{len(errors)} of {sweep.n_tasks} transfer-matrix bars failed; "
                           f"first: {errors[0]}")
    import xarray as xr

    good = np.isfinite(lam)                   # [width, disorder, realization]
    n = good.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.where(good, lam, 0.0).sum(axis=-1) / n, math.inf)
        stderr = np.where(n > 0, np.sqrt((np.where(good, err, 0.0) ** 2).sum(axis=-1)) / n,
                          math.inf)
    dims = ("width", "disorder")
    return xr.Dataset(
        {"lambda": (dims, mean, {"units": "1", "long_name": "xi/M"}),
         "lambda_stderr": (dims, stderr, {"units": "1"}),
         "slices": (dims, np.where(good, sl, 0).sum(axis=-1).astype(int),
                    {"units": "slices"}),
         "converged": (dims, np.all(np.where(good, conv == 1.0, True), axis=-1)),
         "realizations": (dims, n.astype(int), {"units": "bars"})},
        coords={"width": ("width", widths, {"units": "a"}),
                "disorder": ("disorder", disorders, {"units": "t"})},
        attrs={"seed": root, "energy_t": float(energy), "precision": float(precision),
               "observable": "localization"})
