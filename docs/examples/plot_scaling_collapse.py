"""
Finite-size scaling: W_c and nu from a data collapse
====================================================

:func:`weakloc.finitesize.fss_fit` fits the Slevin-Ohtsuki expansion of
``Lambda(W, M) = xi/M`` near an Anderson transition. A real grid of 3D bars takes minutes
(``weakloc scaling`` or :func:`weakloc.ensemble.lambda_grid`); here the grid is synthetic:
the scaling form itself with ``W_c = 16.5``, ``nu = 1.57`` and 0.5 % Gaussian noise, so the
fit must give back the values it was built from within its confidence intervals.
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.finitesize import fss_fit, scaling_model

rng = np.random.default_rng(3)
widths = np.array([4, 6, 8, 10, 12])
disorders = np.linspace(15.0, 18.0, 9)
W, M = (a.ravel() for a in np.meshgrid(disorders, widths))
truth = [16.5, 1.57, np.log(0.576), -0.045, 0.0008, 0.0001]     # W_c, nu, F_0..F_3
lam = np.exp(scaling_model(truth, W, M, n_r=3))
lam_err = 0.005 * lam
lam = lam * (1 + 0.005 * rng.standard_normal(lam.size))

fit = fss_fit(W, M, lam, lam_err, n_r=3)
print(f"W_c = {fit.w_c:.3f} {fit.w_c_ci}, nu = {fit.nu:.3f} {fit.nu_ci}, "
      f"chi2/dof = {fit.chi2 / fit.dof:.2f}")

fig, (raw, collapse) = plt.subplots(1, 2, figsize=(9, 3.8))
x = (W - fit.w_c) * M ** (1 / fit.nu)
for m in widths:
    sel = M == m
    raw.errorbar(W[sel], lam[sel], lam_err[sel], fmt="o-", ms=3, label=f"M = {m}")
    collapse.errorbar(x[sel], lam[sel], lam_err[sel], fmt="o", ms=3)
raw.axvline(fit.w_c, color="gray", ls=":")
raw.set_xlabel("W (t)")
raw.set_ylabel(r"$\Lambda = \xi/M$")
raw.legend(fontsize=7)
collapse.set_xlabel(r"$(W - W_c)\,M^{1/\nu}$")
collapse.set_yscale("log")
collapse.set_title(f"W_c = {fit.w_c:.2f}, nu = {fit.nu:.2f}", fontsize=9)
fig.tight_layout()
