"""The observable registry: names a sweep file may use, loaded lazily.

An observable is a function ``sweep_task(params: dict, rng: numpy.random.Generator) ->
dict[str, float]``: ``params`` is one grid point merged with the sweep's fixed
``[options]``; ``rng`` is the task's own random stream (see :mod:`weakloc.ensemble.tasks`);
the result maps output names to numbers (one realization). It must be a module-level
function (so that worker processes can import it), take all its randomness from ``rng``
and raise :class:`~weakloc.errors.InputError` on bad parameters.

Registered names map to ``"module:function"`` paths and are imported only when used, so the
registry costs nothing at start-up. A sweep file may also name any importable
``"package.module:function"`` directly.
"""

from __future__ import annotations

import importlib

from weakloc.errors import InputError

__all__ = ["OBSERVABLES", "register_observable", "resolve", "observable_ref", "available",
           "units_of"]

#: built-in observables: name -> "module:function"
OBSERVABLES: dict[str, object] = {
    "conductance": "weakloc.transport.landauer:sweep_task",
    "localization": "weakloc.transport.transfer:sweep_task",
    "randomwalk": "weakloc.montecarlo.randomwalk:sweep_task",
    "level-ratio": "weakloc.ensemble.levelstats:sweep_task",
    "cbs-momentum": "weakloc.dynamics.sweep:sweep_task",
    "kubo": "weakloc.kubo.sweep:sweep_task",
}


#: units of the parameters the lattice observables take (t = hopping, a = lattice constant)
_LATTICE_UNITS = {"energy": "t", "disorder": "t", "soc": "t", "width": "a", "length": "a",
                  "height": "a", "size": "a", "flux": "h/e per plaquette",
                  "cylinder_flux": "h/e through the cylinder", "window": "t",
                  "filter_width": "t", "packet_width": "a", "shell_width": "t",
                  "kx": "1/a", "ky": "1/a", "precision": "1", "max_slices": "1"}
#: units of the built-in observables' outputs and parameters; '*' matches any suffix
UNITS = {
    "conductance": {**_LATTICE_UNITS, "conductance": "e^2/h (spin-summed where the model "
                    "has spin)"},
    "localization": {**_LATTICE_UNITS, "lambda": "a", "lambda_stderr": "a", "xi": "a",
                     "slices": "1", "converged": "1 (0 or 1)"},
    "level-ratio": {**_LATTICE_UNITS, "r_mean": "1", "n_ratios": "1"},
    "cbs-momentum": {**_LATTICE_UNITS, "peak_t*": "1 (occupation of one k point)",
                     "background_t*": "1 (occupation of one k point)",
                     "contrast_t*": "1", "anisotropy_t*": "1", "norm_error": "1"},
    "randomwalk": {"dim": "1", "samples": "1", "walkers": "1", "time": "s", "tau": "s",
                   "speed": "m/s", "anisotropy": "1", "g": "1", "tau_phi": "s",
                   "ball_fraction": "1", "fit_from": "tau_tr",
                   "d_green_kubo*": "m^2/s", "d_msd*": "m^2/s", "d_theory": "m^2/s",
                   "return_exponent*": "1", "vacf_decay_time": "s", "events": "1",
                   "integrated*": "s m^-d"},
}


def units_of(observable, func=None) -> dict:
    """Units of an observable's outputs and parameters, as patterns (``"peak_t*"``).

    Built-in observables list theirs in :data:`UNITS`; any other observable may declare
    them as a ``units`` attribute of its function (a dict name -> unit string). Names
    without a declared unit get none (the store then says ``"undeclared"``).
    """
    table = dict(UNITS.get(observable, {}))
    declared = getattr(func, "units", None)
    if isinstance(declared, dict):
        table.update({str(k): str(v) for k, v in declared.items()})
    return table


def unit_of(table: dict, name: str) -> str:
    """The unit of ``name`` in a :func:`units_of` table, or ``"undeclared"``."""
    import fnmatch

    if name in table:
        return table[name]
    for pattern, unit in table.items():
        if "*" in pattern and fnmatch.fnmatchcase(name, pattern):
            return unit
    return "undeclared"


def available() -> list[str]:
    """Names of the registered observables."""
    return sorted(OBSERVABLES)


def register_observable(name: str, target) -> None:
    """Register an observable under ``name``.

    Parameters
    ----------
    name : str
        Name a sweep file uses (``observable = "name"``). Re-registering replaces.
    target : str or callable
        ``"package.module:function"`` (imported lazily, also inside each worker) or a
        module-level function with the signature ``(params, rng) -> dict[str, float]``.
    """
    if not isinstance(name, str) or not name or ":" in name:
        raise InputError(f"observable name must be a non-empty string without ':', got {name!r}")
    if isinstance(target, str):
        _split(target)
    elif not callable(target):
        raise InputError(f"observable {name!r} must be 'module:function' or a function, "
                         f"got {target!r}")
    OBSERVABLES[name] = target


def _split(path: str) -> tuple[str, str]:
    module, sep, func = path.partition(":")
    if not sep or not module or not func:
        raise InputError(f"observable path {path!r} must read 'package.module:function'")
    return module, func


def observable_ref(name: str):
    """What a worker needs to find the observable: its ``"module:function"`` or the function.

    Raises :class:`~weakloc.errors.InputError` for an unknown name.
    """
    if ":" in name:
        _split(name)
        return name
    if name not in OBSERVABLES:
        raise InputError(f"unknown observable {name!r}; choose from {', '.join(available())} "
                         "or give 'package.module:function'")
    return OBSERVABLES[name]


def resolve(ref):
    """The observable function for a name, a ``"module:function"`` path or a function.

    Raises
    ------
    weakloc.errors.InputError
        Unknown name, or the module or the function cannot be imported.
    """
    if callable(ref):
        return ref
    target = observable_ref(ref)
    if callable(target):
        return target
    module, func = _split(target)
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise InputError(f"observable {ref!r}: cannot import {module!r} ({exc}); "
                         "check the name or install what it needs") from None
    fn = getattr(mod, func, None)
    if fn is None or not callable(fn):
        raise InputError(f"observable {ref!r}: {module!r} has no function {func!r}")
    return fn
