r"""The ``"kubo"`` ensemble observable: one disorder realization of sigma(E, t).

:func:`sweep_task` is registered in :mod:`weakloc.ensemble.observables`, so a sweep file
(or :func:`weakloc.ensemble.make_sweep`) scans energy, disorder, flux, size or tau_phi with
the ensemble layer's executors (serial, processes, Dask), store and resume. One task is one
realization of :func:`weakloc.kubo.kubo_conductivity` on the task's own stream
(``stream(seed, point_key(params), r)``: disorder first, then the random vectors), so with
``same_disorder_along = ["flux"]`` every field sees the same disorder and the same random
vectors, and the magnetoconductance differences are free of their noise. For the time
``t_j`` (``j`` the index in ``times``) it returns

* ``sigma_tj`` (``e^2/h``, spin-summed) and ``diffusion_tj`` (``t a^2/hbar``);
* ``dos`` (``1/(t a^d)``) in the energy window, ``velocity2`` (``(t a/hbar)^2``);
* ``tau`` (``hbar/t``, NaN without a crossover) and, with ``tau_phi``, ``dephased``
  (sigma at ``tau_phi``, ``e^2/h``).

``sigma_tj__mean`` of the store is the disorder average (each realization's sigma is an
unbiased trace estimate); its ``__stderr`` includes the random-vector noise.
Lattice units (``t = a = hbar = 1``).
"""

from __future__ import annotations

import numpy as np

from weakloc.errors import InputError

__all__ = ["sweep_task", "TASK_KEYS"]

_MODEL_KEYS = ("dim", "width", "height", "depth", "size", "disorder", "flux", "spin_orbit",
               "soc")
#: parameters of a ``"kubo"`` task besides the model fields
TASK_KEYS = ("energy", "times", "tau_phi", "vectors", "filter_width", "tol")


def sweep_task(params: dict, rng: np.random.Generator) -> dict[str, float]:
    """One realization of the Kubo observables, for the ensemble layer.

    Parameters
    ----------
    params : dict
        Model: ``width`` (or ``size``), optional ``height``, ``depth``, ``dim`` (2 or 3),
        ``disorder`` (t), ``flux`` (h/e per plaquette), ``spin_orbit``, ``soc`` (see
        :func:`weakloc.kubo.system.torus_model`); ``energy`` (t) and ``times`` (list,
        ``hbar/t``); optionally ``tau_phi`` (``hbar/t``), ``vectors``, ``filter_width``
        (t), ``tol``, as in :func:`weakloc.kubo.kubo_conductivity`.
    rng : numpy.random.Generator
        The task's random stream.

    Returns
    -------
    dict
        See the module docstring.
    """
    from weakloc.kubo.conductivity import kubo_conductivity
    from weakloc.kubo.system import torus_model

    p = dict(params)
    unknown = sorted(set(p) - set(_MODEL_KEYS) - set(TASK_KEYS))
    if unknown:
        raise InputError(f"unknown kubo parameter {unknown[0]!r}; use "
                         f"{', '.join(_MODEL_KEYS + TASK_KEYS)}")
    for key in ("energy", "times"):
        if key not in p:
            raise InputError(f"kubo needs {key} (energy in t, times = [t1, ...] in hbar/t)")
    if "size" in p:
        if "width" in p:
            raise InputError("give width or size, not both")
        p["width"] = p.pop("size")
    if "width" not in p:
        raise InputError("kubo needs width (sites along x)")
    model = torus_model(**{k: p.pop(k) for k in _MODEL_KEYS if k in p})
    times = np.atleast_1d(np.asarray(p.pop("times"), dtype=float))
    res = kubo_conductivity(model, p.pop("energy"), times, streams=[rng], dos_moments=None,
                            progress=False, **p)
    out = {}
    for j in range(times.size):
        out[f"sigma_t{j}"] = float(res.conductivity[j])
        out[f"diffusion_t{j}"] = float(res.diffusion[j])
    out["dos"] = res.dos
    out["velocity2"] = res.velocity2
    tau = res.crossover["tau"]
    out["tau"] = float("nan") if tau is None else float(tau)
    if res.dephased is not None:
        out["dephased"] = res.dephased["value"]
    return out
