"""``weakloc randomwalk``: classical random walks, diffusion constants and recurrence.

Continuous walks (default) report D from Green-Kubo and from the MSD against
``v^2 tau / (d (1 - g))``, the return-probability exponent against ``-d/2`` and, with
``--tau-phi``, the integrated return probability; ``--field`` (d = 2) adds the loops in a
perpendicular field (their return density with and without the Aharonov-Bohm weight, the
suppression against y/sinh y); ``--lattice`` runs hypercubic lattice walks instead and
reports the return probability by step n (Polya).
"""

from __future__ import annotations

from weakloc.cli import add_json_flag

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "randomwalk",
        help="Monte Carlo random walks: Green-Kubo and MSD diffusion, P(0,t), Polya",
        description="Persistent random walks of speed V with exponential free flights "
                    "(mean TAU) and mean scattering cosine G in d = 1, 2, 3; SI units. "
                    "With --lattice: simple random walks on Z^d (lattice units).",
    )
    p.add_argument("--dim", type=int, required=True, help="dimension 1, 2 or 3")
    p.add_argument("--samples", "--walkers", dest="walkers", type=int, default=20000,
                   help="number of walkers (--walkers: its older name)")
    p.add_argument("--time", type=float, default=None,
                   help="walk duration T (s); default 500 tau/(1-g)")
    p.add_argument("--tau", type=float, default=1e-13, help="mean free time (s)")
    p.add_argument("--speed", type=float, default=1e5, help="speed (m/s)")
    p.add_argument("--anisotropy", "--g", dest="anisotropy", type=float, default=0.0,
                   help="mean scattering cosine g, |g| < 1")
    p.add_argument("--tau-phi", type=float, default=None,
                   help="dephasing time (s): adds the integrated return probability")
    p.add_argument("--fit-from", type=float, default=50.0,
                   help="start of the P(0,t) exponent fit (units of tau_tr; time must be at "
                   "least 4x this)")
    p.add_argument("--field", type=float, default=None,
                   help="perpendicular field B (T), --dim 2: loop return densities with and "
                   "without cos(2eBA/hbar)")
    p.add_argument("--loop-radius", type=float, default=None,
                   help="return disk of the loops (m); default 0.25 v tau_tr")
    p.add_argument("--max-events", type=float, default=None, metavar="N",
                   help="refuse runs of more collisions (walkers x time / tau) than N "
                   "(default 1e10, about ten minutes)")
    p.add_argument("--lattice", action="store_true", help="hypercubic lattice walks")
    p.add_argument("--steps", type=int, default=2000, help="lattice walk length (steps)")
    p.add_argument("--seed", type=int, default=None, help="root seed (recorded)")
    p.add_argument("--output", metavar="FILE", default=None,
                   help="also write the result document (with its version) as JSON")
    add_json_flag(p)
    p.set_defaults(handler=_run, text=None)


def _run(args):
    doc = _lattice(args) if args.lattice else _continuous(args)
    if args.output:
        from weakloc.io import write_json

        write_json(args.output, doc)
    return doc


def _continuous(args):
    from weakloc.montecarlo.randomwalk import MAX_EVENTS, simulate_walks
    from weakloc.seeding import root_entropy

    seed = root_entropy(args.seed)
    r = simulate_walks(args.dim, samples=args.walkers, time=args.time, tau=args.tau,
                       speed=args.speed, anisotropy=args.anisotropy, tau_phi=args.tau_phi,
                       seed=seed, field=args.field, loop_radius=args.loop_radius,
                       fit_from=args.fit_from,
                       progress=False if args.json else None,
                       max_events=MAX_EVENTS if args.max_events is None else args.max_events)
    d = r.params["dim"]
    doc = {
        "command": "randomwalk",
        "inputs": {"dim": d, "samples": r.params["samples"], "time_s": r.params["time_s"],
                   "tau_s": r.params["tau_s"], "speed_m_per_s": r.params["speed_m_per_s"],
                   "anisotropy": r.params["anisotropy"], "tau_phi_s": r.params["tau_phi_s"]},
        "seed": seed,
        "diffusion": {
            "green_kubo": r.d_green_kubo, "msd": r.d_msd, "theory": r.d_theory,
            "stderr": {"green_kubo": r.d_green_kubo_stderr, "msd": r.d_msd_stderr},
            "unit": "m^2/s",
        },
        "return_probability": {
            "exponent": r.return_exponent, "exponent_stderr": r.return_exponent_stderr,
            "theory": -d / 2, "fit_from_s": r.params["fit_from_s"],
        },
        "vacf": {"decay_time": r.vacf_decay_time,
                 "decay_time_stderr": r.vacf_decay_time_stderr,
                 "theory": r.params["tau_s"] / (1 - r.params["anisotropy"]), "unit": "s"},
        "events": r.events,
    }
    if r.integrated is not None:
        doc["return_probability"].update(
            integrated=r.integrated, integrated_stderr=r.integrated_stderr,
            integrated_theory=r.integrated_theory, integrated_unit=f"s m^-{d}",
            window="exp(-t/tau_phi) - exp(-t/tau_tr)")
    if r.loop_p0 is not None:
        doc["inputs"].update(field_T=r.params["field_T"],
                             loop_radius_m=r.params["loop_radius_m"])
        doc["loops"] = {
            "times_s": r.times, "p_loop": r.loop_p0, "p_loop_stderr": r.loop_p0_stderr,
            "p_field": r.loop_p0_field, "p_field_stderr": r.loop_p0_field_stderr,
            "unit": "m^-2", "suppression": r.suppression,
            "suppression_stderr": r.suppression_stderr,
            "suppression_diffusive": r.suppression_diffusive,
        }
        if r.wl_removed is not None:
            doc["loops"].update(wl_removed=r.wl_removed, wl_removed_stderr=r.wl_removed_stderr,
                                wl_removed_unit="e^2/h, spinless (x2 with spin)")
    return doc


def _lattice(args):
    from weakloc.montecarlo.latticewalk import POLYA_3D, lattice_return
    from weakloc.seeding import root_entropy

    if args.field is not None or args.loop_radius is not None:
        from weakloc.errors import InputError

        raise InputError("--field and --loop-radius are for continuous walks; drop --lattice")
    seed = root_entropy(args.seed)
    r = lattice_return(args.dim, samples=args.walkers, steps=args.steps, seed=seed)
    lat = {"steps": r.n.tolist(), "returned": r.returned.tolist(),
           "stderr": r.stderr.tolist(), "exact": r.exact.tolist(),
           "theory_limit": POLYA_3D if r.params["dim"] == 3 else 1.0}
    if r.extrapolated is not None:
        lat.update(extrapolated=r.extrapolated, extrapolated_stderr=r.extrapolated_stderr)
    return {"command": "randomwalk --lattice",
            "inputs": {"dim": r.params["dim"], "samples": r.params["samples"],
                       "steps": r.params["steps"]},
            "seed": seed, "lattice": lat}
