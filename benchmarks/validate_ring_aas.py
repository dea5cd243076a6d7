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
from weakloc.fitting.rings import ring_harmonics
from weakloc.io import write_json, write_text
from weakloc.lattice import Lattice
from weakloc.lattice.shapes import Ring
from weakloc.seeding import root_entropy, stream
from weakloc.theory.born import mean_free_path
from weakloc.transport.landauer import conductance_batch, conductance_ensemble


def ring_lattice(r_in, r_out, disorder):
    """The strip (one site of margin around the ring) holding ``Ring(r_in, r_out)``."""
    size = int(2 * r_out + 1) + 2
    return Lattice(width=size, length=size, disorder=disorder, shape=Ring(r_in, r_out))


def onsager_gap(lat, root, energy, fluxes) -> float:
    """max |g(B) - g(-B)| of realization 0 (e^2/h)."""
    real = lat.realize(stream(root, 0))
    g = conductance_batch(real, [energy], np.concatenate([fluxes, -fluxes]))[0]
    return float(np.max(np.abs(g[: fluxes.size] - g[fluxes.size:])))


def simulate(args):
    """Run the ensemble; returns the row of results and the arrays for the figure."""
    lat = ring_lattice(args.r_in, args.r_out, args.disorder)
    r_mean = 0.5 * (args.r_in + args.r_out)
    area = np.pi * r_mean**2                                  # a^2
    spread = (args.r_out**2 - args.r_in**2) / (args.r_out**2 + args.r_in**2)
    phi = np.arange(int(round(args.periods * args.points)) + 1) / args.points   # h/e
    fluxes = phi / area                                       # per plaquette, h/e
    energies = args.energy + args.energy_step * (np.arange(args.energies)
                                                 - 0.5 * (args.energies - 1))
    root = root_entropy(args.seed)
    t0 = time.perf_counter()
    res = conductance_ensemble(lat, energies, samples=args.samples, seed=root, fluxes=fluxes,
                               progress=args.progress)
    seconds = time.perf_counter() - t0
    g = res.values                                            # (samples, energies, fields)
    full = np.concatenate([g[..., :0:-1], g], axis=-1)       # G(-B) = G(B)
    phi_full = np.concatenate([-phi[:0:-1], phi])
    a = args.lattice_constant
    field = phi_full / area * sc.h / (sc.e * a**2)            # T
    g0 = sc.e**2 / sc.h
    ring = ring_harmonics(field, full * g0, area=area * a**2, area_spread=spread)
    gap = onsager_gap(lat, root, float(energies[0]), fluxes[1:4])
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
    return row, (phi_full, full)


def figure(row, phi, full, path):
    """Three single traces, and the average with its h/2e band-passed part."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from weakloc.plots import savefig

    per_sample = full.mean(axis=1)
    x = phi / np.ptp(phi) * 2
    # each sample's own smooth background (quadratic) removed, then mean and standard error
    resid = per_sample - np.polynomial.polynomial.polyval(
        x, np.polynomial.polynomial.polyfit(x, per_sample.T, 2)).reshape(per_sample.shape)
    mean = resid.mean(axis=0)
    se = resid.std(axis=0, ddof=1) / np.sqrt(resid.shape[0])
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.4))
    for s in range(3):
        ax[0].plot(phi, full[s, 0], lw=1, label=f"sample {s}, E = {row['energies'][0]:g} t")
    ax[0].set_xlabel(r"flux through the mean area ($h/e$)")
    ax[0].set_ylabel(r"$g$ ($e^2/h$)")
    ax[0].set_title("single samples: h/e, random phase", fontsize=9)
    ax[0].legend(fontsize=7)
    d = mean * 1e3
    ax[1].fill_between(phi, d - se * 1e3, d + se * 1e3, alpha=0.3, lw=0)
    ax[1].plot(phi, d, lw=1)
    for k in np.arange(np.ceil(2 * phi[0]), np.floor(2 * phi[-1]) + 1) / 2:
        ax[1].axvline(k, color="0.8", lw=0.5, zorder=0)
    a2 = row["h_over_2e_at_zero_e2h"]
    ax[1].set_xlabel(r"flux through the mean area ($h/e$)")
    ax[1].set_ylabel(r"$\langle g\rangle$ - background ($10^{-3}\,e^2/h$)")
    ax[1].set_title(f"average of {row['samples']} x {len(row['energies'])}: h/2e at B = 0 "
                    f"{a2 * 1e3:+.1f} +- {row['h_over_2e_at_zero_stderr_e2h'] * 1e3:.1f}",
                    fontsize=9)
    fig.tight_layout()
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
    row, (phi, full) = simulate(args)
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
        row["figure"] = figure(row, phi, full, args.figure)
    if args.json:
        write_json(args.json, row)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
