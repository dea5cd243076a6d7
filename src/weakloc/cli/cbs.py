"""``weakloc cbs``: the coherent backscattering cone of light by Monte Carlo.

Prints the enhancement factor (with and without single scattering), the cone (single,
ladder, crossed) against the angle from exact backscattering, its FWHM and the
Akkermans-Wolf-Maynard diffusion line shape; ``--plot FILE`` saves a figure. A run
estimated (roughly, from the photons, detectors and path cut) to take over an hour is
refused up front with the estimate in the message; ``--force`` runs it anyway.
"""

from __future__ import annotations

import math

from weakloc.cli import add_json_flag

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "cbs",
        help="coherent backscattering cone of light (Monte Carlo vs AWM)",
        description="Scalar-wave coherent backscattering from a half-space (or slab) of "
                    "point scatterers; angles in rad from exact backscattering; "
                    "intensities per steradian per incident photon.",
    )
    p.add_argument("--kl", type=float, default=20.0, help="k l (default 20)")
    p.add_argument("--samples", "--photons", "--walkers", dest="photons", type=int, default=50000,
                   help="number of photon paths (default 50000)")
    p.add_argument("--anisotropy", "--g", dest="anisotropy", type=float, default=0.0,
                   help="mean scattering cosine g (Henyey-Greenstein), |g| < 1")
    p.add_argument("--slab", type=float, default=None, metavar="THICKNESS",
                   help="slab thickness in mean free paths (default: half-space)")
    p.add_argument("--absorption", type=float, default=None, metavar="L_A",
                   help="ballistic absorption length in mean free paths (scalar cone only; "
                        "default: none)")
    p.add_argument("--incidence", type=float, default=0.0, metavar="DEG",
                   help="angle of incidence in degrees (default 0)")
    p.add_argument("--angles", type=float, nargs="+", default=None, metavar="RAD",
                   help="detector angles from backscattering (rad, increasing)")
    p.add_argument("--max-orders", type=int, default=20000,
                   help="longest path kept, in scattering events (default 20000)")
    p.add_argument("--polarized", action="store_true",
                   help="vector waves and point-dipole (Rayleigh) scatterers: four "
                        "polarization channels, normal incidence, g = 0")
    p.add_argument("--seed", type=int, default=None, help="root seed (recorded)")
    p.add_argument("--plot", metavar="FILE", default=None,
                   help="save the cone as a figure (PNG, or the format the extension names)")
    p.add_argument("--output", metavar="FILE", default=None,
                   help="also write the result document (with its version) as JSON")
    p.add_argument("--force", action="store_true",
                   help="run even when the rough time estimate is over an hour")
    add_json_flag(p)
    p.set_defaults(handler=_run, text=None)


def _run(args):
    from weakloc.errors import InputError
    from weakloc.montecarlo.cbs import simulate_cbs
    from weakloc.seeding import root_entropy

    seed = root_entropy(args.seed)
    l_m = 1e-6
    if args.slab is not None and not (math.isfinite(args.slab) and args.slab > 0):
        raise InputError(f"--slab must be a positive thickness in mean free paths, "
                         f"got {args.slab:g}")
    if args.absorption is not None and not (math.isfinite(args.absorption)
                                            and args.absorption > 0):
        raise InputError(f"--absorption must be a positive length in mean free paths, "
                         f"got {args.absorption:g}")
    if args.polarized:
        if args.absorption is not None:
            raise InputError("--absorption is implemented for the scalar cone only; drop "
                             "--polarized or --absorption")
        return _run_polarized(args, seed, l_m)
    r = simulate_cbs(args.kl, samples=args.photons, anisotropy=args.anisotropy, mean_free_path=l_m,
                     thickness=None if args.slab is None else args.slab * l_m,
                     incidence=math.radians(args.incidence), angles=args.angles,
                     max_orders=args.max_orders, seed=seed, progress=False if args.json else None,
                     absorption_length=None if args.absorption is None
                     else args.absorption * l_m, force=args.force)
    doc = {
        "command": "cbs",
        "inputs": {"kl": r.params["kl"], "samples": r.params["samples"],
                   "anisotropy": r.params["anisotropy"],
                   "slab_mean_free_paths": args.slab, "incidence_deg": args.incidence,
                   "absorption_mean_free_paths": args.absorption,
                   "max_orders": r.params["max_orders"]},
        "seed": seed,
        "enhancement": {"with_single": r.enhancement_with_single,
                        "without_single": r.enhancement_without_single,
                        "stderr": r.enhancement_stderr},
        "angles_rad": r.angles_rad.tolist(),
        "ladder": r.ladder.tolist(), "crossed": r.crossed.tolist(),
        "single": r.single.tolist(), "awm": r.awm.tolist(),
        "stderr": {"ladder": r.ladder_stderr.tolist(), "crossed": r.crossed_stderr.tolist(),
                   "single": r.single_stderr.tolist()},
        "intensity_unit": "sr^-1 per incident photon",
        "fwhm_rad": r.fwhm_rad, "fwhm_stderr_rad": r.fwhm_stderr,
        "awm_fwhm_rad": r.awm_fwhm_rad,
        "fractions": {"reflected": r.reflected, "transmitted": r.transmitted,
                      "truncated": r.truncated, "absorbed": r.absorbed},
        "events": r.events,
    }
    from weakloc.plots.montecarlo import cone_figure

    return _finish(doc, args, lambda: cone_figure({f"kl = {r.params['kl']:g}": r}))


def _run_polarized(args, seed, l_m):
    from weakloc.errors import InputError
    from weakloc.montecarlo.polarized import simulate_polarized_cbs

    if args.anisotropy != 0.0 or args.incidence != 0.0:
        raise InputError("--polarized models point dipoles at normal incidence: drop --g "
                         "and --incidence (or run the scalar cone without --polarized)")
    r = simulate_polarized_cbs(args.kl, samples=args.photons, mean_free_path=l_m,
                               thickness=None if args.slab is None else args.slab * l_m,
                               angles=args.angles, max_orders=args.max_orders, seed=seed,
                               progress=False if args.json else None, force=args.force)
    body = r.as_dict()
    doc = {
        "command": "cbs",
        "inputs": {"kl": r.params["kl"], "samples": r.params["samples"], "polarized": True,
                   "slab_mean_free_paths": args.slab, "max_orders": r.params["max_orders"],
                   "scatterers": r.params["scatterers"]},
        "seed": seed,
        "channels": list(r.channels),
        **{k: body[k] for k in ("enhancement", "angles_rad", "ladder", "crossed", "single",
                                "ladder_stderr", "crossed_stderr", "single_stderr",
                                "intensity_unit", "fwhm_rad", "fractions", "events")},
    }
    from weakloc.plots.montecarlo import polarized_cone_figure

    return _finish(doc, args, lambda: polarized_cone_figure(r))


def _finish(doc, args, figure):
    """Save the figure (``--plot``) and the document (``--output``); return the document."""
    if args.plot:
        from weakloc.plots import savefig

        doc["plot"] = savefig(figure(), args.plot)
    if args.output:
        from weakloc.io import write_json

        write_json(args.output, doc)
    return doc
