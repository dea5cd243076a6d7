r"""The ``"cbs-momentum"`` ensemble observable: one realization of the CBS contrast.

:func:`sweep_task` is registered in :mod:`weakloc.ensemble.observables`, so a sweep file
(or :func:`weakloc.ensemble.make_sweep`) can scan flux, disorder, size or energy with the
ensemble layer's executors, store and resume. One task is one disorder realization of
:func:`weakloc.dynamics.momentum.cbs_momentum` (its own random stream
``stream(seed, point_key(params), r)``); for the time ``t_j`` (``j`` the index in the
``times`` option) it returns

* ``peak_tj`` = ``n(-k0, t_j)`` and ``background_tj`` = ``n_bg(t_j)`` (the mirror pixels
  or the ring arcs, as in :func:`~weakloc.dynamics.momentum.cbs_momentum`);
* ``contrast_tj`` = ``peak_tj/background_tj - 1``, the single-realization contrast;
* ``anisotropy_tj`` (ring anisotropy of this realization) and ``norm_error``.

The disorder-averaged CBS contrast is the ratio of means

.. math::

    C(t_j) = \frac{\langle n(-k_0, t_j)\rangle}{\langle n_{bg}(t_j)\rangle} - 1,

which :func:`sweep_contrast` forms from a sweep's per-realization ``peak_tj`` and
``background_tj`` (with the delta-method standard error of
:func:`~weakloc.dynamics.momentum.ratio_with_stderr`), exactly the estimator of
``cbs_momentum``. The store's ``contrast_tj__mean`` is the mean of single-realization
ratios instead: a noisier estimator, biased when the background of one realization
fluctuates strongly (a speckle pixel), kept for inspection.

Lattice units (``t = a = hbar = 1``).
"""

from __future__ import annotations

import numpy as np

from weakloc.errors import InputError

__all__ = ["sweep_task", "sweep_contrast", "TASK_KEYS"]

_LATTICE_KEYS = ("size", "disorder", "flux", "spin_orbit", "soc")
#: parameters of a ``"cbs-momentum"`` task besides the lattice fields
TASK_KEYS = ("k0", "kx", "ky", "times", "energy", "filter_width", "tol", "n_moments",
             "background", "packet_width", "shell_width")


def sweep_task(params: dict, rng: np.random.Generator) -> dict[str, float]:
    """One realization of the CBS observables, for the ensemble layer.

    Parameters
    ----------
    params : dict
        :class:`~weakloc.dynamics.TorusLattice` fields (``size``, ``disorder`` in ``t``,
        ``flux`` in ``h/e`` per plaquette, ``spin_orbit``, ``soc``); the launch momentum
        as ``k0 = [kx, ky]`` or as ``kx`` and ``ky`` (``1/a``, on the ``2 pi/N`` grid);
        ``times`` (list, ``hbar/t``); optionally ``energy``, ``filter_width`` (``t``),
        ``tol``, ``n_moments``, ``background``, ``packet_width`` (``a``),
        ``shell_width`` (``t``), as in :func:`~weakloc.dynamics.momentum.cbs_momentum`.
    rng : numpy.random.Generator
        The task's random stream (draws the disorder).

    Returns
    -------
    dict
        ``peak_tj``, ``background_tj``, ``contrast_tj``, ``anisotropy_tj`` for each time
        index ``j``, and ``norm_error`` (see the module docstring).
    """
    from weakloc.dynamics.hamiltonian import TorusLattice
    from weakloc.dynamics.momentum import cbs_momentum

    p = dict(params)
    unknown = sorted(set(p) - set(_LATTICE_KEYS) - set(TASK_KEYS))
    if unknown:
        raise InputError(f"unknown cbs-momentum parameter {unknown[0]!r}; use "
                         f"{', '.join(_LATTICE_KEYS + TASK_KEYS)}")
    if "times" not in p:
        raise InputError("cbs-momentum needs times = [t1, t2, ...] (units of hbar/t)")
    if "k0" in p:
        if "kx" in p or "ky" in p:
            raise InputError("give k0 = [kx, ky] or kx and ky, not both")
        k0 = p.pop("k0")
    elif "kx" in p and "ky" in p:
        k0 = [p.pop("kx"), p.pop("ky")]
    else:
        raise InputError("cbs-momentum needs the launch momentum: k0 = [kx, ky] (1/a)")
    times = np.atleast_1d(np.asarray(p.pop("times"), dtype=float))
    lattice = TorusLattice(**{k: p.pop(k) for k in _LATTICE_KEYS if k in p})
    res = cbs_momentum(lattice, k0, times, seed=0, streams=[rng], progress=False, **p)
    out = {}
    for j in range(times.size):
        out[f"peak_t{j}"] = float(res.peak_weight[j])
        out[f"background_t{j}"] = float(res.background[j])
        out[f"contrast_t{j}"] = float(res.contrast[j])
        out[f"anisotropy_t{j}"] = float(res.ring_anisotropy[j])
    out["norm_error"] = float(res.norm_error)
    return out


def sweep_contrast(dataset):
    """CBS contrast and its standard error from a ``"cbs-momentum"`` sweep.

    Parameters
    ----------
    dataset : xarray.Dataset
        A sweep's result (:func:`weakloc.ensemble.open_results` or
        :attr:`SweepSummary.dataset <weakloc.ensemble.SweepSummary>`).

    Returns
    -------
    contrast, stderr : ndarray, shape (grid shape..., times)
        ``<peak_tj>/<background_tj> - 1`` over the computed realizations of each grid
        point, and its delta-method standard error (NaN with one realization).
    """
    from weakloc.dynamics.momentum import ratio_with_stderr

    n_t = 0
    while f"peak_t{n_t}" in dataset and f"background_t{n_t}" in dataset:
        n_t += 1
    if n_t == 0:
        raise InputError("the dataset holds no peak_t0/background_t0; give the result of a "
                         "'cbs-momentum' sweep")
    peak = np.stack([dataset[f"peak_t{j}"].values for j in range(n_t)], axis=-1)
    bg = np.stack([dataset[f"background_t{j}"].values for j in range(n_t)], axis=-1)
    # realization axis first (the store's last dimension before the time axis added here)
    peak = np.moveaxis(peak, -2, 0)
    bg = np.moveaxis(bg, -2, 0)
    if np.isnan(peak).any() or np.isnan(bg).any():
        raise InputError("the sweep has missing or failed realizations; resume it first")
    ratio, err = ratio_with_stderr(peak, bg)
    return ratio - 1.0, err
