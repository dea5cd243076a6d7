"""``weakloc fit-cone``: k l_tr, absorption length and enhancement from a measured CBS cone.

The JSON document holds, for the first ``--intensity`` column, ``kl``, ``l_tr``,
``absorption_length``, ``enhancement``, ``background`` and ``center`` as ``{"value",
"stderr", "unit"}`` (SI; ``kl`` and ``enhancement`` dimensionless), and ``channels`` with
the same for every intensity column (one per polarization channel).

``--channel co|cross``, one per ``--intensity``, names each column's polarization channel
(default ``co``). A ``cross`` column (helicity flip, linear perpendicular) is fitted with a
depolarization length for its rounded top; when a ``co`` column is given too, the cross
fits hold k l_tr (and, with absorption, L_a/l_tr) at the first co column's values.
"""

from __future__ import annotations

import math

from weakloc.cli import add_json_flag

__all__ = ["register", "ANGLE_UNITS"]

#: Angle units -> factor to rad.
ANGLE_UNITS = {"rad": 1.0, "mrad": 1e-3, "deg": math.pi / 180}


def register(sub) -> None:
    from weakloc.cli._columns import add_reader_options

    p = sub.add_parser(
        "fit-cone", help="fit an optical backscattering cone: k l_tr, absorption length, "
        "enhancement",
        description="Fit a measured coherent-backscattering cone I(theta) with the "
        "Akkermans-Wolf-Maynard diffusion line shape (absorption, optional finite slab, "
        "Gaussian angular resolution): k l_tr, l_tr and the diffusive absorption length "
        "L_a in m, the enhancement factor. One fit per --intensity column (polarization "
        "channel).")
    p.add_argument("file", metavar="FILE", help="CSV/TSV/whitespace data file")
    p.add_argument("--angle", required=True, metavar="COL", help="angle column (name or number)")
    p.add_argument("--intensity", required=True, action="append", metavar="COL",
                   help="intensity column; repeat for several polarization channels")
    p.add_argument("--stderr", action="append", default=[], metavar="COL",
                   help="per-point error column, one per --intensity (default: from the "
                   "scatter)")
    p.add_argument("--angle-unit", default="rad", choices=list(ANGLE_UNITS),
                   help="unit of the angle column (default rad)")
    p.add_argument("--wavelength", required=True, type=float, metavar="M",
                   help="wavelength in the medium (m)")
    p.add_argument("--resolution", type=float, default=0.0, metavar="RAD",
                   help="standard deviation of the angular resolution (rad)")
    p.add_argument("--no-absorption", action="store_true",
                   help="fit without absorption (L_a = infinity)")
    p.add_argument("--thickness", type=float, metavar="M", help="slab thickness (m); default "
                   "a half-space")
    p.add_argument("--channel", action="append", default=[], choices=["co", "cross"],
                   help="polarization channel of each --intensity column, in order: co "
                   "(helicity preserving, linear parallel; default) or cross (helicity flip, "
                   "linear perpendicular: rounded top, fitted with a depolarization length)")
    p.add_argument("--no-center", action="store_true",
                   help="angles are measured from exact backscattering (do not fit the centre)")
    add_reader_options(p, value_units=False)
    p.add_argument("--plot", metavar="FILE", help="write the data-and-fit figure (PNG)")
    add_json_flag(p)
    p.set_defaults(handler=_fit_cone, text=_text)


def _fit_cone(args):
    import numpy as np

    from weakloc.cli._columns import read_roles
    from weakloc.errors import InputError
    from weakloc.fitting.cone import fit_cone

    if args.stderr and len(args.stderr) != len(args.intensity):
        raise InputError(f"{len(args.stderr)} --stderr columns for {len(args.intensity)} "
                         "--intensity columns; give one per channel or none")
    roles = {"angle": args.angle}
    roles.update({f"i{j}": c for j, c in enumerate(args.intensity)})
    roles.update({f"s{j}": c for j, c in enumerate(args.stderr)})
    cols = read_roles(args.file, roles, {}, args)
    theta = cols["angle"] * ANGLE_UNITS[args.angle_unit]
    kinds = args.channel or ["co"] * len(args.intensity)
    if len(kinds) != len(args.intensity):
        raise InputError(f"{len(kinds)} --channel values for {len(args.intensity)} "
                         "--intensity columns; give one per column or none")
    if "co" not in kinds and not args.no_absorption:
        raise InputError("cross-channel cones cannot separate absorption from "
                         "depolarization: add --no-absorption, or a co-channel --intensity "
                         "column (--channel co) to take the absorption from")
    fits, held = {}, {}
    order = sorted(range(len(kinds)), key=lambda j: kinds[j] != "co")   # co channels first
    for j in order:
        y = cols[f"i{j}"]
        s = cols[f"s{j}"] if args.stderr else None
        ok = np.isfinite(theta) & np.isfinite(y) & (True if s is None else np.isfinite(s))
        absorption, kl = not args.no_absorption, None
        if kinds[j] == "cross" and held:
            absorption = held["absorption"] if absorption else False
            kl = held["kl"]
        fits[j] = fit_cone(
            theta[ok], y[ok], stderr=None if s is None else s[ok], wavelength=args.wavelength,
            resolution=args.resolution, absorption=absorption, thickness=args.thickness,
            fit_center=not args.no_center, channel=kinds[j], kl=kl)
        if kinds[j] == "co" and not held:
            held = {"kl": fits[j].value("kl"), "absorption": fits[j].value("absorption"),
                    "from": cols.names[f"i{j}"]}
    channels = {}
    for j in range(len(kinds)):
        d = fits[j].as_dict()
        if kinds[j] == "cross" and held:
            d["notes"].append(f"k l_tr (and L_a) held at the values of the co channel "
                              f"{held['from']}")
        channels[cols.names[f"i{j}"]] = d
    fits = {cols.names[f"i{j}"]: fits[j] for j in range(len(kinds))}
    first = next(iter(channels.values()))
    doc = {"command": "fit-cone",
           "inputs": {"file": args.file, "angle": args.angle, "intensity": args.intensity,
                      "stderr": args.stderr, "angle_unit": args.angle_unit,
                      **first["inputs"], "channel": kinds},
           **{k: first[k] for k in ("kl", "l_tr", "absorption_length", "enhancement",
                                    "background", "center", "reduced_chi2", "reliable",
                                    "notes")},
           "channels": channels}
    if args.plot:
        from weakloc.plots import savefig
        from weakloc.plots.coherence import cone_fit_figure

        doc["plots"] = [savefig(cone_fit_figure(fits), args.plot)]
    return doc


def _text(doc) -> str:
    lines = []
    for name, c in doc["channels"].items():
        kl, la, e = c["kl"], c["absorption_length"], c["enhancement"]
        lt = c["l_tr"]
        kl_err = "(held)" if kl["fixed"] else f"+- {kl['stderr'] or float('nan'):.2g}"
        s = (f"{name}: k l_tr = {kl['value']:.4g} {kl_err}, "
             f"l_tr = {lt['value'] * 1e6:.4g} um, E = {e['value']:.4g} +- "
             f"{e['stderr'] or float('nan'):.2g}")
        if la["value"] is not None and not la["fixed"]:
            s += f", L_a = {la['value'] * 1e6:.4g} +- {(la['stderr'] or 0) * 1e6:.2g} um"
        if "depolarization_length" in c:
            ld = c["depolarization_length"]
            s += f", L_d = {ld['value'] * 1e6:.4g} +- {(ld['stderr'] or 0) * 1e6:.2g} um"
        lines.append(s + f", reduced chi2 {c['reduced_chi2']:.3g}")
        lines += [f"  note: {n}" for n in c["notes"]]
    lines += [f"figure: {p}" for p in doc.get("plots", [])]
    return "\n".join(lines)
