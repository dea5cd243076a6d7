"""The Aharonov-Bohm ring in a field: h/e in single samples, h/(2e) (AAS) in the average.

A square-lattice :class:`weakloc.lattice.shapes.Ring` (radii ``--r-in``, ``--r-out``,
lattice constants a) cut from a strip just wide enough to hold it, between two clean leads
of the strip's width, box disorder ``--disorder`` (W, units of t) in the ring, a uniform
field in Landau gauge everywhere (arms and leads). Every sample is solved on the same
disorder at ``--energies`` energies ``--energy-step`` apart (an energy window averages the
leads' field-dependent band structure and adds nearly independent traces) and at fields
0 .. ``--periods`` h/e periods through the mean area ``pi ((r_in + r_out)/2)^2`` with
``--points`` points per period; the trace for B < 0 is the mirror image (two-terminal
Onsager symmetry G(B) = G(-B), checked on one sample to 1e-9). Each realization draws its
own SeedSequence stream (``weakloc.seeding.stream(seed, i)``).

The conductances are put in SI (lattice constant ``--lattice-constant``: B = phi h/(e a^2)
for a flux phi per plaquette in h/e, G = g e^2/h) and analysed by
:func:`weakloc.fitting.rings.ring_harmonics` with the mean area and the geometric spread of
areas: band amplitudes of the average, and the signed band-passed values at B = 0 with the
standard error of the mean over the samples. Checks: h/2e at B = 0 negative (a
weak-localization minimum) and beyond 4 sigma; h/e of the average within 3 sigma of zero;
single-trace h/e rms at least 10 times that error; Onsager symmetry. With ``--csv`` the
average G(B) is written as a measured trace would be and ``weakloc ring`` reads it.

Command::

    PYTHONPATH=src nice -n 10 python benchmarks/validate_ring_aas.py [--samples 400]
        [--json benchmarks/results/ring_aas.json] [--figure FILE.png] [--csv AVERAGE.csv]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import time

import numpy as np
from scipy import constants as sc

from weakloc.cli import main as weakloc_cli
from weakloc.demo.ring import background_residuals, ring_ensemble
from weakloc.io import write_json, write_text
from weakloc.seeding import root_entropy, stream
from weakloc.theory.born import mean_free_path
from weakloc.transport.landauer import conductance_batch


def onsager_gap(lat, root, energy, fluxes) -> float:
    """max |g(B) - g(-B)| of realization 0 (e^2/h)."""
    real = lat.realize(stream(root, 0))
    g = conductance_batch(real, [energy], np.concatenate([fluxes, -fluxes]))[0]
    return float(np.max(np.abs(g[: fluxes.size] - g[fluxes.size:])))


def simulate(args):
    """Run the ensemble; returns the row of results and the arrays for the figure."""
    energies = args.energy + args.energy_step * (np.arange(args.energies)
                                                 - 0.5 * (args.energies - 1))
    root = root_entropy(args.seed)
    t0 = time.perf_counter()
    out = ring_ensemble(args.r_in, args.r_out, args.disorder, energies, samples=args.samples,
                        seed=root, periods=args.periods, points=args.points,
                        lattice_constant=args.lattice_constant, progress=args.progress)
    seconds = time.perf_counter() - t0
    lat, res, ring, full = out["lattice"], out["result"], out["ring"], out["g"]
    g, area, spread, field = res.values, out["area"], out["spread"], out["field"]
    phi_full, a, r_mean = out["flux"], args.lattice_constant, 0.5 * (args.r_in + args.r_out)
    fluxes = phi_full[phi_full > 0] / area
    g0 = sc.e**2 / sc.h
    gap = onsager_gap(lat, root, float(energies[0]), fluxes[:3])
    z = {k: e.value / e.stderr for k, e in ring.at_zero_field.items()}
    row = {
        "geometry": {"r_in_a": args.r_in, "r_out_a": args.r_out, "strip": lat.width,
                     "arm_width_a": args.r_out - args.r_in,
                     "arm_length_a": float(np.pi * r_mean), "mean_area_a2": float(area),
                     "area_spread": float(spread), "lattice_constant_m": a},
        "disorder": args.disorder, "energies": energies.tolist(), "samples": args.samples,
        "seed": root, "periods_each_side": args.periods, "points_per_period": args.points,
        "born_mean_free_path_a": mean_free_path(args.energy, args.disorder),
        "open_channels_leads": [int(x) for x in np.atleast_1d(res.open_channels)],
        "mean_g": float(g.mean()), "std_g_single": float(g[:, :, 0].std()),
        "h_over_e_period_T": ring.periods["h_over_e"],
        "ring_harmonics": ring.as_dict(),
        "h_over_2e_at_zero_e2h": ring.at_zero_field["h_over_2e"].value / g0,
        "h_over_2e_at_zero_stderr_e2h": ring.at_zero_field["h_over_2e"].stderr / g0,
        "h_over_e_at_zero_e2h": ring.at_zero_field["h_over_e"].value / g0,
        "h_over_e_at_zero_stderr_e2h": ring.at_zero_field["h_over_e"].stderr / g0,
        "z_h_over_2e": z["h_over_2e"], "z_h_over_e": z["h_over_e"],
        "single_trace_rms_h_over_e_e2h": ring.sample_rms["h_over_e"] / g0,
        "single_trace_rms_h_over_2e_e2h": ring.sample_rms["h_over_2e"] / g0,
        "onsager_max_gap_e2h": gap, "seconds": seconds,
        "mean_curve_e2h": full.mean(axis=(0, 1)).tolist(), "flux_quanta": phi_full.tolist(),
    }
    if args.csv:   # the average as a measured trace, through the command line
        mean = full.mean(axis=(0, 1)) * g0
        write_text(args.csv, "B_T,G_S\n" + "".join(f"{b:.9e},{x:.12e}\n"
                                                  for b, x in zip(field, mean)))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = weakloc_cli(["ring", args.csv, "--field", "B_T", "--value", "G_S", "--area",
                              repr(area * a**2), "--area-spread", repr(spread), "--json"])
        doc = json.loads(out.getvalue())
        row["weakloc_ring_cli"] = {"exit_code": rc, "h_over_e": doc["h_over_e"],
                                   "h_over_2e": doc["h_over_2e"],
                                   "at_zero_field": doc["traces"][0]["at_zero_field"]}
    return row, (phi_full, full, ring)


def figure(row, phi, full, ring, path):
    """Three single traces, and the average less each sample's background."""
    import matplotlib
    matplotlib.use("Agg")

    from weakloc.plots import savefig
    from weakloc.plots.transport import ring_field_figure

    mean, se = background_residuals(phi, full)
    fig = ring_field_figure(phi, full[:3, 0], mean, se, ring,
                            labels=[f"sample {i}, E = {row['energies'][0]:g} t"
                                    for i in range(3)],
                            title=f"Ring({row['geometry']['r_in_a']:g}, "
                                  f"{row['geometry']['r_out_a']:g}), W = {row['disorder']:g} t,"
                                  f" {row['samples']} samples x {len(row['energies'])} energies")
    return savefig(fig, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=400)
    ap.add_argument("--r-in", type=float, default=11.0)
    ap.add_argument("--r-out", type=float, default=15.0)
    ap.add_argument("--disorder", type=float, default=1.5)
    ap.add_argument("--energy", type=float, default=-0.6, help="centre of the window (t)")
    ap.add_argument("--energies", type=int, default=4)
    ap.add_argument("--energy-step", type=float, default=0.1)
    ap.add_argument("--periods", type=float, default=2.0, help="h/e periods each side of 0")
    ap.add_argument("--points", type=int, default=12, help="fields per h/e period")
    ap.add_argument("--lattice-constant", type=float, default=40e-9, help="a in m")
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--progress", action="store_true")
    ap.add_argument("--json", default=None, help="write the results to this file")
    ap.add_argument("--figure", default=None, help="write the figure (PNG)")
    ap.add_argument("--csv", default=None, help="write the average G(B) (T, S) there and "
                    "run `weakloc ring` on it")
    args = ap.parse_args(argv)
    row, (phi, full, ring) = simulate(args)
    print(f"ring {args.r_in:g}..{args.r_out:g} a in a {row['geometry']['strip']}-wide strip, "
          f"W = {args.disorder:g} t (Born l_e = {row['born_mean_free_path_a']:.1f} a, arm "
          f"length {row['geometry']['arm_length_a']:.0f} a), {args.samples} samples x "
          f"{args.energies} energies: <g> = {row['mean_g']:.3f} e^2/h, {row['seconds']:.0f} s")
    print(f"  h/2e at B = 0: {row['h_over_2e_at_zero_e2h']:+.5f} +- "
          f"{row['h_over_2e_at_zero_stderr_e2h']:.5f} e^2/h (z = {row['z_h_over_2e']:+.1f})")
    print(f"  h/e  at B = 0: {row['h_over_e_at_zero_e2h']:+.5f} +- "
          f"{row['h_over_e_at_zero_stderr_e2h']:.5f} e^2/h (z = {row['z_h_over_e']:+.1f}); "
          f"single traces {row['single_trace_rms_h_over_e_e2h']:.4f} e^2/h rms")
    print(f"  Onsager |g(B) - g(-B)| max {row['onsager_max_gap_e2h']:.1e}; reliable "
          f"{row['ring_harmonics']['reliable']} {row['ring_harmonics']['notes']}")
    if "weakloc_ring_cli" in row:
        cli = row["weakloc_ring_cli"]["at_zero_field"]["h_over_2e"]
        print(f"  weakloc ring on the average (one trace): h/2e at B = 0 "
              f"{cli['value'] / (sc.e**2 / sc.h):+.5f} e^2/h (white-noise error "
              f"{cli['stderr'] / (sc.e**2 / sc.h):.5f}: the sample scatter is not in one trace)")
    checks = {"h/2e at B = 0 negative (WL) beyond 4 sigma": row["z_h_over_2e"] < -4,
              "h/e of the average within 3 sigma of 0": abs(row["z_h_over_e"]) < 3,
              "single-trace h/e rms > 10 x its error on the average":
                  row["single_trace_rms_h_over_e_e2h"] > 10 * row["h_over_e_at_zero_stderr_e2h"],
              "Onsager G(B) = G(-B) to 1e-9": row["onsager_max_gap_e2h"] < 1e-9}
    ok = True
    for text, good in checks.items():
        print(f"   [{'ok' if good else 'FAIL'}] {text}")
        ok &= bool(good)
    row["checks"] = {k: bool(x) for k, x in checks.items()}
    if args.figure:
        row["figure"] = figure(row, phi, full, ring, args.figure)
    if args.json:
        write_json(args.json, row)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
