"""Ensembles: reproducible, checkpointed sweeps on local cores or a Dask cluster.

A sweep (:mod:`~weakloc.ensemble.sweepfile`) is an observable
(:mod:`~weakloc.ensemble.observables`) evaluated on a grid of parameters, many disorder
realizations per point. Each task is a pure function of its parameters, realization index
and the root seed (:mod:`~weakloc.ensemble.tasks`), so the numbers do not depend on where
or in which order it runs (:mod:`~weakloc.ensemble.executors`). Results are journalled as
they finish in a store that survives SIGKILL and resumes (:mod:`~weakloc.ensemble.store`)::

    from weakloc.ensemble import run_sweep, open_results
    summary = run_sweep("run.toml", executor="processes")      # or "serial", "dask"
    ds = open_results(summary.output)                          # xarray.Dataset

The submodules are imported on first use, so worker processes start light.
"""

from __future__ import annotations

import importlib

__all__ = [
    "Sweep", "load_sweep", "parse_sweep", "make_sweep",
    "register_observable", "resolve", "available",
    "point_key", "task_rng", "run_batch",
    "SerialExecutor", "ProcessExecutor", "DaskExecutor", "make_executor",
    "SweepStore", "open_results",
    "run_sweep", "SweepSummary", "lambda_grid",
]

_WHERE = {
    "Sweep": "sweepfile", "load_sweep": "sweepfile", "parse_sweep": "sweepfile",
    "make_sweep": "sweepfile",
    "register_observable": "observables", "resolve": "observables", "available": "observables",
    "point_key": "tasks", "task_rng": "tasks", "run_batch": "tasks",
    "SerialExecutor": "executors", "ProcessExecutor": "executors",
    "DaskExecutor": "executors", "make_executor": "executors",
    "SweepStore": "store", "open_results": "store",
    "run_sweep": "runner", "SweepSummary": "runner", "lambda_grid": "grids",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"weakloc.ensemble.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'weakloc.ensemble' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
