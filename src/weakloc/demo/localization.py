"""Demo section: localization lengths, one-parameter scaling and the Anderson transition."""

from __future__ import annotations

from pathlib import Path

TITLE = "Anderson localization: transfer-matrix xi, beta(g), finite-size scaling"
ORDER = 40


def run(outdir: Path, seed: int) -> dict:
    """Four figures: 1D chain, Lambda(M) of the three 2D classes, 3D collapse, beta(g)."""
    import numpy as np

    from weakloc.finitesize import fss_fit
    from weakloc.lattice import Lattice
    from weakloc.plots import savefig
    from weakloc.plots.localization import (
        beta_figure,
        chain_figure,
        collapse_figure,
        lambda_width_figure,
    )
    from weakloc.seeding import stream
    from weakloc.theory import beta_function
    from weakloc.transport.beta import beta_from_conductance
    from weakloc.transport.transfer import localization_length, localization_lengths

    outdir = Path(outdir)
    figures, highlights, result = [], [], {}

    # 1. 1D chain at weak disorder: Thouless 96 (1 - E^2/4) and the Kappus-Wegner 105
    w1 = 1.0
    energies = np.array([0.0, 0.3, 0.6, 1.2, 1.5])
    chain = [localization_length(Lattice(width=1, disorder=w1), e,
                                 seed=int(stream(seed, 1, i).integers(2**62)), precision=0.01,
                                 progress=False) for i, e in enumerate(energies)]
    xw2 = np.array([r.xi for r in chain]) * w1**2
    xw2_err = np.array([r.xi_stderr for r in chain]) * w1**2
    ef = np.linspace(-1.7, 1.7, 200)
    figures.append(Path(savefig(chain_figure(energies, xw2, xw2_err, ef, 96 * (1 - ef**2 / 4),
                                             anomaly=105.0),
                                outdir / "localization_chain.png")).name)
    highlights.append(f"1D chain W = 1: xi W^2 = {xw2[0]:.1f} +- {xw2_err[0]:.1f} at E = 0 "
                      f"(Kappus-Wegner 105, not 96); {xw2[2]:.1f} +- {xw2_err[2]:.1f} at "
                      f"E = 0.6 (Thouless {96 * (1 - 0.36 / 4):.1f})")
    result["chain_xi_w2"] = xw2.tolist()

    # 2. Lambda(M) in 2D: orthogonal and unitary decrease, symplectic (SU(2)) grows
    widths = [4, 8, 16]
    models = {"orthogonal W = 4": Lattice(disorder=4.0, boundary="periodic"),
              "unitary W = 4, phi = 1/M": None,
              "symplectic SU(2) W = 4": Lattice(disorder=4.0, spin_orbit="su2",
                                                boundary="periodic")}
    curves = {}
    for k, (label, lat) in enumerate(models.items()):
        if lat is None:
            lats = [Lattice(disorder=4.0, boundary="periodic", width=m, flux=1.0 / m)
                    for m in widths]
        else:
            lats = [lat.with_(width=m) for m in widths]
        res = localization_lengths(lats, 0.01, seed=int(stream(seed, 2, k).integers(2**62)),
                                   precision=0.03, progress=False)
        curves[label] = (np.array(widths), np.array([r.lambda_ for r in res]),
                         np.array([r.lambda_stderr for r in res]))
    figures.append(Path(savefig(lambda_width_figure(curves, "2D strips, E = 0.01, periodic"),
                                outdir / "localization_lambda_2d.png")).name)
    lam_s = curves["symplectic SU(2) W = 4"][1]
    lam_o = curves["orthogonal W = 4"][1]
    highlights.append(f"2D, W = 4: Lambda(M = 4 -> 16) orthogonal {lam_o[0]:.2f} -> "
                      f"{lam_o[-1]:.2f} (localized), SU(2) {lam_s[0]:.2f} -> {lam_s[-1]:.2f}")

    # 3. 3D Anderson transition: a small, quick finite-size scaling run
    ws = np.array([15.0, 16.0, 17.0, 18.0, 19.0])
    ms = [4, 6, 8]
    lats = [Lattice(dim=3, width=m, disorder=w, boundary="periodic") for m in ms for w in ws]
    res = localization_lengths(lats, 0.0, seed=int(stream(seed, 3).integers(2**62)),
                               precision=0.02, progress=False, workers=2)
    fit = fss_fit([lat.disorder for lat in lats], [lat.width for lat in lats],
                  [r.lambda_ for r in res], [r.lambda_stderr for r in res], n_r=2)
    figures.append(Path(savefig(collapse_figure(fit, "3D orthogonal, M = 4, 6, 8 (2%)"),
                                outdir / "localization_collapse_3d.png")).name)
    highlights.append(f"3D FSS (M = 4-8, 2% points): W_c = {fit.w_c:.2f} "
                      f"[{fit.w_c_ci[0]:.2f}, {fit.w_c_ci[1]:.2f}], nu = {fit.nu:.2f} "
                      f"[{fit.nu_ci[0]:.2f}, {fit.nu_ci[1]:.2f}] (published 16.54, 1.57; "
                      "small sizes, no irrelevant term)")
    result["fss"] = {"w_c": fit.w_c, "w_c_ci": fit.w_c_ci, "nu": fit.nu, "nu_ci": fit.nu_ci,
                     "lambda_c": fit.lambda_c}

    # 4. beta(g) of 2D orthogonal squares against the perturbative d - 2 - c/g
    beta = beta_from_conductance(Lattice(disorder=4.0), [4, 8, 16], 0.3, samples=100,
                                 seed=int(stream(seed, 4).integers(2**62)), progress=False)
    lg = np.linspace(-0.5, 2.5, 100)
    theory = {"2D orthogonal, 1 spin: -1/(pi g)":
              (lg, beta_function(np.exp(lg), 2, symmetry="orthogonal", spin_degeneracy=1))}
    figures.append(Path(savefig(beta_figure({"2D orthogonal W = 4": beta}, theory,
                                            "beta(g) from Landauer conductances"),
                                outdir / "localization_beta.png")).name)
    highlights.append("2D orthogonal W = 4, beta at <ln g> = "
                      + ", ".join(f"{x:.2f}: {b:+.2f} +- {e:.2f}" for x, b, e in
                                  zip(beta.ln_g_mid, beta.beta, beta.beta_err))
                      + f" (perturbative -1/(pi g): {-1 / (np.pi * np.exp(beta.ln_g_mid[0])):+.2f}"
                      " at the first point)")
    result["beta_2d_orthogonal"] = {"ln_g": beta.ln_g_mid.tolist(), "beta": beta.beta.tolist(),
                                    "beta_err": beta.beta_err.tolist()}
    result["figures"] = figures
    result["highlights"] = highlights
    return result
