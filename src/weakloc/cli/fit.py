"""``weakloc fit``: fit measured magnetoconductance files (thin layer over weakloc.fitting).

The JSON document holds ``model``, ``inputs``, ``fits`` (one per curve: ``temperature``,
``parameters`` as ``{"value", "stderr", "unit"}`` in SI with snake_case keys, ``derived``,
``correlation``, ``reduced_chi2``, ``points``, ``field_window``, ``preparation``), and with
three or more temperatures ``dephasing`` (``p``, ``p_stderr``, saturation, hint).
"""

from __future__ import annotations

import argparse
import math
import warnings

from weakloc.cli import add_json_flag
from weakloc.errors import InputError

__all__ = ["register", "parse_assignments", "parse_fix"]


def register(sub) -> None:
    from weakloc.fitting.data import QUANTITIES
    from weakloc.fitting.models import MODEL_SPECS
    from weakloc.fitting.table import VALUE_UNITS
    from weakloc.units import FIELD_UNITS

    p = sub.add_parser(
        "fit", help="fit magnetoconductance data: L_phi, L_so, alpha with uncertainties",
        description="Read magnetotransport data, prepare the sheet magnetoconductance and fit "
        "a weak-(anti)localization model; with a temperature column also L_phi(T) = A "
        "T^(-p/2). SI units in and out (fields per --field-unit).")
    p.add_argument("files", nargs="+", metavar="FILE", help="CSV/TSV/whitespace data files")
    p.add_argument("--model", required=True, choices=list(MODEL_SPECS), metavar="NAME",
                   help=f"model: {', '.join(MODEL_SPECS)}")
    p.add_argument("--field", required=True, metavar="COL",
                   help="field column: header name or 1-based number")
    p.add_argument("--value", required=True, metavar="COL",
                   help="value column: header name or 1-based number")
    p.add_argument("--temperature", metavar="COL", help="temperature column (K), name or "
                   "number: one curve per temperature")
    p.add_argument("--temperatures", metavar="T1,T2,...|names", help="temperature (K) of "
                   "each FILE, when each file holds one temperature; 'names' reads them from "
                   "the file names (MR_1.5K.dat, run_300mK.csv)")
    p.add_argument("--layout", choices=["columns", "rows"], default="columns",
                   help="'rows' when each line of the file holds one quantity")
    p.add_argument("--value-unit", choices=list(VALUE_UNITS), metavar="UNIT",
                   help=f"unit of the value (and Hall) column: {', '.join(VALUE_UNITS)} "
                   "(G0 = e^2/(pi h); V needs --current); default SI (S or Ohm)")
    p.add_argument("--current", type=float, metavar="AMPS",
                   help="excitation current (A) for --value-unit V: R = V / I")
    p.add_argument("--field-unit", default="T", choices=list(FIELD_UNITS),
                   help="unit of the field column (default T)")
    p.add_argument("--quantity", default="dsigma", choices=list(QUANTITIES),
                   help="what the value column holds, in SI (default dsigma)")
    p.add_argument("--aspect", type=float, metavar="L_OVER_W",
                   help="geometric factor: L/W of a bar (wire: length in m; 3D: L/A in 1/m)")
    p.add_argument("--hall", metavar="COL", help="Hall resistance column (Ohm) for the "
                   "resistivity-tensor inversion")
    p.add_argument("--bmax", type=float, metavar="TESLA", help="fit only |B| <= TESLA")
    p.add_argument("--background", action="store_true", help="fit a classical c_bg B^2 term")
    p.add_argument("--fix", action="append", default=[], metavar="NAME[@T]=VALUE",
                   help="hold a parameter (SI; inf allowed for lengths) on every curve, or "
                   "with @T on the curve at temperature T (K) only; repeatable")
    p.add_argument("--include", action="append", default=[], metavar="NAME",
                   help="fit an optional parameter (l_s, l_e, l_so1), repeatable")
    p.add_argument("--share", action="append", default=[], metavar="NAME",
                   help="share a parameter across temperatures (global fit), repeatable")
    p.add_argument("--const", action="append", default=[], metavar="NAME=VALUE",
                   help="model constant, e.g. width=50e-9 for the wire model (m)")
    p.add_argument("--no-symmetrize", action="store_true", help="skip (R(B)+R(-B))/2")
    p.add_argument("--no-subtract", action="store_true", help="keep sigma(0) in the data")
    p.add_argument("--offset", action="store_true",
                   help="fit a free offset c0 (the error of sigma(0)); off by default, as it "
                   "is nearly degenerate with l_phi when the window starts above B_phi")
    p.add_argument("--no-offset", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--zero", choices=["local", "point"], default="local",
                   help="sigma(0): local a + b B^2 fit near B = 0 (default) or the point "
                   "at B = 0")
    p.add_argument("--no-systematic", action="store_true",
                   help="skip the systematic scan (field window halved/doubled, sigma(0) "
                   "choice, offset), which reports a 'systematic' error per parameter")
    p.add_argument("--diffusion", type=float, metavar="D",
                   help="diffusion constant (m^2/s): adds tau_phi = L_phi^2 / D")
    p.add_argument("--max-nfev", type=int, metavar="N", help="limit function evaluations")
    p.add_argument("--plot", metavar="FILE", help="write the data-and-model figure (PNG); "
                   "with a temperature series also FILE_lphi.png")
    add_json_flag(p)
    p.set_defaults(handler=_fit, text=_text)


def parse_assignments(items, what="--fix") -> dict:
    """``["l_so=1e-7", ...]`` -> ``{"l_so": 1e-7}`` (``inf`` allowed; a name given twice is
    refused, never last-wins)."""
    out = {}
    for item in items:
        name, sep, val = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"{what} expects NAME=VALUE, got {item!r}")
        if name in out:
            raise InputError(f"{what} {name} given twice; give each name once")
        try:
            out[name] = float(val)
        except ValueError:
            raise InputError(f"{what} {name}: {val!r} is not a number (SI units)") from None
        if math.isnan(out[name]):
            raise InputError(f"{what} {name}: NaN is not a value")
    return out


def parse_fix(items):
    """``--fix`` values -> ``(fix, fix_at)``: ``NAME=VALUE`` for every curve and
    ``NAME@T=VALUE`` -> ``{T: {NAME: VALUE}}`` for the curve at temperature ``T`` (K)."""
    plain, at = [], {}
    for item in items:
        head, sep, val = item.partition("=")
        name, amp, temp = head.partition("@")
        if not amp:
            plain.append(item)
            continue
        try:
            T = float(temp)
        except ValueError:
            raise InputError(f"--fix {head}: {temp!r} is not a temperature (K)") from None
        if not (math.isfinite(T) and T > 0):
            raise InputError(f"--fix {head}: the temperature must be finite and > 0 (K)")
        one = parse_assignments([f"{name}{sep}{val}"])
        if name.strip() in at.get(T, {}):
            raise InputError(f"--fix {name.strip()}@{T:g} given twice; give it once")
        at.setdefault(T, {}).update(one)
    return parse_assignments(plain), at


def _fit(args):
    from weakloc.fitting.data import load_curves
    from weakloc.fitting.temperature import fit_series

    fix, fix_at = parse_fix(args.fix)
    consts = parse_assignments(args.const, "--const")
    if args.diffusion is not None and not (math.isfinite(args.diffusion)
                                           and args.diffusion > 0):
        raise InputError(f"--diffusion must be a positive number of m^2/s, got "
                         f"{args.diffusion!r}")
    if args.offset and args.no_offset:
        raise InputError("give either --offset or --no-offset (the default), not both")
    if args.temperature and args.temperatures:
        raise InputError("give either --temperature COL or --temperatures, not both")
    temps = None
    if args.temperatures and args.temperatures.strip() == "names":
        from weakloc.fitting.table import temperature_from_name

        temps = [temperature_from_name(f) for f in args.files]
        missing = [f for f, t in zip(args.files, temps) if t is None]
        if missing:
            raise InputError(f"--temperatures names: no single temperature like '1.5K' or "
                             f"'300mK' in the file name {missing[0]!r}; give T1,T2,...")
    elif args.temperatures:
        try:
            temps = [float(t) for t in args.temperatures.split(",")]
        except ValueError:
            raise InputError("--temperatures expects numbers separated by commas") from None
        if not all(math.isfinite(t) and t > 0 for t in temps):
            raise InputError("--temperatures must be finite and > 0 (K)")
        if len(temps) != len(args.files):
            raise InputError(f"--temperatures has {len(temps)} values for "
                             f"{len(args.files)} files; give one per file")
    opts = dict(quantity=args.quantity, aspect=args.aspect, field_unit=args.field_unit,
                value_unit=args.value_unit, current=args.current,
                symmetrize=not args.no_symmetrize, subtract_zero=not args.no_subtract,
                bmax=args.bmax, zero=args.zero)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        curves = load_curves(args.files, field=args.field, value=args.value,
                             temperature=args.temperature, hall=args.hall,
                             layout=args.layout, **opts)
        if temps is not None:
            curves = sorted((_with_temperature(c, t) for c, t in zip(curves, temps)),
                            key=lambda c: c.temperature)
        series = fit_series(curves, args.model, shared=args.share, fix=fix, fix_at=fix_at,
                            include=args.include, constants=consts,
                            background=args.background, offset=args.offset,
                            max_nfev=args.max_nfev, systematic=not args.no_systematic,
                            progress=False if args.json else None)
    notes = list(dict.fromkeys(str(w.message).splitlines()[0] for w in caught))
    notes += [w for f in series.fits for w in f.warnings if w not in notes]
    speak = getattr(args, "speak", str)     # the library's argument names as our flags
    notes = [speak(n) for n in notes]
    if notes and not args.json:
        import sys

        for n in notes:
            print(f"weakloc fit: warning: {n}", file=sys.stderr)
    doc = {
        "command": "fit",
        "model": args.model,
        "inputs": {"files": args.files, "field": args.field, "value": args.value,
                   "temperature": args.temperature, "temperatures": temps,
                   "hall": args.hall, "field_unit": args.field_unit, "layout": args.layout,
                   "value_unit": args.value_unit, "current_A": args.current,
                   "quantity": args.quantity, "aspect": args.aspect, "bmax_T": args.bmax,
                   "fix": fix, "fix_at": {f"{T:g}": v for T, v in fix_at.items()},
                   "include": args.include, "share": args.share, "zero": args.zero,
                   "systematic": not args.no_systematic,
                   "constants": consts, "background": args.background,
                   "symmetrize": not args.no_symmetrize, "subtract_zero": not args.no_subtract,
                   "offset": args.offset, "diffusion_m2_per_s": args.diffusion},
        "fits": [f.as_dict(args.diffusion) for f in series.fits],
        "reduced_chi2": series.reduced_chi2,
        "reliable": series.reliable,
        "warnings": notes,
    }
    if series.dephasing is not None:
        doc["dephasing"] = series.dephasing.as_dict()
    if args.plot:
        doc["plots"] = _plots(args.plot, series)
    return doc


def _with_temperature(curve, t):
    import dataclasses

    return dataclasses.replace(curve, temperature=t, source=f"{curve.source} (T = {t:g} K)")


def _plots(path, series):
    from pathlib import Path

    import numpy as np

    from weakloc.plots import savefig
    from weakloc.plots.fitting import fit_figure, l_phi_temperature_figure

    path = Path(path)
    out = [savefig(fit_figure(series.fits), path)]
    if series.dephasing is not None:
        T = [f.temperature for f in series.fits]
        L = [f.value("l_phi") for f in series.fits]
        sL = [f.total_error("l_phi") for f in series.fits]  # stat and sys in quadrature
        lp = path.with_name(f"{path.stem}_lphi{path.suffix or '.png'}")
        out.append(savefig(l_phi_temperature_figure(np.array(T), L, sL, series.dephasing), lp))
    return out


def _fmt(name, est):
    v, e, u = est["value"], est["stderr"], est["unit"]
    if u == "m":
        s = f"{name} = {v * 1e9:.5g}"
        s += f" +- {e * 1e9:.2g} nm" if e is not None else " nm"
    else:
        s = f"{name} = {v:.5g}"
        s += f" +- {e:.2g}" if e is not None else ""
        s += "" if u == "1" else f" {u}"
    sys_ = est.get("systematic")
    if sys_ is not None:
        s += f" (sys {sys_ * 1e9:.2g} nm)" if u == "m" else f" (sys {sys_:.2g})"
    return s + (" (fixed)" if est.get("fixed") else "")


def _text(doc) -> str:
    lines = [f"model {doc['model']}: {len(doc['fits'])} curve(s)"
             + ("" if doc.get("reliable", True) else "; UNRELIABLE, see the reasons")]
    for f in doc["fits"]:
        head = f"T = {f['temperature']:.4g} K" if f["temperature"] is not None else "curve"
        pars = ", ".join(_fmt(k, v) for k, v in f["parameters"].items())
        for r in f.get("reasons", []):
            lines.append(f"  {head}: not reliable: {r}")
        der = ", ".join(_fmt(k, v) for k, v in f["derived"].items() if k == "b_phi")
        lines.append(f"  {head}: {pars}; {der}; reduced chi2 {f['reduced_chi2']:.3g}, "
                     f"{f['points']} points, |B| <= {f['field_window']['max']:.3g} T")
    dep = doc.get("dephasing")
    if dep:
        lines.append(f"  L_phi(T) = A T^(-p/2): p = {dep['p']:.3f} +- {dep['p_stderr']:.3f}")
        lines.append(f"  {dep['hint']}")
    for p in doc.get("plots", []):
        lines.append(f"  figure: {p}")
    return "\n".join(lines)
