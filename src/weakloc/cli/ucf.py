"""``weakloc ucf``: correlation field, rms and L_phi from conductance fingerprints G(B).

The JSON document holds ``correlation_field``, ``rms`` and ``l_phi`` (and ``l_phi_rms``) as
``{"value", "stderr", "unit"}`` in SI, the number of independent fluctuations, the
autocorrelation with the theory curve, ``reliable`` and ``notes``.
"""

from __future__ import annotations

from weakloc.cli import add_json_flag

__all__ = ["register"]


def register(sub) -> None:
    from weakloc.cli._columns import add_trace_options

    p = sub.add_parser(
        "ucf", help="conductance fluctuations: correlation field B_c, rms and L_phi",
        description="Read one or several magnetofingerprints G(B) (files, or a --trace column "
        "such as a gate voltage), form the autocorrelation of delta G and read B_c (half of "
        "the zero-lag value), the rms and L_phi (Lee-Stone-Fukuyama; Beenakker-van Houten "
        "for wires). SI units in and out.")
    add_trace_options(p)
    p.add_argument("--trace", metavar="COL", help="column labelling the traces (gate voltage)")
    p.add_argument("--dim", type=int, choices=[1, 2], default=2,
                   help="1: wire (W << L_phi), 2: film (default)")
    p.add_argument("--width", type=float, metavar="M", help="sample width (m)")
    p.add_argument("--length", type=float, metavar="M",
                   help="length between the contacts (m), for L_phi from the rms")
    p.add_argument("--temperature-k", type=float, metavar="T",
                   help="temperature (K); with --diffusion gives L_T = sqrt(hbar D / k_B T)")
    p.add_argument("--diffusion", type=float, metavar="D", help="diffusion constant (m^2/s)")
    p.add_argument("--spin-degeneracy", type=int, choices=[1, 2], default=2,
                   help="identical spin directions (default 2)")
    p.add_argument("--detrend", type=int, default=1, metavar="ORDER",
                   help="polynomial background removed per trace (default 1)")
    p.add_argument("--plot", metavar="FILE", help="write the autocorrelation figure (PNG)")
    add_json_flag(p)
    p.set_defaults(handler=_ucf, text=_text)


def _ucf(args):
    from weakloc.cli._columns import conductance_si, group_rows, read_roles
    from weakloc.errors import InputError
    from weakloc.fitting.ucf import analyze_ucf
    from weakloc.theory.fluctuations import thermal_length

    if (args.temperature_k is None) != (args.diffusion is None):
        raise InputError("thermal smearing needs both --temperature-k and --diffusion "
                         "(or neither: L_T >> L_phi)")
    l_t = None if args.temperature_k is None else float(thermal_length(args.diffusion,
                                                                         args.temperature_k))
    traces, labels = [], []
    for path in args.files:
        cols = read_roles(path, {"field": args.field, "value": args.value,
                                 "trace": args.trace},
                          {"field": args.field_unit, "value": args.value_unit}, args)
        G = conductance_si(cols["value"], cols.units["value"], cols.source)
        if args.trace:
            for key, rows in group_rows(cols["trace"]):
                traces.append((cols["field"][rows], G[rows]))
                labels.append(f"{cols.source} ({args.trace} = {key:g})")
        else:
            traces.append((cols["field"], G))
            labels.append(cols.source)
    res = analyze_ucf(traces, dim=args.dim, width=args.width, length=args.length, l_t=l_t,
                      spin_degeneracy=args.spin_degeneracy, detrend=args.detrend)
    out = res.as_dict()
    doc = {"command": "ucf",
           "inputs": {**out.pop("inputs"), "files": args.files, "field": args.field,
                      "value": args.value, "trace": args.trace, "field_unit": args.field_unit,
                      "value_unit": args.value_unit, "temperature_K": args.temperature_k,
                      "diffusion_m2_per_s": args.diffusion, "l_t_m": l_t,
                      "traces": labels},
           **out}
    if args.plot:
        from weakloc.plots import savefig
        from weakloc.plots.coherence import ucf_figure

        doc["plots"] = [savefig(ucf_figure(res), args.plot)]
    return doc


def _est(name, e, scale=1.0, unit=""):
    if e is None:
        return f"{name}: not determined"
    err = "" if e["stderr"] is None else f" +- {e['stderr'] * scale:.2g}"
    return f"{name} = {e['value'] * scale:.4g}{err} {unit}"


def _text(doc) -> str:
    lines = [f"{doc['traces']} trace(s), {doc['independent_fluctuations']:.0f} independent "
             "fluctuations",
             "  " + _est("B_c", doc["correlation_field"], 1e3, "mT"),
             "  " + _est("rms", doc["rms"], 1e6, "uS"),
             "  " + _est("L_phi (from B_c)", doc["l_phi"], 1e9, "nm")]
    if doc.get("l_phi_rms"):
        lines.append("  " + _est("L_phi (from rms)", doc["l_phi_rms"], 1e9, "nm"))
    lines.append(f"  reliable: {doc['reliable']}")
    lines += [f"  note: {n}" for n in doc["notes"]]
    lines += [f"  figure: {p}" for p in doc.get("plots", [])]
    return "\n".join(lines)
