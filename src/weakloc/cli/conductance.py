"""``weakloc conductance``: Landauer conductance of disordered strips and bars.

Lattice units: energies and disorder in units of the hopping ``t``, flux per plaquette in
units of ``h/e``; conductance ``g = Tr t^+ t`` in units of ``e^2/h`` (spin summed where the
model has spin). With several ``--flux`` or ``--energy`` values (or ranges
``START:STOP:N``) every realization is solved at each energy and flux on the same disorder,
in one sweep over its slices. ``--cylinder-flux`` threads an Aharonov-Bohm flux (units of
``h/e``) through a cylinder (``--boundary periodic``), in the sample and the leads; several
values are solved on the same disorder, and a uniform grid over whole periods of ``h/e``
also gets the h/e and h/2e harmonics of the average
(:func:`weakloc.fitting.rings.flux_harmonics`; energies of a scan averaged first).
"""

from __future__ import annotations

import numpy as np

from weakloc.cli import add_json_flag
from weakloc.cli.sites import add_model_args, add_sample_args, model_kwargs
from weakloc.errors import InputError

__all__ = ["register", "parse_fluxes", "parse_values"]


def parse_values(items, option: str = "--flux", example: str = "-0.01:0.01:21") -> list[float]:
    """Numbers from the items of a CLI option: values or ``START:STOP:N`` ranges (inclusive).

    Items may also be comma-separated (``--flux=-0.01:0.01:21,0.1``), which is how a range
    starting with a minus sign gets past argparse.
    """
    out: list[float] = []
    items = [part for item in items for part in str(item).split(",") if part]
    for item in items:
        if ":" in item:
            parts = item.split(":")
            try:
                if len(parts) != 3:
                    raise ValueError
                start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
            except ValueError:
                raise InputError(
                    f"{option} range {item!r} must be START:STOP:N, e.g. {example}"
                ) from None
            if num < 1:
                raise InputError(f"{option} range {item!r} needs N >= 1 points")
            out.extend(np.linspace(start, stop, num).tolist())
        else:
            try:
                out.append(float(item))
            except ValueError:
                raise InputError(
                    f"{option} value {item!r} is not a number; give numbers or START:STOP:N"
                ) from None
    if not out:
        raise InputError(f"{option} needs at least one value")
    if not all(np.isfinite(out)):
        raise InputError(f"{option} values must be finite")
    return out


def parse_fluxes(items) -> list[float]:
    """Flux values from ``--flux`` items (see :func:`parse_values`)."""
    return parse_values(items, "--flux", "-0.01:0.01:21")


def register(sub) -> None:
    p = sub.add_parser(
        "conductance",
        help="Landauer conductance of a disordered strip/bar (recursive Green's functions)",
        description="Two-terminal conductance g = Tr t^+ t (units of e^2/h) of the Anderson "
        "model with clean leads; energies and disorder in units of t, flux per plaquette in "
        "units of h/e.",
    )
    add_model_args(p)
    add_sample_args(p)
    p.add_argument("--disorder", type=float, default=0.0,
                   help="W: box disorder in [-W/2, W/2] (units of t); default 0")
    p.add_argument("--energy", nargs="+", required=True, metavar="E",
                   help="Fermi energy (units of t): one value, several, or START:STOP:N "
                   "(write --energy=-1:1:21 when the first starts with '-')")
    p.add_argument("--flux", nargs="+", metavar="PHI",
                   help="flux per plaquette (h/e): one value, several, or START:STOP:N "
                   "(write --flux=-0.01:0.01:21,0.1 when the first starts with '-')")
    p.add_argument("--cylinder-flux", nargs="+", metavar="PHI",
                   help="Aharonov-Bohm flux through the cylinder (h/e; needs --boundary "
                   "periodic): one value, several, or START:STOP:N, e.g. "
                   "0.03125:0.96875:16 (a whole period: the harmonics are reported)")
    p.add_argument("--spin-orbit", default="none", help="none (default) | su2 | ando")
    p.add_argument("--soc", type=float, default=0.5, help="Ando S = sin(theta); default 0.5")
    p.add_argument("--boundary", default="hard", help="hard (default) | periodic")
    p.add_argument("--onsite", metavar="FILE.npy",
                   help="explicit onsite energies (units of t), shape (slices, sites) in the "
                   "order 'weakloc sites' prints ((L, M) or (L, M, M2) on square/cubic)")
    p.add_argument("--samples", type=int, default=1, help="realizations; default 1")
    p.add_argument("--seed", type=int, help="root seed (default: fresh, recorded)")
    p.add_argument("--workers", type=int, help="threads; default min(2, cores)")
    p.add_argument("--method", default="unitarity",
                   help="unitarity (default, fast) | caroli (precise for tiny g)")
    add_json_flag(p)
    p.set_defaults(handler=_run)


#: seconds per slice per (sites in a slice)^3, measured on one core (RGF, unitarity)
SECONDS_PER_N3 = 2.5e-9


def _estimate(args, n_flux: int, lattice=None) -> None:
    """Announce a long conductance run on stderr. The memory check is the library's
    (:func:`weakloc.transport.landauer.memory_estimate`): a run it will refuse is not
    announced."""
    from weakloc.resources import announce, available_memory
    from weakloc.transport.landauer import memory_estimate

    free = available_memory()
    if lattice is not None and free is not None and memory_estimate(
            lattice, n_flux, max(int(args.workers or 2), 1)) > free:
        return

    if lattice is not None:
        n = lattice.n
    else:
        width = max(int(args.width), 1)
        n = width * (max(int(args.height or width), 1) if args.dim == 3 else 1)
        n *= 1 if args.spin_orbit == "none" else 2
    threads = max(int(args.workers or 2), 1)
    announce(SECONDS_PER_N3 * n**3 * max(int(args.length), 1) * max(int(args.samples), 1)
             * n_flux / threads, f"conductance of {args.samples} sample(s), {n} sites per "
             f"slice x {args.length} slices")


def _real_onsite(onsite, path):
    """Onsite energies are real: a complex array with a nonzero imaginary part is refused
    (it would make H non-Hermitian), one with zero imaginary part is taken as real."""
    if onsite.dtype.kind == "c":
        if np.any(np.imag(onsite) != 0):
            raise InputError(f"--onsite {path}: the array is complex with nonzero imaginary "
                             "parts; onsite energies are real (units of t): save the real "
                             "part")
        return np.real(onsite).astype(float)
    if onsite.dtype.kind not in "fiub":
        raise InputError(f"--onsite {path}: the array holds {onsite.dtype} values; give real "
                         "numbers (units of t)")
    return onsite.astype(float)


def _run(args) -> dict:
    from weakloc._validate import flux_value, lattice_value
    from weakloc.lattice import Lattice
    from weakloc.seeding import root_entropy
    from weakloc.transport.landauer import conductance_ensemble

    fluxes = parse_fluxes(args.flux) if args.flux else [0.0]
    energies = parse_values(args.energy, "--energy", "-1:1:21")
    flux_value("--flux", fluxes)
    lattice_value("--energy", energies)
    sweep = len(fluxes) > 1
    scan = len(energies) > 1
    onsite = None
    if args.onsite:
        try:
            onsite = np.load(args.onsite, allow_pickle=False)
        except (OSError, ValueError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise InputError(f"cannot read {args.onsite} as a .npy array: {exc}") from None
        onsite = _real_onsite(onsite, args.onsite)
    cyl = (parse_values(args.cylinder_flux, "--cylinder-flux", "0.03125:0.96875:16")
           if args.cylinder_flux else [0.0])
    cyl_sweep = len(cyl) > 1
    if args.cylinder_flux and args.boundary != "periodic":
        raise InputError("--cylinder-flux threads a cylinder: add --boundary periodic")
    lat = Lattice(width=args.width, length=args.length, height=args.height,
                  disorder=args.disorder, flux=0.0 if sweep else fluxes[0],
                  spin_orbit=args.spin_orbit, soc=args.soc, boundary=args.boundary,
                  cylinder_flux=0.0 if cyl_sweep else cyl[0], **model_kwargs(args))
    if onsite is not None:
        lat.realize(0, onsite=onsite)   # shape / NaN check before any work
    _estimate(args, len(fluxes) * len(energies) * len(cyl), lat)
    seed = root_entropy(args.seed)
    res = conductance_ensemble(lat, energies if scan else energies[0], samples=args.samples,
                               seed=seed,
                               fluxes=fluxes if sweep else None, workers=args.workers,
                               onsite=onsite, method=args.method,
                               cylinder_fluxes=cyl if cyl_sweep else None)
    cond = {"mean": res.mean, "std": res.std, "stderr": res.stderr, "samples": res.samples,
            "unit": res.unit, "values": res.values}
    if sweep:
        cond["flux"] = fluxes
    if scan:
        cond["energy"] = energies
    harmonics = None
    if cyl_sweep:
        cond["cylinder_flux"] = cyl
        if not sweep:
            harmonics = _harmonics(cyl, res.values)
    inputs = {
        "lattice": lat.lattice or ("square" if lat.dim == 2 else "cubic"),
        "edge": lat.edge if lat.lattice == "honeycomb" else None,
        "dim": lat.dim, "width": lat.width, "height": lat.height if lat.dim == 3 else None,
        "length": lat.length, "disorder": lat.disorder,
        "energy": energies if scan else energies[0],
        "disorder_kind": lat.disorder_kind, "correlation": lat.correlation,
        "taper": lat.taper, "shape": args.shape,
        "flux": fluxes if sweep else fluxes[0],
        "cylinder_flux": cyl if cyl_sweep else cyl[0], "spin_orbit": lat.spin_orbit,
        "soc": lat.soc, "boundary": lat.boundary, "onsite": args.onsite,
        "samples": args.samples, "seed": seed, "method": args.method,
        "units": {"energy": "t", "disorder": "t",
                  "flux": "h/e per hexagon" if lat.lattice == "honeycomb"
                  else "h/e per plaquette", "cylinder_flux": "h/e through the cylinder"},
    }
    out = {"conductance": cond, "symmetry": res.symmetry,
           "open_channels": res.open_channels, "inputs": inputs}
    if harmonics is not None:
        out["harmonics"] = harmonics
    return out


def _harmonics(cyl, values) -> dict:
    """h/e and h/2e harmonics of a cylinder-flux sweep, or why there are none."""
    from weakloc.fitting.rings import flux_harmonics

    try:
        return flux_harmonics(cyl, values).as_dict()
    except InputError as exc:
        return {"skipped": str(exc)}
