"""Graphene: weak localization or antilocalization, decided by the range of the disorder.

Kubo magnetoconductance on the edgeless honeycomb torus (results in BENCHMARKS.md):

    PYTHONPATH=src python benchmarks/validate_graphene_wl.py [--width 96] [--samples 8]

Two disorders at the same energy near the Dirac point: short-range (uncorrelated box
disorder of width W, which scatters between the K and K' valleys) and smooth (Gaussian
correlated disorder, correlation length xi = 3 a_cc, whose Fourier transform at the valley
separation |K - K'| = 4 pi/(3 sqrt 3 a_cc) is exp(-26): no intervalley scattering). McCann
et al., PRL 97, 146805 (2006): with intervalley scattering the Cooperons of the two valleys
mix and graphene is an orthogonal metal (weak localization: sigma rises with B); without
it each valley keeps its Berry phase pi and the correction changes sign (antilocalization:
sigma falls with B), until trigonal warping at higher energy suppresses it.

For each disorder and each realization ``r`` (stream ``r`` of the root seed: same disorder
and same random vectors at every field) the script computes the dephased Kubo
conductivity sigma(B; tau_phi) (:mod:`weakloc.kubo.dephasing`) at zero field and at
``--quanta`` flux quanta through the torus, the paired difference
Delta sigma = sigma(B) - sigma(0) per realization, and its mean and standard error over the
realizations; the sign counts as shown when |mean| > 3 standard errors. From the
zero-field runs it also prints the slope of sigma(t) against ln t in the diffusive window
(negative: WL, positive: WAL), each realization's curve fitted separately.
"""

import argparse
import time

import numpy as np


def run_case(label, torus, args):
    from weakloc.kubo import kubo_conductivity
    from weakloc.kubo.magneto import flux_cells
    from weakloc.seeding import root_entropy, stream

    cells, _ = flux_cells(torus)
    root = root_entropy(args.seed)
    quanta = [0] + list(args.quanta)
    sig = np.empty((args.samples, len(quanta)))
    curves, grid, taus = [], None, []
    t0 = time.perf_counter()
    for r in range(args.samples):
        for i, m in enumerate(quanta):
            res = kubo_conductivity(torus.with_(flux=m / cells), args.energy,
                                    [args.tau_phi], tau_phi=args.tau_phi,
                                    vectors=args.vectors, streams=[stream(root, r)],
                                    filter_width=args.filter_width, dos_moments=None,
                                    progress=False)
            sig[r, i] = res.dephased["value"]
            if m == 0:
                curves.append(res.grid_conductivity.mean(axis=0))
                grid = res.grid
                taus.append(res.crossover["tau"] or np.nan)
    diff = sig[:, 1:] - sig[:, :1]
    mean, err = diff.mean(0), diff.std(0, ddof=1) / np.sqrt(args.samples)
    tau = float(np.nanmean(taus))
    sel = (grid >= args.window[0]) & (grid <= args.window[1])
    slopes = np.polyfit(np.log(grid[sel]), np.array(curves)[:, sel].T, 1)[0]
    sl, sle = slopes.mean(), slopes.std(ddof=1) / np.sqrt(slopes.size)
    print(f"{label}: {torus.lattice.disorder_kind} W = {torus.lattice.disorder}, "
          f"xi = {torus.lattice.correlation} a_cc; tau = {tau:.2f} hbar/t; "
          f"sigma(0; tau_phi) = {sig[:, 0].mean():.3f} +- "
          f"{sig[:, 0].std(ddof=1) / np.sqrt(args.samples):.3f} e^2/h", flush=True)
    for m, d, e in zip(args.quanta, mean, err):
        verdict = ("WL (sigma rises with B)" if d > 3 * e else
                   "WAL (sigma falls with B)" if d < -3 * e else "not significant")
        print(f"  {m:4d} quanta (phi = {m / cells:.2e} h/e per hexagon): Delta sigma = "
              f"{d:+.4f} +- {e:.4f} e^2/h ({d / e:+.1f} sigma): {verdict}", flush=True)
    print(f"  zero field: d sigma / d ln t = {sl:+.3f} +- {sle:.3f} e^2/h in "
          f"[{args.window[0]:g}, {args.window[1]:g}] hbar/t "
          f"(2 pi x = {2 * np.pi * sl:+.2f} +- {2 * np.pi * sle:.2f}); "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    return mean, err


def run_slope(label, torus, args):
    """Zero field only: sigma(t) to the end of the window, the ln t slope per realization."""
    from weakloc.kubo import kubo_conductivity
    from weakloc.seeding import root_entropy, stream

    root = root_entropy(args.seed)
    t0 = time.perf_counter()
    curves, taus, grid, rel = [], [], None, []
    for r in range(args.samples):
        res = kubo_conductivity(torus, args.energy, [args.window[1]], vectors=args.vectors,
                                streams=[stream(root, r)], filter_width=args.filter_width,
                                dos_moments=None, progress=False)
        curves.append(res.grid_conductivity.mean(axis=0))
        grid = res.grid
        taus.append(res.crossover["tau"] or np.nan)
        rel.extend(x for x in res.reasons if "quarter" in x)
    curves = np.array(curves)
    sel = (grid >= args.window[0]) & (grid <= args.window[1])
    slopes = np.polyfit(np.log(grid[sel]), curves[:, sel].T, 1)[0]
    sl, sle = slopes.mean(), slopes.std(ddof=1) / np.sqrt(slopes.size)
    show = [t for t in (2, 5, 10, 20, 40, 80, 160, 320) if t <= grid[-1]]
    vals = [np.interp(t, grid, curves.mean(0)) for t in show]
    print(f"{label}: {torus.lattice.disorder_kind} W = {torus.lattice.disorder}, "
          f"xi = {torus.lattice.correlation} a_cc; crossover tau = {np.nanmean(taus):.2f}; "
          f"sigma(t) at t = {show}: {np.round(vals, 3).tolist()} e^2/h", flush=True)
    verdict = ("WL-like (falls)" if sl < -3 * sle else "WAL-like (rises)" if sl > 3 * sle
               else "flat within 3 standard errors")
    print(f"  d sigma / d ln t = {sl:+.3f} +- {sle:.3f} e^2/h in [{args.window[0]:g}, "
          f"{args.window[1]:g}] (2 pi x = {2 * np.pi * sl:+.2f} +- {2 * np.pi * sle:.2f}): "
          f"{verdict}; {'; '.join(sorted(set(rel))) or 'spreading below L/4'}; "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    return {"grid": grid, "sigma": curves.mean(0),
            "stderr": curves.std(0, ddof=1) / np.sqrt(curves.shape[0]),
            "slope": sl, "slope_stderr": sle, "model": torus.as_dict()}


def save(path, docs, args):
    """The zero-field curves (JSON through weakloc.io) and a figure of sigma(t)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from weakloc import __version__
    from weakloc.io import write_json
    from weakloc.plots import savefig

    write_json(path + ".json", {"parameters": vars(args), "version": __version__,
                                "cases": docs, "units": {"time": "hbar/t",
                                                         "sigma": "e^2/h"}})
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, d in docs.items():
        ax.fill_between(d["grid"], d["sigma"] - d["stderr"], d["sigma"] + d["stderr"],
                        alpha=0.3)
        ax.semilogx(d["grid"], d["sigma"], label=f"{label}: slope {d['slope']:+.3f} "
                    f"+- {d['slope_stderr']:.3f} e^2/h per ln t")
    ax.axvspan(*args.window, color="0.9", zorder=0)
    ax.set_xlabel("t (hbar/t)")
    ax.set_ylabel("sigma(E, t) (e^2/h)")
    ax.set_title(f"graphene torus, E = {args.energy} t: short-range vs smooth disorder")
    ax.legend(fontsize=8)
    fig.tight_layout()
    savefig(fig, path + ".png")


def main():
    from weakloc.kubo import torus_model

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--width", type=int, default=96, help="zigzag chains across (even)")
    ap.add_argument("--energy", type=float, default=0.3, help="E (t)")
    ap.add_argument("--short", type=float, default=2.0, help="W of the box disorder (t)")
    ap.add_argument("--smooth", type=float, default=1.5,
                    help="W of the smooth disorder (std W/sqrt 12, t)")
    ap.add_argument("--xi", type=float, default=3.0, help="correlation length (a_cc)")
    ap.add_argument("--tau-phi", type=float, default=15.0, help="tau_phi (hbar/t)")
    ap.add_argument("--quanta", type=lambda s: [int(x) for x in s.split(",")],
                    default=[40], help="flux quanta through the torus, e.g. 20,40")
    ap.add_argument("--window", type=lambda s: [float(x) for x in s.split(",")],
                    default=[8.0, 40.0], help="ln t fit window t1,t2 (hbar/t)")
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--vectors", type=int, default=2)
    ap.add_argument("--filter-width", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=2006)
    ap.add_argument("--only", choices=("short", "smooth"), default=None)
    ap.add_argument("--part", choices=("field", "slope"), default="field",
                    help="field: paired Delta sigma(B; tau_phi); slope: zero-field "
                    "sigma(t) and its ln t slope in --window")
    ap.add_argument("--save", default=None,
                    help="slope part: write PREFIX.json (curves) and PREFIX.png")
    args = ap.parse_args()
    common = dict(lattice="honeycomb", width=args.width)
    cases = {"short-range": torus_model(disorder=args.short, **common),
             "smooth": torus_model(disorder=args.smooth, correlation=args.xi, **common)}
    torus = cases["short-range"]
    print(f"honeycomb torus {torus.periods[0]:.1f} x {torus.periods[1]:.1f} a_cc "
          f"({torus.cells * 2} sites), E = {args.energy} t, tau_phi = {args.tau_phi} hbar/t, "
          f"{args.samples} realizations x {args.vectors} vectors", flush=True)
    docs = {}
    for label, torus in cases.items():
        if args.only and not label.startswith(args.only):
            continue
        docs[label] = (run_case if args.part == "field" else run_slope)(label, torus, args)
    if args.save and args.part == "slope":
        save(args.save, docs, args)


if __name__ == "__main__":
    main()
