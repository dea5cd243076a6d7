"""Demo section: the closed-form theory of diffusion and weak localization."""

from __future__ import annotations

from pathlib import Path

TITLE = "Closed-form theory: return probability, WL correction, HLN curves"
ORDER = 10

# a 2D electron gas-like parameter set (SI)
TAU = 1e-13        # s, elastic time
DIFFUSION = 1e-2   # m^2/s
R_SHEET = 1000.0   # Ohm, for the AAK dephasing time


def run(outdir: Path, seed: int) -> dict:
    """Write three figures; ``seed`` is unused (everything here is deterministic)."""
    import numpy as np

    from weakloc.plots import savefig
    from weakloc.plots.theory import (
        magnetoconductance_figure,
        return_probability_figure,
        wl_correction_figure,
    )
    from weakloc.theory import (
        integrated_return_probability,
        nyquist_rate_2d,
        return_probability,
        wl_correction,
    )
    from weakloc.units import E2_OVER_H, E_CHARGE, G0, HBAR

    outdir = Path(outdir)
    figures, highlights = [], []

    # 1. return probability
    tau_phi = 1e3 * TAU
    t = np.logspace(-1, 4, 200) * TAU
    curves = {d: return_probability(t, DIFFUSION, d) for d in (1, 2, 3)}
    figures.append(Path(savefig(return_probability_figure(t, curves, tau=TAU, tau_phi=tau_phi),
                                outdir / "theory_return_probability.png")).name)
    irp2 = float(integrated_return_probability(TAU, tau_phi, DIFFUSION, 2))

    # 2. WL correction vs tau_phi / tau, in natural units of each dimension
    ratio = np.logspace(0.5, 6, 120)
    l_tau = np.sqrt(DIFFUSION * TAU)
    units = {1: 2 * E2_OVER_H * l_tau, 2: G0, 3: E_CHARGE**2 / (2 * np.pi**2 * HBAR) / l_tau}
    labels = {1: r"$\delta\sigma_{1D}$ ($2e^2 l_\tau/h$)", 2: r"$\delta\sigma$ ($e^2/\pi h$)",
              3: r"$\delta\sigma$ ($e^2/2\pi^2\hbar\, l_\tau$)"}
    wl = {d: {sym: wl_correction(d, TAU, ratio * TAU, diffusion=DIFFUSION, symmetry=sym)
              / units[d] for sym in ("orthogonal", "unitary", "symplectic")}
          for d in (1, 2, 3)}
    figures.append(Path(savefig(wl_correction_figure(ratio, wl, labels),
                                outdir / "theory_wl_correction.png")).name)
    wl100 = float(wl_correction(2, TAU, 100 * TAU) / G0)
    highlights.append(
        f"WL at tau_phi/tau = 100: 2D {wl100:.3f} e^2/(pi h) (= -ln 100); "
        f"3D within {abs(wl[3]['orthogonal'][-1] + 1):.1e} of its limit at 1e6"
    )
    tphi_aak = 1 / nyquist_rate_2d([1.0, 4.0], R_SHEET)
    highlights.append(
        f"AAK tau_phi at R_sheet = 1 kOhm: {tphi_aak[0] * 1e12:.2f} ps (1 K), "
        f"{tphi_aak[1] * 1e12:.2f} ps (4 K)"
    )

    result = {
        "tau_s": TAU, "diffusion_m2_per_s": DIFFUSION,
        "integrated_return_probability_2d_s_per_m2": irp2,
        "wl_2d_at_ratio_100_in_G0": wl100,
        "aak_tau_phi_1K_s": float(tphi_aak[0]), "aak_tau_phi_4K_s": float(tphi_aak[1]),
    }

    # 3. HLN curves (needs weakloc.theory.magnetoconductance)
    try:
        from weakloc.theory.magnetoconductance import hln
    except ImportError:
        hln = None
    if hln is None:
        highlights.append("HLN figure skipped: weakloc.theory.magnetoconductance.hln missing")
    else:
        l_phi = 200e-9
        B = np.linspace(-0.1, 0.1, 401)
        hcurves = {f"alpha = {a:g}": hln(B, a, l_phi) / G0 for a in (1.0, 0.0, -0.5)}
        figures.append(Path(savefig(
            magnetoconductance_figure(B, hcurves, title=r"HLN, $L_\phi$ = 200 nm"),
            outdir / "theory_hln.png")).name)
        result["hln_alpha1_at_0p1T_in_G0"] = float(hcurves["alpha = 1"][-1])
        highlights.append(
            f"HLN (L_phi = 200 nm) at 0.1 T: {hcurves['alpha = 1'][-1]:+.2f} e^2/(pi h) "
            f"for alpha = 1, {hcurves['alpha = -0.5'][-1]:+.2f} for alpha = -1/2"
        )
    result["figures"] = figures
    result["highlights"] = highlights
    return result
