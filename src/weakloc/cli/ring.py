"""``weakloc ring``: h/e and h/2e oscillation amplitudes of a ring, and L_phi(T).

The JSON document holds ``h_over_e`` and ``h_over_2e`` (cosine amplitudes in S as
``{"value", "stderr", "unit"}``) of the first trace, ``traces`` with every trace (each with
``at_zero_field``: the signed band-passed values at B = 0, negative h/2e for a
weak-localization minimum), and with
three or more temperatures and ``--radius`` a ``dephasing`` block per detected harmonic
(``l_phi_1k``, ``p``, ``l_phi_m`` per temperature).
"""

from __future__ import annotations

from weakloc.cli import add_json_flag

__all__ = ["register"]


def register(sub) -> None:
    from weakloc.cli._columns import add_trace_options

    p = sub.add_parser(
        "ring", help="ring oscillations: h/e and h/2e amplitudes, L_phi from their T "
        "dependence",
        description="Fourier analysis of a ring's G(B) with the enclosed area as input: the "
        "Aharonov-Bohm (h/e) and Altshuler-Aronov-Spivak (h/2e) amplitudes separately; with "
        "a temperature series and the radius, L_phi(T) from exp(-pi r/L_phi) (h/e) and "
        "exp(-2 pi r/L_phi) (h/2e). SI units.")
    add_trace_options(p)
    p.add_argument("--area", required=True, type=float, metavar="M2",
                   help="enclosed area (m^2), mean of the inner and outer edges")
    p.add_argument("--area-spread", type=float, default=0.15, metavar="FRAC",
                   help="relative half-spread of the enclosed area (default 0.15)")
    p.add_argument("--radius", type=float, metavar="M", help="ring radius (m), for L_phi")
    p.add_argument("--temperature", metavar="COL", help="temperature column (K): one trace "
                   "per temperature")
    p.add_argument("--temperatures", metavar="T1,T2,...", help="temperature (K) of each FILE")
    p.add_argument("--p", type=float, metavar="P", help="hold the dephasing exponent")
    p.add_argument("--detrend", type=int, default=2, metavar="ORDER",
                   help="polynomial background removed (default 2)")
    p.add_argument("--plot", metavar="FILE", help="write the spectrum figure (PNG)")
    add_json_flag(p)
    p.set_defaults(handler=_ring, text=_text)


def _traces(args):
    import numpy as np

    from weakloc.cli._columns import conductance_si, group_rows, read_roles
    from weakloc.errors import InputError

    temps = None
    if args.temperatures:
        try:
            temps = [float(t) for t in args.temperatures.split(",")]
        except ValueError:
            raise InputError("--temperatures expects numbers separated by commas") from None
        if len(temps) != len(args.files):
            raise InputError(f"--temperatures has {len(temps)} values for {len(args.files)} "
                             "files; give one per file")
    out = []
    for j, path in enumerate(args.files):
        cols = read_roles(path, {"field": args.field, "value": args.value,
                                 "t": args.temperature},
                          {"field": args.field_unit, "value": args.value_unit}, args)
        G = conductance_si(cols["value"], cols.units["value"], cols.source)
        if args.temperature:
            for t, rows in group_rows(np.round(cols["t"], 6)):
                out.append((t, cols["field"][rows], G[rows], f"{cols.source} T = {t:g} K"))
        else:
            out.append((None if temps is None else temps[j], cols["field"], G, cols.source))
    return out


def _ring(args):
    import numpy as np

    from weakloc.fitting.rings import ring_dephasing, ring_harmonics

    results = []
    for t, B, G, label in _traces(args):
        ok = np.isfinite(B) & np.isfinite(G)
        r = ring_harmonics(B[ok], G[ok], area=args.area, area_spread=args.area_spread,
                           detrend=args.detrend)
        results.append((t, label, r))
    first = results[0][2].as_dict()
    doc = {"command": "ring",
           "inputs": {**first.pop("inputs"), "files": args.files, "field": args.field,
                      "value": args.value, "field_unit": args.field_unit,
                      "value_unit": args.value_unit, "radius_m": args.radius},
           "h_over_e": first["h_over_e"], "h_over_2e": first["h_over_2e"],
           "periods_T": first["periods_T"],
           "traces": [{"source": lab, "temperature_K": t, **{k: v for k, v in r.as_dict()
                                                             .items() if k != "inputs"}}
                      for t, lab, r in results],
           "notes": []}
    temps = [t for t, _, _ in results]
    if args.radius is not None and len(results) >= 3 and all(t is not None for t in temps):
        doc["dephasing"] = {}
        for name, nh in (("h_over_e", 1), ("h_over_2e", 2)):
            est = [getattr(r, name) for _, _, r in results]
            if any(e.value <= 2 * e.stderr for e in est):
                doc["notes"].append(f"{name}: not detected at every temperature; no L_phi "
                                    "from it")
                continue
            fit = ring_dephasing(temps, [e.value for e in est], [e.stderr for e in est],
                                 radius=args.radius, harmonic=nh, p=args.p)
            doc["dephasing"][name] = fit.as_dict()
    elif len(results) >= 3:
        doc["notes"].append("L_phi(T) needs --radius and a temperature for every trace")
    if args.plot:
        from weakloc.plots import savefig
        from weakloc.plots.coherence import ring_figure

        doc["plots"] = [savefig(ring_figure([(lab, r) for _, lab, r in results]), args.plot)]
    return doc


def _text(doc) -> str:
    lines = []
    for tr in doc["traces"]:
        a, b = tr["h_over_e"], tr["h_over_2e"]
        lines.append(f"{tr['source']}: h/e {a['value'] * 1e9:.4g} +- {a['stderr'] * 1e9:.2g} nS, "
                     f"h/2e {b['value'] * 1e9:.4g} +- {b['stderr'] * 1e9:.2g} nS")
        z = tr.get("at_zero_field", {}).get("h_over_2e")
        if z and z["stderr"] is not None:
            lines.append(f"  h/2e at B = 0: {z['value'] * 1e9:+.4g} +- {z['stderr'] * 1e9:.2g} nS "
                         "(negative: a weak-localization minimum)")
        lines += [f"  note: {n}" for n in tr["notes"]]
    for name, d in doc.get("dephasing", {}).items():
        lp = d["l_phi_1k"]
        lines.append(f"{name}: L_phi(1 K) = {lp['value'] * 1e9:.4g} +- "
                     f"{(lp['stderr'] or 0) * 1e9:.2g} nm, p = {d['p']['value']:.3g}")
    lines += [f"note: {n}" for n in doc["notes"]]
    lines += [f"figure: {p}" for p in doc.get("plots", [])]
    return "\n".join(lines)
