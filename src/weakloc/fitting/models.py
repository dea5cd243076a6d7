r"""lmfit models wrapping the closed forms of :mod:`weakloc.theory`.

Every model is a function of the field ``B`` (T) whose parameters are lengths in metres
(``alpha`` dimensionless) with physical bounds. Optional parameters (``l_s``, ``l_e`` of
``hln-full``, ``l_so1`` of ``ilp``, ``l_e`` of ``wire``) enter only when asked for, free or
fixed; the ``background`` option adds ``c_bg B^2`` (a classical background, in the model's
unit per T^2) and ``offset`` a constant ``c0`` (the error of the subtracted ``sigma(0)``,
which is itself a noisy measurement shared by every point). Sign of ``alpha``:
``dsigma = +alpha G0 f(B_phi/B)``, ``alpha = +1`` weak localization (orthogonal),
``-1/2`` one strongly spin-orbit coupled channel (WAL), as in
:func:`weakloc.theory.magnetoconductance.hln`.

================  =============================  ==================  ===================
name              parameters                     optional            constants, unit
================  =============================  ==================  ===================
``hln``           ``alpha, l_phi``               --                  S per square
``hln-full``      ``l_phi, l_so``                ``l_s, l_e``        S per square
``ilp``           ``l_phi, l_so`` (cubic)        ``l_so1`` (linear)  S per square
``graphene``      ``l_phi, l_i, l_star``         --                  S per square
``graphene-soc``  ``l_phi, l_asy, l_sym``        --                  S per square
``wire``          ``l_phi``                      ``l_e``             ``width``; S m
``kawabata``      ``l_phi``                      ``amplitude``       S/m
``kawabata-so``   ``l_phi, l_so``                ``amplitude``       S/m
================  =============================  ==================  ===================

``amplitude`` (dimensionless, ``> 0``) scales the 3D models to absorb an unknown geometry
(a film's thickness in m when its sheet conductance is fitted; see
:func:`weakloc.theory.magnetoconductance.kawabata`).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from weakloc.errors import InputError
from weakloc.theory import magnetoconductance as mc
from weakloc.theory.ilp_linear import ilp_linear
from weakloc.units import field_to_length

__all__ = ["ModelSpec", "MODEL_SPECS", "LENGTH_BOUNDS", "parameter_bounds", "build_model",
           "model_function",
           "guess_parameters", "model_spec"]

#: Bounds of every length parameter (m): 0.1 nm to 10 cm.
LENGTH_BOUNDS = (1e-10, 1e-1)
ALPHA_BOUNDS = (-5.0, 5.0)
#: Bounds of the dimensionless amplitude of the 3D models.
AMPLITUDE_BOUNDS = (0.0, np.inf)
#: Parameters that enter linearly as an overall scale of the model.
_SCALES = ("alpha", "amplitude")


def parameter_bounds(name: str) -> tuple:
    """``(lo, hi)`` of a fit parameter (None for unbounded ``c0``, ``c_bg``)."""
    if name == "alpha":
        return ALPHA_BOUNDS
    if name == "amplitude":
        return AMPLITUDE_BOUNDS
    if name.startswith("l_"):
        return LENGTH_BOUNDS
    return (None, None)


@dataclass(frozen=True)
class ModelSpec:
    """What a fit model needs: the theory function, its parameters and unit.

    Attributes
    ----------
    name : str
        Model name (``hln``, ``hln-full``, ``ilp``, ``graphene``, ``wire``, ``kawabata``).
    func : callable
        Theory function ``func(B, **params, **constants)``.
    params : tuple of str
        Parameters always present.
    optional : tuple of str
        Parameters present only when requested (free or fixed).
    constants : tuple of str
        Required fixed inputs that are not fitted (e.g. the wire ``width``).
    unit : str
        Unit of the model's ``dsigma``.
    dimension : int
        Spatial dimension of the dephasing (for the mechanism hint).
    """

    name: str
    func: object
    params: tuple
    optional: tuple = ()
    constants: tuple = ()
    unit: str = "S"
    dimension: int = 2


#: Every fit model by name: its formula, parameters, constants and unit (:class:`ModelSpec`).
MODEL_SPECS = {
    "hln": ModelSpec("hln", mc.hln, ("alpha", "l_phi")),
    "hln-full": ModelSpec("hln-full", mc.hln_full, ("l_phi", "l_so"), ("l_s", "l_e")),
    "ilp": ModelSpec("ilp", ilp_linear, ("l_phi", "l_so"), ("l_so1",)),
    "graphene": ModelSpec("graphene", mc.mccann_falko, ("l_phi", "l_i", "l_star")),
    "graphene-soc": ModelSpec("graphene-soc", mc.graphene_soc, ("l_phi", "l_asy", "l_sym")),
    "wire": ModelSpec("wire", mc.wire, ("l_phi",), ("l_e",), ("width",), "S m", 1),
    "kawabata": ModelSpec("kawabata", mc.kawabata, ("l_phi",), ("amplitude",), unit="S/m",
                          dimension=3),
    "kawabata-so": ModelSpec("kawabata-so", mc.kawabata_so, ("l_phi", "l_so"),
                             ("amplitude",), unit="S/m", dimension=3),
}


def model_spec(name: str) -> ModelSpec:
    """The :class:`ModelSpec` called ``name`` (InputError naming the choices otherwise)."""
    if name not in MODEL_SPECS:
        raise InputError(f"unknown model {name!r}; choose from {', '.join(MODEL_SPECS)}")
    return MODEL_SPECS[name]


def model_function(spec: ModelSpec, names, constants=None, background=False, offset=False):
    """A plain function ``f(B, *names[, c_bg][, c0])`` evaluating ``spec`` (for lmfit)."""
    constants = dict(constants or {})
    unknown = [c for c in constants
               if c not in spec.constants + spec.params + spec.optional]
    if unknown:
        raise InputError(f"model {spec.name!r} has no input {unknown[0]!r}")
    missing = [c for c in spec.constants if c not in constants]
    if missing:
        raise InputError(f"model {spec.name!r} needs the constant {missing[0]} "
                         f"(e.g. constants={{'{missing[0]}': 50e-9}}, in m)")
    names = tuple(names)

    def func(B, **kw):
        bg = kw.pop("c_bg", 0.0)
        c0 = kw.pop("c0", 0.0)
        out = spec.func(B, **kw, **constants)
        if background:
            out = out + bg * np.asarray(B, dtype=float) ** 2
        if offset:
            out = out + c0
        return out

    pars = [inspect.Parameter("B", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    pars += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names]
    if background:
        pars.append(inspect.Parameter("c_bg", inspect.Parameter.KEYWORD_ONLY))
    if offset:
        pars.append(inspect.Parameter("c0", inspect.Parameter.KEYWORD_ONLY))

    def wrapped(B, **kw):
        return func(B, **kw)

    wrapped.__signature__ = inspect.Signature(pars)
    wrapped.__name__ = spec.name.replace("-", "_")
    return wrapped


def build_model(name: str, *, include=(), constants=None, background=False, offset=False):
    """An :class:`lmfit.Model` for ``name`` with bounds on every parameter.

    Parameters
    ----------
    name : str
        Model name (see :data:`MODEL_SPECS`).
    include : iterable of str
        Optional parameters to add (free unless fixed later).
    constants : dict, optional
        Fixed inputs such as ``{"width": 50e-9}`` (m).
    background : bool
        Add ``c_bg * B**2``.
    offset : bool
        Add a constant ``c0`` (the error of the subtracted ``sigma(0)``).

    Returns
    -------
    (lmfit.Model, tuple of str)
        The model and its parameter names (``c_bg``, then ``c0``, last when present).
    """
    import lmfit

    spec = model_spec(name)
    include = tuple(include)
    bad = [p for p in include if p not in spec.optional]
    if bad:
        opts = ", ".join(spec.optional) or "none"
        raise InputError(f"model {name!r} has no optional parameter {bad[0]!r} "
                         f"(optional: {opts})")
    constants = dict(constants or {})
    names = spec.params + tuple(p for p in spec.optional if p in include)
    names = tuple(n for n in names if n not in constants)
    model = lmfit.Model(model_function(spec, names, constants, background, offset),
                        independent_vars=["B"])
    for n in names:
        lo, hi = parameter_bounds(n)
        model.set_param_hint(n, value=1.0 if n in _SCALES else 1e-7, min=lo, max=hi)
    if background:
        model.set_param_hint("c_bg", value=0.0)
        names = names + ("c_bg",)
    if offset:
        model.set_param_hint("c0", value=0.0)
        names = names + ("c0",)
    return model, names


def _grid_sizes(n):
    return {0: 1, 1: 48, 2: 20, 3: 8, 4: 6}.get(n, 5)


def _evaluate_grid(spec, B, lengths, combos, base, constants):
    """Model values at every grid point, shape (len(combos), len(B)); NaN where invalid."""
    kw = dict(base)
    kw.update({n: combos[:, j:j + 1] for j, n in enumerate(lengths)})
    try:
        with np.errstate(all="ignore"):
            return np.asarray(spec.func(B[None, :], **kw, **constants), dtype=float) \
                * np.ones((combos.shape[0], 1))
    except (TypeError, ValueError):  # scalar parameters only (ilp with l_so1): loop
        out = np.full((combos.shape[0], B.size), np.nan)
        for m, combo in enumerate(combos):
            kw = dict(base)
            kw.update(zip(lengths, combo))
            try:
                with np.errstate(all="ignore"):
                    out[m] = spec.func(B, **kw, **constants)
            except InputError:
                continue
        return out


def guess_parameters(name, B, y, *, names, fixed=None, constants=None, background=False,
                     weights=None, n_best=1):
    """Automatic starting values: a log grid over the lengths, linear ones solved exactly.

    The characteristic fields of the free lengths run over a log grid from a thirtieth of
    the smallest non-zero ``|B|`` to thirty times the largest; at every grid point the
    parameters that enter linearly (``alpha``, ``c_bg``) are found by linear least squares,
    and the grid point with the smallest weighted residual is returned.

    Parameters
    ----------
    name : str
        Model name.
    B, y : ndarray
        Field (T) and data.
    names : tuple of str
        Parameter names of the model (from :func:`build_model`).
    fixed : dict, optional
        Parameters held at given values.
    constants : dict, optional
        Model constants.
    background : bool
        Unused (``c_bg`` is recognized in ``names``); kept for symmetry with build_model.
    weights : ndarray, optional
        ``1/sigma`` of each point.

    n_best : int
        Return the ``n_best`` best grid points (a list of dicts, best first) instead of one
        dict, for multi-start fits.

    Returns
    -------
    dict or list of dict
        Starting value of every non-fixed parameter.
    """
    from itertools import product

    spec = model_spec(name)
    fixed = dict(fixed or {})
    constants = dict(constants or {})
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    b = np.abs(B)
    bpos = b[b > 0]
    if bpos.size == 0:
        raise InputError("every field is zero; the fit needs non-zero fields")
    lo, hi = bpos.min() / 30.0, b.max() * 30.0
    lengths = [n for n in names if n.startswith("l_") and n not in fixed]
    linear = [n for n in _SCALES + ("c_bg", "c0") if n in names and n not in fixed]
    scale = next((n for n in _SCALES if n in names), None)
    n = _grid_sizes(len(lengths))
    grid = field_to_length(np.geomspace(hi, lo, n))  # short to long lengths
    found = []
    base = {k: v for k, v in fixed.items() if k not in ("c_bg", "c0") and k in names}
    if scale is not None:
        base.setdefault(scale, 1.0)
    # (grid points, free lengths); one empty row when every length is fixed
    combos = np.array(list(product(grid, repeat=len(lengths))), dtype=float).reshape(
        len(grid) ** len(lengths), len(lengths))
    F = _evaluate_grid(spec, B, lengths, combos, base, constants)
    if scale is not None:
        F = F / base[scale]
    target = y - fixed.get("c_bg", 0.0) * B**2 - fixed.get("c0", 0.0)
    T = np.broadcast_to(target, F.shape)
    cols = []
    if scale in linear:
        cols.append(F)
    elif scale is not None:
        T = T - fixed[scale] * F
    else:
        T = T - F
    if "c_bg" in linear:
        cols.append(np.broadcast_to(B**2, F.shape))
    if "c0" in linear:
        cols.append(np.broadcast_to(np.ones_like(B), F.shape))
    Tw = T * w
    if cols:
        A = np.stack(cols, axis=-1) * w[None, :, None]  # (M, N, k)
        AtA = np.einsum("mnk,mnl->mkl", A, A)
        Atb = np.einsum("mnk,mn->mk", A, Tw)
        coef = np.einsum("mkl,ml->mk", np.linalg.pinv(AtA), Atb)
        resid = Tw - np.einsum("mnk,mk->mn", A, coef)
    else:
        coef = np.zeros((F.shape[0], 0))
        resid = Tw
    with np.errstate(invalid="ignore", over="ignore"):
        cost = np.sum(resid**2, axis=1)
    for m in np.flatnonzero(np.isfinite(cost)):
        cand = dict(zip(lengths, combos[m]))
        cand.update(zip(linear, coef[m]))
        found.append((float(cost[m]), cand))
    if not found:
        raise InputError(f"no starting values found for model {name!r}; give fix={name: value}")
    found.sort(key=lambda t: t[0])
    out = []
    for _, cand in found[:max(int(n_best), 1)]:
        if "alpha" in cand:
            cand["alpha"] = float(np.clip(cand["alpha"], *ALPHA_BOUNDS))
        if "amplitude" in cand:
            cand["amplitude"] = float(max(cand["amplitude"], 1e-12))
        out.append({k: float(v) for k, v in cand.items()})
    return out if n_best > 1 else out[0]
