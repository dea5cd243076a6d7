"""``weakloc localization``: transfer-matrix localization length of one strip or bar.

Prints ``{"lambda", "lambda_stderr", "xi", "xi_stderr", "slices", "symmetry",
"converged", "precision_reached", "seed", "inputs", "version"}``; lengths in lattice
constants, energies in units of the hopping ``t``. A precision not reached within
``--max-slices`` is reported (``converged: false`` and a warning on stderr), not an error.
A run estimated (roughly, from the cross-section, the precision and ``--max-slices``) to
need more than the free memory or an hour is refused up front with the estimate in the
message; ``--force`` runs it anyway. One of over a minute is announced on stderr.
"""

from __future__ import annotations

import sys

from weakloc.cli import add_json_flag
from weakloc.cli.sites import add_model_args, model_kwargs

__all__ = ["register", "add_lattice_args", "lattice_from_args"]


def add_lattice_args(p, *, width: bool = True) -> None:
    """Cross-section and disorder options shared by ``localization`` and ``scaling``."""
    add_model_args(p)
    p.add_argument("--dim", type=int, default=2, help="2 (strip) or 3 (bar); default 2")
    if width:
        p.add_argument("--width", type=int, required=True, help="M, sites across (y)")
    p.add_argument("--height", type=int, help="M2, sites along z (3D; default = width)")
    p.add_argument("--flux", type=float, default=0.0,
                   help="flux per plaquette in units of h/e (default 0)")
    p.add_argument("--spin-orbit", default="none", help="none (default) | su2 | ando")
    p.add_argument("--soc", type=float, default=0.5, help="Ando S = sin(theta) (default 0.5)")
    p.add_argument("--boundary", default="periodic",
                   help="transverse boundary: periodic (default) | hard")
    p.add_argument("--disorder-kind", default="box", help="box (default) | gaussian")


def lattice_from_args(args, *, width=None, disorder=None):
    """The :class:`~weakloc.lattice.Lattice` the options describe."""
    from weakloc.lattice import Lattice

    kw = {"disorder_kind": args.disorder_kind, **model_kwargs(args)}
    return Lattice(width=args.width if width is None else width,
                   height=args.height, disorder=args.disorder if disorder is None else disorder,
                   flux=args.flux, spin_orbit=args.spin_orbit, soc=args.soc,
                   boundary=args.boundary, **kw)


def register(sub) -> None:
    p = sub.add_parser(
        "localization",
        help="transfer-matrix localization length xi and Lambda = xi/M of a strip or bar",
        description="MacKinnon-Kramer transfer matrices on an infinitely long strip (2D) or "
                    "bar (3D): xi = 1/gamma_min in lattice constants, Lambda = xi/M.",
    )
    add_lattice_args(p)
    p.add_argument("--disorder", type=float, required=True, help="W in units of t (box width)")
    p.add_argument("--energy", type=float, required=True, help="Fermi energy in units of t")
    p.add_argument("--precision", type=float, default=0.01,
                   help="relative standard error to reach (default 0.01)")
    p.add_argument("--max-slices", type=int, default=1_000_000,
                   help="slice budget (default 1e6)")
    p.add_argument("--qr-interval", type=int, help="slices between QRs (default: automatic)")
    p.add_argument("--spectrum", action="store_true", help="also print all Lyapunov exponents")
    p.add_argument("--seed", type=int, help="root seed (default: drawn and recorded)")
    p.add_argument("--output", metavar="FILE", help="also write the result as JSON to FILE")
    p.add_argument("--force", action="store_true",
                   help="run even when the rough estimate is over the free memory or an hour")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _run(args):
    from weakloc.transport.transfer import localization_length

    lat = lattice_from_args(args)
    res = localization_length(lat, args.energy, seed=args.seed, precision=args.precision,
                              max_slices=args.max_slices, qr_interval=args.qr_interval,
                              spectrum=args.spectrum, force=args.force)
    doc = {
        "lambda": res.lambda_, "lambda_stderr": res.lambda_stderr,
        "xi": res.xi, "xi_stderr": res.xi_stderr, "xi_unit": "lattice constants",
        "slices": res.slices, "symmetry": res.symmetry,
        "converged": res.converged, "precision_reached": res.precision_reached,
        "qr_interval": res.qr_interval, "seed": res.seed,
        "inputs": {"lattice": {k: val for k, val in lat.as_dict().items() if k != "length"},
                   "energy_t": args.energy, "precision": args.precision,
                   "max_slices": args.max_slices},
    }
    if res.exponents is not None:
        doc["exponents"] = res.exponents.tolist()
    if not res.converged:
        print(f"weakloc localization: warning: precision {args.precision:g} not reached "
              f"within {args.max_slices} slices; reached {res.precision_reached:.3g} "
              "(raise --max-slices)", file=sys.stderr)
    if args.output:
        from weakloc.io import write_json

        write_json(args.output, doc)
    return doc
