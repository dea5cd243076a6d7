"""Validation of the real-space Kubo method (results recorded in BENCHMARKS.md).

Run one part at a time, e.g. ``PYTHONPATH=src python benchmarks/validate_kubo.py slopes``:

* ``slopes [--size N] [--vectors R] [--samples S]``: ln t slope of sigma(t) in the three
  classes (orthogonal, unitary with flux 256/N^2 h/e per plaquette, symplectic SU(2)) on
  an N x N torus, W = 4,
  E = -1, window 5 tau .. t_max with t_max where the rms spreading reaches N/4;
* ``unitary [--size N] [--lb R1,R2,..] [--starts T1,T2,..] [--tmax T] [--kind box|gaussian]
  [--save PATH]``: the
  unitary ln t slope against the field (l_B = R l_e, flux quantized on the torus) and
  against the window start, next to what is left of the one-loop Cooperon,
  -(1/2 pi) y/sinh(y) with y = 4 pi D phi t, and the two-loop unitary term
  -1/(4 pi^2 sigma) per ln t (see :func:`unitary_expectation`);
* ``combine --files A.json B.json .. --quanta Q [--starts ..] [--save POOLED]``: the
  realizations of several ``unitary --save`` runs at one field pooled, slopes per window;
* ``paired --files ZERO.json FIELD.json .. [--no-walks]``: sigma(t; B) - sigma(t; 0) on
  the same realizations (paired by seed) against what the field removes of the
  interference correction, from the diffusive Cooperon and from classical loops in the
  field (:func:`weakloc.montecarlo.simulate_walks` with ``field``), each with a fitted
  classical-magnetoresistance constant next to its Drude value;
* ``hln [--size N] [--disorder W] [--tau-phi T1,T2,..] [--quanta-list Q1,Q2,..]
  [--tmax T] [--eta ETA] [--save PATH] | hln --files A.json B.json .. --tau-phi ..``:
  sigma(B; tau_phi) on the torus, paired fields on the same realizations, fitted with
  weakloc's HLN model (alpha free, and alpha = 1/2) at every tau_phi from one set of
  curves (reweighting), against sqrt(D_0 tau_phi) (D_0 the Drude constant of the
  crossover fit) and sqrt(D(tau_phi) tau_phi) (the dephased Kubo D); ``--files`` pools
  the saved runs;
* ``field``: the magnetoconductance of the same model from Landauer, Kubo and HLN;
* ``landauer``: dephased Kubo sigma at tau_phi = L^2/(pi^2 D_0) against the
  disorder-averaged Landauer conductance of an L x L square (contact resistance removed).
"""

import argparse
import time

import numpy as np

from weakloc.dynamics import TorusLattice
from weakloc.kubo.magneto import TAIL_TIMES
from weakloc.theory.magnetoconductance import digamma_f


def slopes(args):
    from weakloc.kubo import kubo_conductivity, log_slope

    n, w, e = args.size, 4.0, -1.0
    d_guess = 2.2                                   # Born D at W = 4, E = -1 (t a^2/hbar)
    t_max = float(round((n / 4) ** 2 / (2 * d_guess)))
    # unitary: flux 256/N^2 per plaquette; the Cooperon decays as x/sinh(x), x = 4 pi D phi t
    # (Landau levels of the Cooperon), x = 1 at t ~ 2 tau for W = 4
    cases = {"orthogonal": (dict(), -1.0), "unitary": (dict(flux=256 / n**2), 0.0),
             "symplectic": (dict(spin_orbit="su2"), 1.0)}
    for i, (label, (kw, expect)) in enumerate(cases.items()):
        if args.classes and label not in args.classes:
            continue
        t0 = time.perf_counter()
        res = kubo_conductivity(TorusLattice(size=n, disorder=w, **kw), e, [t_max],
                                vectors=args.vectors, samples=args.samples, seed=100 + i,
                                dos_moments=None, progress=False)
        fit = log_slope(res, 5 * res.crossover["tau"], t_max)
        print(f"{label:10s} N = {n}, W = {w}, E = {e}, {args.samples} x {args.vectors} "
              f"vectors, window {5 * res.crossover['tau']:.1f} .. {t_max:g}: "
              f"2 pi dsigma/dln t = {fit['in_2pi']:+.3f} +- {fit['in_2pi_stderr']:.3f} "
              f"(one loop {expect:+.0f}); sigma(t_max) = {res.conductivity[-1]:.3f} e^2/h; "
              f"{time.perf_counter() - t0:.0f} s", flush=True)


def cooperon_slope(grid, t_min, t_max, d0, phi):
    """One-loop slope (times 2 pi, e^2/h per ln t, spinless) left in a field, fitted on the
    grid points of the window like :func:`weakloc.kubo.log_slope`.

    In a field the Cooperon's return probability is that of zero field times y/sinh(y),
    y = 4 pi D phi t = t/(2 t_B), t_B = hbar/(4 e D B) = l_B^2/(4 D), phi = B a^2 e/h the
    flux per plaquette; so 2 pi dsigma/dln t = -y/sinh(y). Lattice units t = a = hbar = 1."""
    sel = (grid >= t_min) & (grid <= t_max)
    fine = np.geomspace(grid[0] / 4, t_max, 4000)
    y = 4 * np.pi * d0 * phi * fine
    rate = -np.where(y > 1e-8, y / np.sinh(np.clip(y, 1e-8, 700.0)), 1.0)
    curve = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1])
                                                * np.diff(np.log(fine)))])
    return float(np.polyfit(np.log(grid[sel]), np.interp(grid[sel], fine, curve), 1)[0])


def cooperon_removed(ts, d0, phi, grid=None, diffusion=None):
    """What a flux ``phi`` per plaquette removes of the diffusive Cooperon up to the times
    ``ts``: (1/2 pi) int_0^t dt'/t' (1 - y/sinh y), y = 4 pi D_0 phi t' (e^2/h, spinless;
    lattice units). Weighted with exp(-t/tau_phi) it is HLN's psi(1/2 + x) - ln x over
    2 pi, x = B_phi/B = t_B/tau_phi. With ``diffusion`` (D(t) on ``grid``) the flux
    through the loops grows with the spreading instead: y = 4 pi phi int_0^t D dt'."""
    ts = np.asarray(ts, dtype=float)
    fine = np.geomspace(1e-3, ts.max(), 20000)
    if diffusion is None:
        y = 4 * np.pi * d0 * phi * fine
    else:
        dd = np.interp(fine, np.r_[0.0, grid], np.r_[0.0, diffusion])
        area = np.concatenate([[0.0], np.cumsum(0.5 * (dd[1:] + dd[:-1]) * np.diff(fine))])
        y = 4 * np.pi * phi * (area + dd[0] * fine[0] / 2)
    rate = (1 - np.where(y > 1e-6, y / np.sinh(np.clip(y, 1e-6, 700)), 1.0)) / fine
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(fine))])
    return np.interp(ts, fine, cum) / (2 * np.pi)


def unitary_expectation(sigma):
    """Two-loop unitary slope times 2 pi (e^2/h per ln t): -1/(2 pi sigma), sigma in e^2/h.

    The unitary beta function (Wegner 1979; Hikami 1981; Evers and Mirlin, Rev. Mod. Phys.
    80, 1355 (2008)), g in e^2/h: d ln g/d ln L = -1/(2 pi^2 g^2) - O(g^-4), so
    dg/d ln L = -1/(2 pi^2 g). With L = sqrt(D t), d/d ln t = (1/2) d/d ln L:
    dsigma/d ln t = -1/(4 pi^2 sigma), times 2 pi: -1/(2 pi sigma)."""
    return -1.0 / (2 * np.pi * sigma)


def unitary(args):
    from weakloc.kubo import kubo_conductivity, log_slope

    # l_e = sqrt(2 D_0 tau) = 2.35 a measured at W = 4, E = -1, scaled as the Born 1/W^2
    n, w, e = args.size, args.disorder, -1.0
    l_e = 2.35 * (4.0 / w) ** 2
    t_max = args.tmax or float(round((n / 4) ** 2 / (2 * 2.5 * (4.0 / w) ** 2)))
    ratios = [float(x) for x in args.lb.split(",")]
    starts = [float(x) for x in args.starts.split(",")]
    docs = []
    for ratio in ratios:
        quanta = int(round(n * n / (2 * np.pi * (ratio * l_e) ** 2)))
        phi = quanta / n**2
        t0 = time.perf_counter()
        res = kubo_conductivity(TorusLattice(size=n, disorder=w, flux=phi,
                                             disorder_kind=args.kind), e, [t_max],
                                vectors=args.vectors, samples=args.samples, seed=args.seed,
                                filter_width=args.eta, dos_moments=None, progress=False)
        tau, d0 = res.crossover["tau"], res.crossover["drude_diffusion"]
        l_b = 1 / np.sqrt(2 * np.pi * phi) if phi > 0 else np.inf
        wc_tau = 2 * np.pi * phi / (2 * np.pi * res.dos) * tau   # omega_c = eB/m, m = 2 pi rho
        sig = float(res.conductivity[-1])
        two = unitary_expectation(sig) if phi > 0 else 0.0
        print(f"unitary N = {n}, W = {w}, E = {e}, flux {quanta}/{n}^2 = {phi:.5f} h/e per "
              f"plaquette: l_B = {l_b:.2f} a = {l_b / res.crossover['mean_free_path']:.2f} "
              f"l_e, omega_c tau = {wc_tau:.3f}, t_B = l_B^2/(4 D_0) = "
              f"{l_b**2 / (4 * d0):.2f}, tau = {tau:.2f}, D_0 = {d0:.2f}, sigma(t_max) = "
              f"{sig:.3f} e^2/h; {args.samples} x {args.vectors} vectors, eta = "
              f"{args.eta} t; "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        rows = []
        for t1 in [5 * tau] + [t for t in starts if t < t_max / 3]:
            fit = log_slope(res, t1, t_max)
            coop = cooperon_slope(res.grid, t1, t_max, d0, phi)
            rows.append({"window": [t1, t_max], "slope_2pi": fit["in_2pi"],
                         "stderr_2pi": fit["in_2pi_stderr"], "cooperon_2pi": coop,
                         "two_loop_2pi": two})
            print(f"  window {t1:6.1f} .. {t_max:g}: 2 pi dsigma/dln t = {fit['in_2pi']:+.3f}"
                  f" +- {fit['in_2pi_stderr']:.3f}; Cooperon left {coop:+.3f}, + two loop "
                  f"{two:+.3f} = {coop + two:+.3f}", flush=True)
        docs.append({"flux": phi, "quanta": quanta, "l_B": l_b, "omega_c_tau": wc_tau,
                     "tau": tau, "drude_diffusion": d0, "slopes": rows,
                     "result": res.as_dict(),
                     "grid": res.grid, "grid_conductivity": res.grid_conductivity})
    if args.save:
        from weakloc.io import write_json

        write_json(args.save, {"part": "unitary", "size": n, "disorder": w, "kind": args.kind,
                               "energy": e,
                               "eta": args.eta, "samples": args.samples, "vectors": args.vectors,
                               "seed": args.seed, "t_max": t_max, "fields": docs})


def combine(args):
    """Pool the realizations of several ``unitary --save`` files at one field (``--quanta``,
    the same time grid) and fit the ln t slope of every realization in each window; with
    ``--save`` write the pooled file (one field entry per seed, ``seed`` their list)."""
    meta, groups = _curves_by_field(args.files)
    if args.quanta is not None:
        groups = {q: g for q, g in groups.items() if q == args.quanta}
    if len(groups) != 1:
        raise SystemExit("no field entry matches; check --quanta" if not groups else
                         f"the files hold {len(groups)} fields; pick one with --quanta")
    (runs,) = groups.values()
    seeds = sorted(runs)
    entries = [runs[s][0] for s in seeds]
    curves = np.concatenate([runs[s][1] for s in seeds])
    grid, phi = np.asarray(entries[0]["grid"], dtype=float), entries[0]["flux"]
    d0 = float(np.mean([f["drude_diffusion"] for f in entries]))
    t_max = float(grid[-1])
    sig = float(curves[:, -1].mean())
    print(f"{curves.shape[0]} realizations, flux {phi:.5f} h/e per plaquette, "
          f"sigma({t_max:g}) = {sig:.3f} e^2/h, two loop -1/(2 pi sigma) = "
          f"{unitary_expectation(sig):+.3f}")
    for t1 in [float(x) for x in args.starts.split(",")]:
        sel = (grid >= t1) & (grid <= t_max)
        slopes = 2 * np.pi * np.polyfit(np.log(grid[sel]), curves[:, sel].T, 1)[0]
        coop = cooperon_slope(grid, t1, t_max, d0, phi)
        print(f"  window {t1:6.1f} .. {t_max:g}: 2 pi dsigma/dln t = {slopes.mean():+.3f} +- "
              f"{slopes.std(ddof=1) / np.sqrt(slopes.size):.3f}; Cooperon left {coop:+.3f}")
    if args.save:
        from weakloc.io import write_json

        write_json(args.save, dict(meta, seed=seeds, samples=int(curves.shape[0]),
                                   fields=entries))


def _curves_by_field(paths):
    """``unitary --save`` files (one seed each, or pooled with a list of seeds, one field
    entry per seed) as ``(meta, {quanta: {seed: (entry, curves)}})``; ``meta`` is the first
    file's run description. A seed given twice at one field, or another time grid, stops."""
    import json

    from weakloc.io import read_text

    meta, out = None, {}
    for path in paths:
        doc = json.loads(read_text(path)[0])
        meta = meta or {k: val for k, val in doc.items() if k not in ("fields", "version")}
        seeds = doc["seed"]
        for i, f in enumerate(doc["fields"]):
            seed = seeds[i] if isinstance(seeds, list) else seeds
            runs = out.setdefault(f["quanta"], {})
            if seed in runs:
                raise SystemExit(f"{path}: seed {seed} at {f['quanta']} quanta is already "
                                 "there; pool each realization once")
            if runs and len(f["grid"]) != len(next(iter(runs.values()))[0]["grid"]):
                raise SystemExit(f"{path}: another time grid; pool like with like")
            runs[seed] = (f, np.asarray(f["grid_conductivity"], dtype=float))
    return meta, out


def ballistic_removed(ts, tau, d0, phi, walkers=400_000, seed=7):
    """What a flux ``phi`` per plaquette removes of the weak-localization correction up to
    the times ``ts`` (lattice units), from classical loops instead of the diffusion
    approximation: 2 D int_0^t [P_loop - P_field] dt' (e^2/h, spinless), with P_loop and
    P_field from :func:`weakloc.montecarlo.simulate_walks` (isotropic scattering,
    exponential flights of mean tau, l = sqrt(2 D_0 tau); the field weight is the loop's
    cos(2 e B A/hbar)). The lattice is mapped on SI with hbar/t = 1 fs and a = 1 nm; the
    walk is scale free."""
    from scipy.constants import e, hbar

    from weakloc.montecarlo import simulate_walks

    t_unit, a = 1e-15, 1e-9
    ell = np.sqrt(2 * d0 * tau) * a
    tau_s = tau * t_unit
    field = 2 * np.pi * phi * hbar / (e * a * a)          # 1/l_B^2 = 2 pi phi / a^2
    t_end = float(np.max(ts)) * t_unit
    res = simulate_walks(2, samples=walkers, time=t_end, tau=tau_s, speed=ell / tau_s,
                         field=field, fit_from=min(50.0, t_end / tau_s / 4), seed=seed,
                         progress=False)
    t = np.r_[0.0, res.times]
    rate = np.r_[0.0, res.loop_p0 - res.loop_p0_field]
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (rate[1:] + rate[:-1]) * np.diff(t))])
    return 2 * res.d_theory * np.interp(np.asarray(ts) * t_unit, t, cum)


def paired(args):
    """The field-induced change dsigma(t) = sigma(t; B) - sigma(t; 0) on the same
    realizations (``--files``: ``unitary --save`` files, zero field and fields, paired by
    seed) against what the field removes of the weak-localization correction, from the
    diffusive Cooperon, (1/2 pi) int_0^t (dt'/t') (1 - y/sinh y), y = 4 pi D_0 phi t', and
    from classical loops (:func:`ballistic_removed`), e^2/h, spinless, lattice units. The
    classical magnetoresistance adds a constant once t >> tau (Drude:
    -sigma_D (w_c tau)^2/(1 + (w_c tau)^2)); it is fitted, one number per field and
    prediction, on the times t >= 3 tau, with the covariance of the realizations."""
    _, groups = _curves_by_field(args.files)
    if 0 not in groups:
        raise SystemExit("give the zero-field runs too (unitary --lb inf --save ...)")
    zero = groups.pop(0)
    first = next(iter(zero.values()))[0]
    grid = np.asarray(first["grid"], dtype=float)
    tau = float(np.mean([f["tau"] for f, _ in zero.values()]))
    d0 = float(np.mean([f["drude_diffusion"] for f, _ in zero.values()]))
    ts = np.array([5.0, 10, 20, 35, 50, 100, 200, 400, 600])
    ts = np.unique(np.r_[ts[ts < grid[-1]], grid[-1]])
    pick = [int(np.argmin(np.abs(grid - t))) for t in ts]
    fit_pts = [i for i, t in enumerate(ts) if t >= 3 * tau]
    for quanta, runs in sorted(groups.items()):
        seeds = sorted(set(runs) & set(zero))
        if not seeds:
            print(f"{quanta} quanta: no zero-field run with the same seed; skipped")
            continue
        diff = np.concatenate([runs[s][1] - zero[s][1] for s in seeds])[:, pick]
        entry = runs[seeds[0]][0]
        phi = entry["flux"]
        n = diff.shape[0]
        mean, err = diff.mean(0), diff.std(0, ddof=1) / np.sqrt(n)
        cov = np.cov(diff[:, fit_pts].T) / n
        rho = entry["result"]["dos"]["value"] if "result" in entry else None
        wct = phi * tau / rho if rho else entry["omega_c_tau"]
        drude = (-2 * np.pi * rho * d0 * wct**2 / (1 + wct**2)) if rho else float("nan")
        l_b = 1 / np.sqrt(2 * np.pi * phi)
        l_e = np.sqrt(2 * d0 * tau)
        print(f"{quanta} quanta (flux {phi:.5f} h/e per plaquette): l_B = {l_b:.2f} a = "
              f"{l_b / l_e:.2f} l_e, B/B_tr = {2 * (l_e / l_b) ** 2:.2f}, omega_c tau = "
              f"{wct:.3f}; {n} realizations (seeds {seeds[0]}..{seeds[-1]}), tau = {tau:.2f}, "
              f"D_0 = {d0:.2f}")
        print(f"  t                 {ts.tolist()}")
        print(f"  dsigma measured   {np.round(mean, 3).tolist()}")
        print(f"  stderr            {np.round(err, 3).tolist()}")
        preds = {"diffusive": cooperon_removed(ts, d0, phi)}
        if not args.no_walks:
            preds["ballistic"] = ballistic_removed(ts, tau, d0, phi)
        if n > 2 * len(fit_pts):        # enough realizations for the covariance
            inv, how = np.linalg.inv(cov), "covariance"
        else:
            inv, how = np.diag(1 / np.diag(cov)), "variances only"
        ones = np.ones(len(fit_pts))
        for name, pred in preds.items():
            r = mean[fit_pts] - pred[fit_pts]
            c = float(ones @ inv @ r / (ones @ inv @ ones))     # GLS constant
            chi2 = float((r - c) @ inv @ (r - c))
            print(f"  {name:9s} + c     {np.round(pred + c, 3).tolist()}; fitted c = "
                  f"{c:+.3f} (Drude {drude:+.3f}), chi2 = {chi2:.1f} for "
                  f"{len(fit_pts) - 1} dof ({how})", flush=True)


def hln(args):
    """sigma(B; tau_phi) on the torus, paired fields on the same realizations, fitted with
    weakloc's HLN model (alpha free and alpha = 1/2) at every ``--tau-phi`` by reweighting
    the per-realization curves sigma(t; B) of one run (``--save``), or of several runs
    pooled (``--files``, the same grid and fields)."""
    import json

    from weakloc.kubo.magneto import kubo_magnetoconductance, magnetoconductance_from_curves

    n, w, e = args.size, args.disorder, -1.0
    taus = [float(x) for x in args.tau_phi.split(",")]
    quanta = [int(x) for x in args.quanta_list.split(",")]
    if args.files:
        from weakloc.io import read_text

        docs = [json.loads(read_text(p)[0]) for p in args.files]
        first = docs[0]
        grid = np.asarray(first["curves"]["time"], dtype=float)
        q = np.r_[0, first["quanta"]]
        for d, p in zip(docs, args.files):
            if len(d["curves"]["time"]) != grid.size or list(np.r_[0, d["quanta"]]) != list(q):
                raise SystemExit(f"{p}: another grid or other fields; pool like with like")
        curves = np.concatenate([np.asarray(d["curves"]["value"], float) for d in docs])
        d0 = np.concatenate([d["realization"]["drude_diffusion"] for d in docs])
        rho = np.concatenate([d["realization"]["dos"] for d in docs])
        inp = first["inputs"]
        run = magnetoconductance_from_curves(grid, curves, q, taus[0], drude_diffusion=d0,
                                             dos=rho, cells=inp["cells"],
                                             cell_area=inp["cell_area"], inputs=inp)
        print(f"pooled {len(docs)} runs: {curves.shape[0]} realizations, N = "
              f"{int(round(np.sqrt(inp['cells'])))}, t_max = {grid[-1]:g}")
    else:
        t_max = args.tmax or TAIL_TIMES * max(taus)
        t0 = time.perf_counter()
        run = kubo_magnetoconductance(TorusLattice(size=n, disorder=w), e, taus[0], quanta,
                                      vectors=args.vectors, samples=args.samples,
                                      seed=args.seed, filter_width=args.eta, t_max=t_max,
                                      progress=True)
        print(f"N = {n}, W = {w}, E = {e}, {args.samples} x {args.vectors} vectors, eta = "
              f"{args.eta} t, seed {args.seed}, t_max = {t_max:g}, flux quanta {quanta}; "
              f"{time.perf_counter() - t0:.0f} s", flush=True)
        if args.save:
            from weakloc.io import write_json

            write_json(args.save, run.as_dict())
    cells = run.inputs["cells"]
    # paired differences in time against the diffusive Cooperon the field removes
    grid = run.grid
    diff = run.curves[:, 1:] - run.curves[:, :1]
    ts = np.array([5.0, 10, 20, 50, 100, 200, 400, 800])
    ts = ts[ts <= grid[-1]]
    pick = [int(np.argmin(np.abs(grid - t))) for t in ts]
    print(f"dsigma(t; B) = sigma(t; B) - sigma(t; 0) at t = {np.round(grid[pick], 1).tolist()}"
          f"; sigma(t; 0) = {np.round(run.curves[:, 0].mean(0)[pick], 3).tolist()}")
    # D(t) at zero field: sigma(t; 0)/(2 pi rho)
    d_t = run.curves[:, 0].mean(0) / (2 * np.pi * run.realization_dos.mean())
    for j, m in enumerate(run.quanta):
        err = diff[:, j].std(axis=0, ddof=1) / np.sqrt(diff.shape[0])
        theory = cooperon_removed(grid[pick], run.drude_diffusion, m / cells)
        slow = cooperon_removed(grid[pick], None, m / cells, grid, d_t)
        print(f"  {m:4d} quanta: {np.round(diff[:, j].mean(0)[pick], 3).tolist()} +- "
              f"{np.round(err[pick], 3).tolist()}")
        print(f"       Cooperon, D_0: {np.round(theory, 3).tolist()}; with D(t): "
              f"{np.round(slow, 3).tolist()}")
    for tau_phi in taus:
        r = run.at_tau_phi(tau_phi)
        b_phi = cells / (8 * np.pi * r.l_phi_expected**2)      # quanta through the torus
        hln_half = 0.5 / np.pi * np.array([float(digamma_f(b_phi / m)) for m in r.quanta])
        print(f"tau_phi = {tau_phi:g} hbar/t: D_0 = {r.drude_diffusion:.3f}, "
              f"sqrt(D_0 tau_phi) = {r.l_phi_expected:.2f} a (B_phi = {b_phi:.2f} quanta); "
              f"D(tau_phi) = {r.dephased_diffusion:.3f}, sqrt(D(tau_phi) tau_phi) = "
              f"{r.l_phi_dephased:.2f} a; sigma(0; tau_phi) = {r.sigma0:.3f} e^2/h")
        print(f"  B/B_phi        = {np.round(r.quanta / b_phi, 3).tolist()}")
        print(f"  dsigma (e^2/h) = {np.round(r.dsigma, 4).tolist()}")
        print(f"  stderr         = {np.round(r.dsigma_stderr, 4).tolist()}")
        print(f"  HLN 1/2, D_0   = {np.round(hln_half, 4).tolist()}")
        b_kubo = cells / (8 * np.pi * r.l_phi_dephased**2)
        hln_kubo = 0.5 / np.pi * np.array([float(digamma_f(b_kubo / m)) for m in r.quanta])
        print(f"  HLN 1/2, D(tau_phi) = {np.round(hln_kubo, 4).tolist()}")
        print(f"  fit alpha free: L_phi = {r.l_phi_fit:.2f} +- {r.l_phi_fit_stderr:.2f} a, "
              f"alpha = {r.alpha_fit:.3f} +- {r.alpha_fit_stderr:.3f}, chi2_red = "
              f"{r.fit['reduced_chi2']:.2f}")
        print(f"  fit alpha = 1/2: L_phi = {r.l_phi_fixed_alpha:.2f} +- "
              f"{r.l_phi_fixed_alpha_stderr:.2f} a, chi2_red = "
              f"{r.fit_fixed_alpha['reduced_chi2']:.2f}; reasons: {r.reasons}", flush=True)
        if args.jackknife and run.curves.shape[0] >= 3:
            jk = hln_jackknife(run, tau_phi)
            print(f"  jackknife over realizations (the fields share them): alpha free "
                  f"L_phi {jk['l_phi_fit']:.2f} +- {jk['l_phi_fit_err']:.2f} a, alpha "
                  f"{jk['alpha_fit']:.3f} +- {jk['alpha_fit_err']:.3f}; alpha = 1/2 L_phi "
                  f"{jk['l_phi_fixed_alpha']:.2f} +- {jk['l_phi_fixed_alpha_err']:.2f} a",
                  flush=True)


def hln_jackknife(run, tau_phi):
    """Leave-one-realization-out errors of the HLN fits: the fields are measured on the
    same realizations, so their errors are correlated, which the fit's covariance (points
    independent) ignores."""
    from weakloc.kubo.magneto import magnetoconductance_from_curves

    s = run.curves.shape[0]
    keys = ("l_phi_fit", "alpha_fit", "l_phi_fixed_alpha")
    vals = {k: [] for k in keys}
    for k in range(s):
        keep = np.arange(s) != k
        sub = magnetoconductance_from_curves(
            run.grid, run.curves[keep], np.r_[0, run.quanta], tau_phi,
            drude_diffusion=run.realization_drude[keep], dos=run.realization_dos[keep],
            cells=run.inputs["cells"], cell_area=run.inputs["cell_area"])
        for key in keys:
            vals[key].append(getattr(sub, key))
    out = {}
    for key in keys:
        x = np.asarray(vals[key])
        out[key] = float(x.mean())
        out[key + "_err"] = float(np.sqrt((s - 1) / s * np.sum((x - x.mean()) ** 2)))
    return out


def landauer(args):
    from weakloc.kubo import kubo_conductivity
    from weakloc.lattice import Lattice
    from weakloc.transport.landauer import conductance_ensemble

    w, e, size = 3.0, -1.0, args.length
    t0 = time.perf_counter()
    g = conductance_ensemble(Lattice(dim=2, width=size, length=size, disorder=w,
                                     boundary="periodic"), e, samples=32, seed=1,
                             progress=False, workers=1)
    n_open = g.open_channels
    sig_l = 1.0 / (1.0 / g.mean - 1.0 / n_open)
    err_l = g.stderr / g.mean**2 * sig_l**2
    lat = TorusLattice(size=args.size, disorder=w)
    r0 = kubo_conductivity(lat, e, [10.0], vectors=2, samples=2, seed=2, dos_moments=None,
                           progress=False)
    d0 = r0.crossover["drude_diffusion"]
    tau_phi = size**2 / (np.pi**2 * d0)
    r = kubo_conductivity(lat, e, [tau_phi], tau_phi=tau_phi, vectors=args.vectors,
                          samples=args.samples, seed=3, dos_moments=None, progress=False)
    print(f"Landauer {size} x {size} (periodic, W = {w}, E = {e}, 32 samples): "
          f"g = {g.mean:.3f} +- {g.stderr:.3f}, N = {n_open}, sigma = 1/(1/g - 1/N) = "
          f"{sig_l:.3f} +- {err_l:.3f} e^2/h")
    print(f"Kubo {args.size}^2 torus, D_0 = {d0:.3f}, tau_phi = L^2/(pi^2 D_0) = "
          f"{tau_phi:.2f}: sigma(tau_phi) = {r.dephased['value']:.3f} +- "
          f"{r.dephased['stderr']:.3f} e^2/h; {time.perf_counter() - t0:.0f} s", flush=True)


def field(args):
    """The field response, three ways: Landauer magnetoconductance of a 32 x 32 square (hard
    walls, W = 3, E = -1 + 1e-3 off the lead band edge, 96 samples), Kubo dsigma(B;
    tau_phi = 27 ~ L^2/(pi^2 D_0)) on a 128^2 torus (8 x 1 vectors, window 0.3 t) and HLN
    with alpha = 1/2 at L_phi = sqrt(D_0 tau_phi), at the same fluxes per plaquette."""
    from weakloc.kubo.magneto import kubo_magnetoconductance
    from weakloc.lattice import Lattice
    from weakloc.theory.magnetoconductance import digamma_f
    from weakloc.transport.landauer import conductance_ensemble

    w, e, size, n = 3.0, -1.0, 32, 128
    q = np.array([8, 16, 33, 66])
    phis = q / n**2
    g = conductance_ensemble(Lattice(dim=2, width=size, length=size, disorder=w), e + 1e-3,
                             samples=96, seed=1, fluxes=np.r_[0.0, phis], progress=False,
                             workers=1)
    d = g.values[:, 1:] - g.values[:, :1]
    r = kubo_magnetoconductance(TorusLattice(size=n, disorder=w), e, 27.0, list(q),
                                vectors=1, samples=8, seed=3, filter_width=0.3)
    bphi = 1 / (8 * np.pi * r.l_phi_expected**2)
    hln = 0.5 / np.pi * np.array([float(digamma_f(bphi / p)) for p in phis])
    print(f"flux per plaquette {np.round(phis, 5).tolist()}")
    print(f"  Landauer dG   {np.round(d.mean(0), 4).tolist()} +- "
          f"{np.round(d.std(0, ddof=1) / np.sqrt(d.shape[0]), 4).tolist()}")
    print(f"  Kubo dsigma   {np.round(r.dsigma, 4).tolist()} +- "
          f"{np.round(r.dsigma_stderr, 4).tolist()}")
    print(f"  HLN, L_phi = {r.l_phi_expected:.2f} a: {np.round(hln, 4).tolist()}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("part", choices=("slopes", "unitary", "combine", "paired", "hln",
                                       "landauer", "field"))
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--length", type=int, default=32)
    ap.add_argument("--vectors", type=int, default=2)
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--classes", nargs="*", default=None,
                    help="slopes: only these classes (orthogonal unitary symplectic)")
    ap.add_argument("--lb", default="3,2,1.5,1",
                    help="unitary: magnetic lengths in units of l_e = 2.35 a (4/W)^2")
    ap.add_argument("--eta", type=float, default=0.1,
                    help="unitary, hln: energy window (t)")
    ap.add_argument("--tau-phi", default="165,110,55",
                    help="hln: tau_phi values (hbar/t), the first that of the run")
    ap.add_argument("--jackknife", action="store_true",
                    help="hln: leave-one-realization-out errors of the fits")
    ap.add_argument("--quanta-list", default="2,3,5,10,20,40,80",
                    help="hln: flux quanta through the torus")
    ap.add_argument("--disorder", type=float, default=4.0, help="unitary, hln: W (t)")
    ap.add_argument("--kind", default="box", choices=("box", "gaussian"),
                    help="unitary: on-site distribution, box of width W or Gaussian of the "
                         "same variance W^2/12")
    ap.add_argument("--starts", default="10,20,50,100",
                    help="unitary: window starts (hbar/t) besides 5 tau")
    ap.add_argument("--tmax", type=float, default=None,
                    help="unitary, hln: last time of the curves")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--save", default=None,
                    help="unitary, hln: JSON of the curves; combine: the pooled file (weakloc.io)")
    ap.add_argument("--files", nargs="*", default=(),
                    help="combine, paired: unitary --save files; hln: hln --save files")
    ap.add_argument("--no-walks", action="store_true",
                    help="paired: skip the classical-loop (ballistic) prediction")
    ap.add_argument("--quanta", type=int, default=None,
                    help="combine: the field (flux quanta through the torus) to pool")
    args = ap.parse_args()
    parts = {"slopes": slopes, "unitary": unitary, "combine": combine, "paired": paired,
             "hln": hln, "landauer": landauer, "field": field}
    parts[args.part](args)


if __name__ == "__main__":
    main()
