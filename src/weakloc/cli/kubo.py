"""``weakloc kubo``: real-space Kubo conductivity sigma(E, t) on a disordered torus.

Evolves energy-projected random states on a ``--width x --height`` (2D) or cubic (3D)
torus, or edgeless graphene (``--lattice honeycomb``, ``--width`` chains across,
``--length`` slices along x, ``--correlation XI`` for smooth disorder), and reports the
time-dependent conductivity, the diffusion coefficient, the density of states, the elastic
time and mean free path, and with ``--tau-phi`` the dephased conductivity. Lattice units
``t = a = hbar = 1`` (``a_cc`` on the honeycomb lattice; times in ``hbar/t``);
conductivity in ``e^2/h``, spin-summed where the model has spin.
"""

from __future__ import annotations

from weakloc.cli import add_json_flag, float_list
from weakloc.cli.sites import add_model_args
from weakloc.errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "kubo",
        help="real-space Kubo conductivity sigma(E, t) on a disordered torus (LSQT)",
        description="Time-dependent Kubo conductivity, diffusion coefficient and density of "
        "states at energy E on a disordered torus, by Chebyshev evolution of "
        "energy-projected random states (units t = a = hbar = 1; sigma in e^2/h).",
    )
    p.add_argument("--dim", type=int, default=2, help="dimension, 2 (default) or 3")
    p.add_argument("--width", type=int, required=True,
                   help="sites along x; honeycomb: zigzag chains (dimer lines) across y")
    p.add_argument("--height", type=int, default=None, help="sites along y (default: width)")
    p.add_argument("--length", type=int, default=None,
                   help="honeycomb: slices along x (default: the torus closest to a square)")
    add_model_args(p)
    p.add_argument("--disorder", type=float, required=True, help="W, box disorder (t)")
    p.add_argument("--energy", type=float, required=True, help="energy E (t)")
    p.add_argument("--times", required=True, help="T1,T2,... increasing times (hbar/t)")
    p.add_argument("--flux", type=float, default=0.0,
                   help="flux per plaquette (hexagon on honeycomb) in h/e; the total flux "
                   "through the torus must be an integer")
    p.add_argument("--spin-orbit", default="none", choices=("none", "su2", "ando"),
                   help="spin-orbit model: none (default) | su2 | ando")
    p.add_argument("--soc", type=float, default=0.5, help="Ando strength S in [0, 1] (0.5)")
    p.add_argument("--tau-phi", type=float, default=None,
                   help="phase-coherence time (hbar/t): adds the dephased conductivity")
    p.add_argument("--vectors", type=int, default=4, help="random vectors per sample (4)")
    p.add_argument("--samples", type=int, default=1, help="disorder realizations (1)")
    p.add_argument("--filter-width", type=float, default=0.1,
                   help="Gaussian energy window eta (t), default 0.1")
    p.add_argument("--seed", type=int, default=None, help="root seed (recorded)")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _run(args):
    from weakloc.kubo import kubo_conductivity
    from weakloc.kubo.system import torus_model

    times = float_list(args.times, "--times")
    if args.dim == 3 and args.flux != 0.0:
        raise InputError("--flux needs --dim 2 (square torus)")
    if args.shape:
        raise InputError("a torus has no sample shape; drop --shape")
    model = torus_model(dim=args.dim, width=args.width, height=args.height,
                        disorder=args.disorder, flux=args.flux, spin_orbit=args.spin_orbit,
                        soc=args.soc, lattice=args.lattice or ("cubic" if args.dim == 3
                                                               else "square"),
                        edge=args.edge, length=args.length, correlation=args.correlation)
    res = kubo_conductivity(model, args.energy, times, tau_phi=args.tau_phi,
                            vectors=args.vectors, samples=args.samples, seed=args.seed,
                            filter_width=args.filter_width, progress=True)
    return res.as_dict()
