"""``weakloc cbs-momentum``: coherent backscattering of a plane wave in momentum space.

Launches the plane wave ``k0`` (energy-filtered to a shell at ``--energy``) into the
disordered N x N torus and reports the CBS contrast at ``-k0`` vs time, disorder-averaged.
Lattice units: ``t = a = hbar = 1`` (times in ``hbar/t``, momenta in ``1/a``).
"""

from __future__ import annotations

from weakloc.cli import add_json_flag, float_list
from weakloc.errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "cbs-momentum",
        help="momentum-space coherent backscattering of a plane wave (Chebyshev dynamics)",
        description="Disorder-averaged n(k, t) of a plane wave k0 on an N x N disordered "
        "torus and the CBS contrast at -k0 vs time (units t = a = hbar = 1).",
    )
    p.add_argument("--size", type=int, required=True, help="N, lattice sites per side")
    p.add_argument("--disorder", type=float, required=True, help="W, box disorder (t)")
    p.add_argument("--energy", type=float, required=True,
                   help="energy of the filter shell (t), inside the band |E| < 4 + W/2")
    p.add_argument("--k0", required=True, help="KX,KY launch momentum (1/a), multiples "
                   "of 2 pi/N inside [-pi, pi)")
    p.add_argument("--times", required=True, help="T1,T2,... increasing times (hbar/t)")
    p.add_argument("--flux", type=float, default=0.0,
                   help="flux per plaquette (h/e); flux*N^2 must be an integer")
    p.add_argument("--spin-orbit", default="none", help="none (default) | su2 | ando")
    p.add_argument("--samples", type=int, default=16, help="disorder realizations (16)")
    p.add_argument("--seed", type=int, default=None, help="root seed (recorded)")
    p.add_argument("--filter-width", type=float, default=None,
                   help="energy-filter width (t); default hbar/tau (Born); 0: no filter")
    p.add_argument("--plot", metavar="FILE", help="write n(k, t) images to FILE (PNG)")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _run(args):
    import numpy as np

    from weakloc.dynamics import TorusLattice, cbs_momentum
    from weakloc.dynamics.states import check_energy, check_k0

    k0 = float_list(args.k0, "--k0")
    if len(k0) != 2:
        raise InputError(f"--k0 needs two numbers KX,KY, got {len(k0)}")
    times = float_list(args.times, "--times")
    if args.spin_orbit not in ("none", "su2", "ando"):
        raise InputError(f"--spin-orbit must be none, su2 or ando, got {args.spin_orbit!r}")
    lattice = TorusLattice(size=args.size, disorder=args.disorder, flux=args.flux,
                           spin_orbit=args.spin_orbit)
    check_k0(k0)
    # a momentum typed to a few digits means the nearest grid point 2 pi j / N: snap to it
    # when it lies within 1e-3 of a grid spacing (the library itself stays exact)
    j = np.asarray(k0) * args.size / (2 * np.pi)
    if np.all(np.abs(j - np.round(j)) < 1e-3):
        k0 = [float(2 * np.pi * x / args.size) for x in np.round(j)]
    check_energy(args.energy, lattice.disorder)
    width = args.filter_width
    if width is not None and width < 0:
        raise InputError("--filter-width must be >= 0 (0 switches the filter off)")
    energy = None if width == 0 else args.energy
    res = cbs_momentum(lattice, np.array(k0), times, samples=args.samples, seed=args.seed,
                       energy=energy, filter_width=width or None,
                       progress=False if args.json else None)
    doc = {
        "times": res.times, "contrast": res.contrast,
        "contrast_stderr": res.contrast_stderr, "peak_width": res.peak_width,
        "symmetry": res.symmetry,
        "inputs": {
            "size": args.size, "disorder": args.disorder, "energy": args.energy,
            "k0": k0, "times": times, "flux": args.flux, "spin_orbit": args.spin_orbit,
            "samples": args.samples, "seed": res.inputs["seed"],
            "filter_width": res.inputs["filter_width"], "born_tau": res.inputs["born_tau"],
            "background": res.inputs["background"],
        },
        "forward_contrast": res.forward_contrast, "ring_anisotropy": res.ring_anisotropy,
        "norm_error": res.norm_error,
        "units": {"time": "hbar/t", "momentum": "1/a", "peak_width": "1/a", "energy": "t",
                  "flux": "h/e per plaquette", "contrast": "dimensionless"},
    }
    if args.plot:
        from weakloc.plots import savefig
        from weakloc.plots.dynamics import momentum_images_figure

        fig = momentum_images_figure({res.symmetry: res.n_k}, res.times, k0=k0)
        doc["plot"] = savefig(fig, args.plot)
    return doc
