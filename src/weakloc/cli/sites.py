"""``weakloc sites``: where the sites of a lattice model sit (the order ``--onsite`` follows).

Prints ``{"positions": [[[x, y], ...], ...], "shape": [slices, sites, 2], "unit": ...,
"kept": ...}`` (``kept``: which sites a ``--shape`` keeps, or null):
positions in lattice units (lattice constant ``a`` on the square and cubic lattices,
``a_cc`` on the honeycomb lattice), slice by slice, sites in the order of explicit onsite
arrays (``weakloc conductance --onsite FILE.npy`` takes shape ``(slices, sites)``). ``--plot
FILE`` draws the sample with its bonds.
"""

from __future__ import annotations

from weakloc.cli import add_json_flag
from weakloc.errors import InputError

__all__ = ["register", "add_model_args", "add_sample_args", "model_kwargs"]


def add_model_args(p) -> None:
    """``--lattice`` and ``--edge``, shared by ``conductance``, ``localization``, ``sites``."""
    p.add_argument("--lattice", default=None,
                   help="square | cubic | honeycomb (default: square for --dim 2, cubic for 3)")
    p.add_argument("--edge", default="zigzag",
                   help="honeycomb ribbon edges along x: zigzag (default) | armchair")
    p.add_argument("--correlation", type=float, default=0.0, metavar="XI",
                   help="disorder correlation length (units of a, a_cc on honeycomb): "
                   "smooth Gaussian disorder of std W/sqrt(12); default 0 (uncorrelated)")
    p.add_argument("--taper", type=float, default=0.0, metavar="LAMBDA",
                   help="fade a correlated potential to zero over LAMBDA (lattice units) "
                   "towards both leads (needs --correlation); default 0 (abrupt)")
    p.add_argument("--shape", default=None,
                   help="sample shape inside the scattering region: ring:R_IN,R_OUT or "
                   "constriction:WIDTH (lattice units, from the sample centre)")


def add_sample_args(p) -> None:
    """``--dim --width --height --length``: the size of a finite sample."""
    p.add_argument("--dim", type=int, default=2, help="2 (strip) or 3 (bar); default 2")
    p.add_argument("--width", type=int, required=True,
                   help="M, sites across (y); honeycomb: zigzag chains or dimer lines")
    p.add_argument("--height", type=int, help="M2, sites along z (3D; default M)")
    p.add_argument("--length", type=int, required=True,
                   help="L, slices along x (honeycomb: periods of 2M sites)")


def model_kwargs(args) -> dict:
    """Lattice keyword arguments of the model flags (``dim`` follows ``--lattice``)."""
    from weakloc.lattice.shapes import parse_shape

    out = {}
    corr = getattr(args, "correlation", 0.0) or 0.0
    if corr:
        kind = getattr(args, "disorder_kind", None)
        out = {"correlation": corr,
               "disorder_kind": "gaussian" if kind in (None, "box") else kind}
    taper = getattr(args, "taper", 0.0) or 0.0
    if taper:
        out["taper"] = taper     # without --correlation the Lattice refuses it (exit 2)
    if getattr(args, "shape", None):
        out["shape"] = parse_shape(args.shape)
    lattice = args.lattice
    if lattice is None:
        return {"dim": args.dim, **out}
    if lattice not in ("square", "cubic", "honeycomb"):
        raise InputError(f"--lattice must be square, cubic or honeycomb, got {lattice!r}")
    dim = 3 if lattice == "cubic" else 2
    if getattr(args, "dim", 2) == 3 and dim == 2:
        raise InputError(f"--lattice {lattice} is 2D; drop --dim 3")
    return {"dim": dim, "lattice": lattice, "edge": args.edge, **out}


def register(sub) -> None:
    p = sub.add_parser(
        "sites",
        help="site positions of a lattice model, in the order --onsite arrays follow",
        description="Site positions (lattice units) of a strip, bar or honeycomb ribbon, "
                    "shape (slices, sites, 2); --plot FILE draws the sample.",
    )
    add_model_args(p)
    add_sample_args(p)
    p.add_argument("--boundary", default="hard", help="hard (default) | periodic")
    p.add_argument("--plot", metavar="FILE", help="draw the sample to FILE (PNG)")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _run(args) -> dict:
    from weakloc.lattice import Lattice

    if args.plot is not None and not str(args.plot).lower().endswith(".png"):
        raise InputError(f"--plot writes PNG; give a FILE ending in .png, got {args.plot!r}")
    lat = Lattice(width=args.width, length=args.length, height=args.height,
                  boundary=args.boundary, **model_kwargs(args))
    pos = lat.positions()
    unit = "a_cc" if lat.lattice == "honeycomb" else "a"
    doc = {"positions": pos.round(12).tolist(), "shape": list(pos.shape), "unit": unit,
           "lattice": lat.lattice or ("square" if lat.dim == 2 else "cubic"),
           "edge": lat.edge if lat.lattice == "honeycomb" else None,
           "onsite_shape": list(lat.onsite_shape), "shape_spec": args.shape,
           "kept": None if lat.shape is None else lat.site_mask().tolist(),
           "order": "slice by slice; within a slice the order of --onsite arrays"}
    if args.plot:
        from weakloc.plots import savefig
        from weakloc.plots.lattice import sample_figure

        title = f"{doc['lattice']} {lat.width} x {lat.length} ({args.boundary})"
        keep = None if lat.shape is None else lat.site_mask()
        doc["plot"] = savefig(sample_figure(pos, lat.bonds(), keep=keep, title=title,
                                            unit=unit), args.plot)
    return doc
