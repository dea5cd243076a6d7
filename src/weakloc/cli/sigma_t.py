"""``weakloc sigma-t``: weak localization vs electron-electron interaction from sigma(T).

The JSON document holds the fitted quantities as ``{"value", "stderr", "unit"}``: in 2D
``slope_zero_field``, ``slope_field``, ``alpha_p``, ``a_ee`` (= 1 - 3F/4), ``f_sigma`` and,
with ``--p``, ``alpha``; in 1D/3D ``a_ee``, ``p``, ``wl_amplitude``, ``l_phi_1k`` and, with
``--diffusion``, ``f_sigma``.
"""

from __future__ import annotations

from weakloc.cli import add_json_flag

__all__ = ["register"]


def register(sub) -> None:
    from weakloc.cli._columns import add_reader_options
    from weakloc.fitting.data import TEMPERATURE_UNITS

    p = sub.add_parser(
        "sigma-t", help="sigma(T) at zero field: separate weak localization from the "
        "Altshuler-Aronov interaction correction",
        description="Fit sigma(T) at B = 0 and (optionally) in a field that kills weak "
        "localization: 2D slopes in ln T give alpha p and A_ee = 1 - 3F/4; 1D/3D power laws "
        "give the interaction amplitude, p and L_phi(1 K). SI units.")
    p.add_argument("file", metavar="FILE", help="CSV/TSV/whitespace data file")
    p.add_argument("--temperature", required=True, metavar="COL", help="temperature column")
    p.add_argument("--temperature-unit", default="K", choices=list(TEMPERATURE_UNITS))
    p.add_argument("--value", required=True, metavar="COL",
                   help="zero-field conductance (or resistance with --value-unit Ohm)")
    p.add_argument("--field-value", metavar="COL",
                   help="the same in a field that suppresses weak localization")
    add_reader_options(p)
    p.add_argument("--aspect", type=float, default=1.0, metavar="FACTOR",
                   help="sigma = G * FACTOR: L/W for a 2D bar, L (m) for a wire, L/A (1/m) "
                   "in 3D (default 1: the column is already sigma)")
    p.add_argument("--dim", type=int, choices=[1, 2, 3], default=2)
    p.add_argument("--p", type=float, metavar="P", help="dephasing exponent from the "
                   "magnetoconductance fit (L_phi ~ T^(-p/2))")
    p.add_argument("--p-stderr", type=float, default=0.0, metavar="S", help="its error")
    p.add_argument("--alpha", type=float, metavar="A",
                   help="1 orthogonal, -0.5 symplectic (2D without field data; 1D/3D L_phi)")
    p.add_argument("--diffusion", type=float, metavar="M2/S",
                   help="diffusion constant D (m^2/s; 1D/3D): converts a_ee to F_sigma")
    p.add_argument("--diffusion-stderr", type=float, default=0.0, metavar="M2/S",
                   help="its error (propagated into F_sigma)")
    p.add_argument("--plot", metavar="FILE", help="write sigma against T (PNG)")
    add_json_flag(p)
    p.set_defaults(handler=_sigma_t, text=_text)


def _sigma_t(args):
    import numpy as np

    from weakloc.cli._columns import conductance_si, read_roles
    from weakloc.errors import InputError
    from weakloc.fitting.sigma_t import fit_sigma_t

    if not (np.isfinite(args.aspect) and args.aspect > 0):
        raise InputError(f"--aspect must be positive, got {args.aspect:g}")
    cols = read_roles(args.file, {"t": args.temperature, "v": args.value,
                                  "f": args.field_value},
                      {"t": args.temperature_unit, "v": args.value_unit,
                       "f": args.value_unit if args.field_value else None}, args)
    T = cols["t"]

    def sigma(role):
        y = cols[role]
        ok = np.isfinite(T) & np.isfinite(y)
        return T[ok], conductance_si(y[ok], cols.units[role], cols.source) * args.aspect

    T0, s0 = sigma("v")
    Tf, sf = sigma("f") if args.field_value else (None, None)
    res = fit_sigma_t(T0, s0, dim=args.dim, temperature_field=Tf, sigma_field=sf, p=args.p,
                      p_stderr=args.p_stderr, alpha=args.alpha, diffusion=args.diffusion,
                      diffusion_stderr=args.diffusion_stderr)
    out = res.as_dict()
    doc = {"command": "sigma-t",
           "inputs": {**out.pop("inputs"), "file": args.file, "temperature": args.temperature,
                      "value": args.value, "field_value": args.field_value,
                      "value_unit": args.value_unit, "aspect": args.aspect},
           **out}
    if args.plot:
        from weakloc.plots import savefig
        from weakloc.plots.coherence import sigma_t_figure

        doc["plots"] = [savefig(sigma_t_figure(res), args.plot)]
    return doc


def _text(doc) -> str:
    skip = {"dim", "reduced_chi2", "points", "points_field", "unit", "inputs", "reliable",
            "notes", "plots", "command", "version"}
    lines = [f"sigma(T), {doc['dim']}D, {doc['points']} temperatures"]
    for k, e in doc.items():
        if k in skip or not isinstance(e, dict):
            continue
        err = "" if e["stderr"] is None else f" +- {e['stderr']:.2g}"
        lines.append(f"  {k} = {e['value']:.5g}{err} {e['unit']}")
    lines += [f"  note: {n}" for n in doc["notes"]]
    lines += [f"  figure: {p}" for p in doc.get("plots", [])]
    return "\n".join(lines)
