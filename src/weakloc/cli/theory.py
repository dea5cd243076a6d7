"""``weakloc theory``: evaluate the closed forms of :mod:`weakloc.theory` from the shell.

Every subcommand returns one document with the ``inputs`` (SI), the ``results`` as
``{"value": ..., "unit": ...}`` pairs, and (added by the CLI frame) the package version.
Magnetoconductance curves are written as CSV (to ``--csv FILE``, or to stdout without
``--json``).
"""

from __future__ import annotations

import csv
import io
import math

from weakloc.cli import add_json_flag
from weakloc.errors import InputError

__all__ = ["register"]

SYMMETRIES = ("orthogonal", "unitary", "symplectic")
#: most field points of a curve: 10^7 points are 320 MB of arrays and a 200 MB CSV
MAX_POINTS = 10_000_000


def _q(value, unit):
    return {"value": value, "unit": unit}


def register(sub) -> None:
    from weakloc.cli import ArgumentParser

    p = sub.add_parser(
        "theory",
        help="evaluate closed-form theory (WL correction, dephasing, magnetoconductance)",
        description="Evaluate the closed forms of weakloc.theory; SI units in and out.",
    )
    tsub = p.add_subparsers(dest="theory_command", metavar="SUBCOMMAND",
                            parser_class=ArgumentParser)
    p.set_defaults(handler=_missing_sub)

    s = tsub.add_parser("diffusion", help="mean free path and diffusion constant",
                        description="Mean free path l = v_F tau and D0 = v_F^2 tau / d.")
    s.add_argument("--v-fermi", type=float, required=True, help="Fermi velocity (m/s)")
    s.add_argument("--tau", type=float, required=True, help="elastic time (s)")
    s.add_argument("--dim", type=int, required=True, help="dimension 1, 2 or 3")
    _finish(s, _diffusion)

    s = tsub.add_parser("wl-correction", help="zero-field weak-localization correction",
                        description="Zero-field WL correction for d = 1, 2, 3 (units: "
                        "S m for d = 1, S per square for d = 2, S/m for d = 3).")
    s.add_argument("--dim", type=int, required=True, help="dimension 1, 2 or 3")
    s.add_argument("--tau", type=float, required=True, help="elastic time (s)")
    s.add_argument("--tau-phi", type=float, required=True, help="phase-coherence time (s)")
    s.add_argument("--diffusion", type=float, help="diffusion constant (m^2/s); "
                   "needed for d = 1, 3 and with --size")
    s.add_argument("--symmetry", default="orthogonal", help="orthogonal|unitary|symplectic")
    s.add_argument("--spin-degeneracy", type=int, default=2, help="1 or 2 (default 2)")
    s.add_argument("--size", type=float, help="system size L (m): cut at L^2/D")
    s.add_argument("--cutoff", default="exponential", help="exponential (default) | sharp")
    _finish(s, _wl_correction)

    s = tsub.add_parser("return-probability", help="P(0,t) = (4 pi D t)^(-d/2) and its "
                        "integral over [tau, tau_phi]",
                        description="Classical return probability density and its "
                        "closed-form integral over the coherent window.")
    s.add_argument("--dim", type=int, required=True, help="dimension 1, 2 or 3")
    s.add_argument("--diffusion", type=float, required=True, help="diffusion constant (m^2/s)")
    s.add_argument("--time", type=float, action="append", default=[], metavar="T",
                   help="time (s) at which to evaluate P(0,t) (repeatable)")
    s.add_argument("--tau", type=float, help="lower cutoff (s)")
    s.add_argument("--tau-phi", type=float, help="upper cutoff (s)")
    s.add_argument("--cutoff", default="sharp", help="sharp (default) | exponential")
    _finish(s, _return_probability)

    s = tsub.add_parser("beta", help="one-parameter scaling function beta(g) to order 1/g",
                        description="beta(g) = d - 2 - c/g, g in units of e^2/h.")
    s.add_argument("--g", type=float, required=True, help="conductance in units of e^2/h")
    s.add_argument("--dim", type=int, required=True, help="dimension 1, 2 or 3")
    s.add_argument("--symmetry", default="orthogonal", help="orthogonal|unitary|symplectic")
    s.add_argument("--spin-degeneracy", type=int, default=2, help="1 or 2 (default 2)")
    _finish(s, _beta)

    s = tsub.add_parser("dephasing", help="AAK Nyquist, electron-phonon and spin-flip rates",
                        description="Dephasing rates added as rates; with --diffusion also "
                        "L_phi and B_phi.")
    s.add_argument("--temperature", type=float, required=True, help="temperature (K)")
    s.add_argument("--r-sheet", type=float, help="sheet resistance (Ohm per square)")
    s.add_argument("--dim", type=int, default=2, help="2 (film, default) or 1 (wire)")
    s.add_argument("--width", type=float, help="wire width (m), for --dim 1")
    s.add_argument("--r-per-length", type=float, help="wire resistance per length (Ohm/m)")
    s.add_argument("--diffusion", type=float, help="diffusion constant (m^2/s)")
    s.add_argument("--eph-prefactor", type=float, help="electron-phonon A (s^-1 K^-p)")
    s.add_argument("--eph-exponent", type=float, default=3.0, help="electron-phonon p")
    s.add_argument("--tau-s", type=float, help="spin-flip time (s): adds 2/tau_s")
    _finish(s, _dephasing)

    s = tsub.add_parser("magnetoconductance", help="a magnetoconductance curve (CSV)",
                        description="Evaluate a model of weakloc.theory.magnetoconductance "
                        "on a field grid and write B_T, dsigma_S as CSV.")
    s.add_argument("--model", help="model name (see --list-models)")
    s.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="model parameter in SI (repeatable), e.g. l_phi=200e-9")
    s.add_argument("--list-models", action="store_true",
                   help="list the models and their parameters, then stop")
    _curve_args(s)
    _finish(s, _magnetoconductance, text=_curve_text)

    s = tsub.add_parser("hln", help="HLN curve alpha G0 f(B_phi/B) (CSV)",
                        description="Shortcut for --model hln: one-parameter HLN formula.")
    s.add_argument("--alpha", type=float, required=True,
                   help="HLN prefactor (1 orthogonal, 0 unitary, -0.5 one Dirac surface)")
    s.add_argument("--l-phi", type=float, required=True, help="phase-coherence length (m)")
    _curve_args(s)
    _finish(s, _hln, text=_curve_text)


def _finish(parser, handler, text=None):
    add_json_flag(parser)
    parser.set_defaults(handler=_in_range(handler), text=text)


def _in_range(handler):
    """Run ``handler`` with floating-point overflow and division by zero as errors: a
    result that left the range of doubles (an option off by many orders of magnitude, or
    not in SI) becomes one line instead of an inf or a NaN in the output."""
    import functools

    @functools.wraps(handler)
    def run(args):
        import numpy as np

        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                return handler(args)
        except (FloatingPointError, OverflowError, ZeroDivisionError) as exc:
            raise InputError(f"the numbers leave the range of floating point ({exc}); check "
                             "that every option is in SI units and of a sensible size") from None

    return run


def _curve_args(s):
    s.add_argument("--bmax", type=float, required=False, help="largest field (T)")
    s.add_argument("--points", type=int, default=201, help="number of fields (default 201)")
    s.add_argument("--symmetric", action="store_true", help="grid from -bmax to bmax")
    s.add_argument("--csv", metavar="FILE", help="write the curve to FILE")


def _missing_sub(args):
    raise InputError("choose a subcommand: diffusion, wl-correction, return-probability, "
                     "beta, dephasing, magnetoconductance, hln (see 'weakloc theory --help')")


def _diffusion(args):
    from weakloc.theory import diffusion_constant, mean_free_path

    l_e = float(mean_free_path(args.v_fermi, args.tau))
    D = float(diffusion_constant(args.v_fermi, args.tau, args.dim))
    return {
        "command": "theory diffusion",
        "inputs": {"v_fermi_m_per_s": args.v_fermi, "tau_s": args.tau, "dim": args.dim},
        "results": {"mean_free_path": _q(l_e, "m"), "diffusion": _q(D, "m^2/s")},
    }


def _wl_correction(args):
    from weakloc.theory import WL_CORRECTION_UNITS, phase_coherence_length, wl_correction
    from weakloc.units import E2_OVER_H, G0

    val = float(wl_correction(args.dim, args.tau, args.tau_phi, diffusion=args.diffusion,
                              symmetry=args.symmetry, spin_degeneracy=args.spin_degeneracy,
                              size=args.size, cutoff=args.cutoff))
    unit = WL_CORRECTION_UNITS[args.dim]
    res = {"delta_sigma": _q(val, unit)}
    if args.dim == 2:
        res["delta_sigma_in_G0"] = _q(val / G0, "e^2/(pi h)")
        res["delta_sigma_in_e2_over_h"] = _q(val / E2_OVER_H, "e^2/h")
    if args.diffusion is not None:
        res["l_phi"] = _q(float(phase_coherence_length(args.diffusion, args.tau_phi)), "m")
    return {
        "command": "theory wl-correction",
        "inputs": {"dim": args.dim, "tau_s": args.tau, "tau_phi_s": args.tau_phi,
                   "diffusion_m2_per_s": args.diffusion, "symmetry": args.symmetry,
                   "spin_degeneracy": args.spin_degeneracy, "size_m": args.size,
                   "cutoff": args.cutoff},
        "results": res,
    }


def _return_probability(args):
    from weakloc._validate import dimension
    from weakloc.theory import integrated_return_probability, return_probability

    d = dimension(args.dim)
    res = {}
    if args.time:
        res["times"] = _q(list(args.time), "s")
        res["return_probability"] = _q(
            return_probability(args.time, args.diffusion, d).tolist(), f"m^-{d}")
    if (args.tau is None) != (args.tau_phi is None):
        raise InputError("give both --tau and --tau-phi for the integrated return probability")
    if args.tau is not None:
        res["integrated"] = _q(float(integrated_return_probability(
            args.tau, args.tau_phi, args.diffusion, d, cutoff=args.cutoff)), f"s m^-{d}")
    if not res:
        raise InputError("nothing to compute: give --time T and/or --tau and --tau-phi")
    return {
        "command": "theory return-probability",
        "inputs": {"dim": d, "diffusion_m2_per_s": args.diffusion, "times_s": args.time,
                   "tau_s": args.tau, "tau_phi_s": args.tau_phi, "cutoff": args.cutoff},
        "results": res,
    }


def _beta(args):
    from weakloc.theory import beta_function

    val = float(beta_function(args.g, args.dim, symmetry=args.symmetry,
                              spin_degeneracy=args.spin_degeneracy))
    return {
        "command": "theory beta",
        "inputs": {"g_e2_over_h": args.g, "dim": args.dim, "symmetry": args.symmetry,
                   "spin_degeneracy": args.spin_degeneracy},
        "results": {"beta": _q(val, "1")},
    }


def _dephasing(args):
    from weakloc.theory import (
        dephasing_field,
        dephasing_length,
        electron_phonon_rate,
        nyquist_rate_1d,
        nyquist_rate_2d,
        spin_flip_rate,
        total_dephasing_rate,
    )

    rates = {}
    if args.dim == 2:
        if args.r_sheet is None:
            raise InputError("the 2D Nyquist rate needs --r-sheet (Ohm per square)")
        rates["nyquist_2d"] = float(nyquist_rate_2d(args.temperature, args.r_sheet))
    elif args.dim == 1:
        if args.diffusion is None:
            raise InputError("the 1D Nyquist rate needs --diffusion (m^2/s)")
        rates["nyquist_1d"] = float(nyquist_rate_1d(
            args.temperature, args.diffusion, r_sheet=args.r_sheet, width=args.width,
            r_per_length=args.r_per_length))
    else:
        raise InputError(f"--dim must be 1 (wire) or 2 (film), got {args.dim}")
    if args.eph_prefactor is not None:
        rates["electron_phonon"] = float(electron_phonon_rate(
            args.temperature, args.eph_prefactor, args.eph_exponent))
    if args.tau_s is not None:
        rates["spin_flip"] = float(spin_flip_rate(args.tau_s))
    total = float(total_dephasing_rate(*rates.values()))
    res = {f"rate_{k}": _q(r, "1/s") for k, r in rates.items()}
    res["rate_total"] = _q(total, "1/s")
    res["tau_phi"] = _q(1.0 / total, "s")
    if args.diffusion is not None:
        res["l_phi"] = _q(float(dephasing_length(total, args.diffusion)), "m")
        res["b_phi"] = _q(float(dephasing_field(total, args.diffusion)), "T")
    return {
        "command": "theory dephasing",
        "inputs": {"temperature_K": args.temperature, "r_sheet_ohm": args.r_sheet,
                   "dim": args.dim, "width_m": args.width,
                   "r_per_length_ohm_per_m": args.r_per_length,
                   "diffusion_m2_per_s": args.diffusion,
                   "eph_prefactor": args.eph_prefactor, "eph_exponent": args.eph_exponent,
                   "tau_s_s": args.tau_s},
        "results": res,
    }


def _parse_params(items) -> dict:
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            raise InputError(f"--param needs NAME=VALUE, got {item!r}")
        if name in params:
            raise InputError(f"--param {name} is given twice; give each parameter once")
        try:
            params[name] = float(value)
        except ValueError:
            raise InputError(f"--param {name}: {value!r} is not a number") from None
        if math.isnan(params[name]):
            raise InputError(f"--param {name} is NaN; give a number")
    return params


def _models():
    from weakloc.theory import magnetoconductance as mc

    models = getattr(mc, "MODELS", None)
    if not models:
        raise InputError("no magnetoconductance models in this installation; update weakloc")
    return models


def _field_grid(args):
    import numpy as np

    from weakloc._validate import positive, positive_int

    if args.bmax is None:
        raise InputError("give --bmax TESLA (the largest field of the curve)")
    bmax = float(positive("--bmax", args.bmax, "T"))
    n = positive_int("--points", args.points, minimum=2)
    if n > MAX_POINTS:
        raise InputError(f"--points {n} would hold about {n * 8 * 4 / 1e9:.3g} GB of curves "
                         f"and print {n} rows; give at most {MAX_POINTS:.0e}")
    lo = -bmax if args.symmetric else 0.0
    return np.linspace(lo, bmax, n)


def _curve(model_name, func, params, args):
    import inspect

    sig = inspect.signature(func)
    names = list(sig.parameters)[1:]
    unknown = [k for k in params if k not in names]
    if unknown:
        raise InputError(f"model {model_name!r} has no parameter {unknown[0]!r}; "
                         f"its parameters are {', '.join(names)}")
    missing = [k for k in names if k not in params
               and sig.parameters[k].default is inspect.Parameter.empty]
    if missing:
        raise InputError(f"model {model_name!r} needs --param {missing[0]}=VALUE (SI)")
    B = _field_grid(args)
    dsigma = func(B, **params)
    unit = _unit(model_name, params)
    doc = {
        "command": f"theory {args.theory_command}",
        "inputs": {"model": model_name, "params": params, "bmax_T": float(abs(B[-1])),
                   "points": len(B), "symmetric": bool(args.symmetric), "csv": args.csv},
        "results": {"B": _q(B.tolist(), "T"), "dsigma": _q(list(map(float, dsigma)), unit)},
    }
    if args.csv:
        from weakloc.io import write_text

        write_text(args.csv, _csv_text(B, dsigma, unit))
    return doc


#: unit of each model's result where it is not a sheet conductance (S per square)
_MODEL_UNITS = {"wire": "S m", "kawabata": "S/m"}


def _unit(model_name, params) -> str:
    if model_name == "wire" and params.get("length") is not None:
        return "S"  # conductance change of a wire of the given length
    return _MODEL_UNITS.get(model_name, "S")


def _csv_text(B, dsigma, unit="S") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["B_T", "dsigma_" + unit.replace("/", "_per_").replace(" ", "_")])
    for b, s in zip(B, dsigma):
        w.writerow([f"{b:.9g}", f"{s:.9g}"])
    return buf.getvalue()


def _list_models_doc(models):
    import inspect

    return {
        "command": "theory magnetoconductance --list-models",
        "inputs": {},
        "results": {name: list(inspect.signature(f).parameters)[1:]
                    for name, f in models.items()},
    }


def _magnetoconductance(args):
    models = _models()
    if args.list_models:
        return _list_models_doc(models)
    if args.model is None:
        raise InputError(f"give --model NAME; choose from {', '.join(models)}")
    if args.model not in models:
        raise InputError(f"unknown model {args.model!r}; choose from {', '.join(models)}")
    return _curve(args.model, models[args.model], _parse_params(args.param), args)


def _hln(args):
    from weakloc.theory import magnetoconductance as mc

    if not hasattr(mc, "hln"):
        raise InputError("the HLN formula is missing from this installation; update weakloc")
    return _curve("hln", mc.hln, {"alpha": args.alpha, "l_phi": args.l_phi}, args)


def _curve_text(doc) -> str:
    if "B" not in doc.get("results", {}):  # --list-models
        return "\n".join(f"{k}: {', '.join(v)}" for k, v in doc["results"].items())
    if doc["inputs"].get("csv"):
        r = doc["results"]
        return (f"wrote {doc['inputs']['points']} points of {doc['inputs']['model']} "
                f"(B in T, dsigma in {r['dsigma']['unit']}) to {doc['inputs']['csv']}; "
                f"dsigma(Bmax) = {r['dsigma']['value'][-1]:.6g} {r['dsigma']['unit']}")
    r = doc["results"]
    return _csv_text(r["B"]["value"], r["dsigma"]["value"], r["dsigma"]["unit"]).rstrip("\n")

