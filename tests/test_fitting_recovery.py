"""Parameter recovery from automatic guesses, and the coverage of the 1-sigma intervals."""

import numpy as np
import pytest

from weakloc.fitting.fit import fit_curve
from weakloc.fitting.synthetic import synthetic_dsigma
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import MODELS

B = np.linspace(0.0, 0.1, 201)
ROOT = 20261201

# identifiable parameter sets: every characteristic field inside the window 0 - 0.1 T
CASES = {
    "hln": (dict(alpha=-0.5, l_phi=300e-9), {}, ()),
    "hln-full": (dict(l_phi=400e-9, l_so=100e-9), {}, ()),
    "ilp": (dict(l_phi=400e-9, l_so=150e-9), {}, ()),
    "ilp-linear": (dict(l_phi=400e-9, l_so=200e-9, l_so1=150e-9), {}, ("l_so1",)),
    "graphene": (dict(l_phi=500e-9, l_i=300e-9, l_star=60e-9), {}, ()),
    "wire": (dict(l_phi=800e-9), {"width": 100e-9}, ()),
    "kawabata": (dict(l_phi=300e-9), {}, ()),
}


def _noisy(model, params, consts, rel_noise, seed):
    clean = MODELS["ilp" if model == "ilp-linear" else model]
    if model == "ilp-linear":
        from weakloc.theory.ilp_linear import ilp_linear as clean
    y0 = clean(B, **params, **consts)
    noise = rel_noise * np.ptp(y0)
    return y0 + noise * stream(seed, 0).standard_normal(B.size), noise


@pytest.mark.parametrize("case", list(CASES))
def test_recovery_from_automatic_guess(case):
    params, consts, include = CASES[case]
    model = "ilp" if case == "ilp-linear" else case
    y, noise = _noisy(case, params, consts, 0.01, ROOT + len(case))
    r = fit_curve((B, y), model, constants=consts, include=include, sigma=noise)
    assert r.converged
    for k, v in params.items():
        pull = (r.value(k) - v) / r.stderr(k)
        assert abs(pull) < 4.0, (k, r.value(k), v, r.stderr(k))
        assert r.stderr(k) < 0.05 * abs(v)  # identifiable, not just a wide error bar
    assert r.reduced_chi2 == pytest.approx(1.0, abs=4 * np.sqrt(2 / r.dof))
    assert set(r.correlation) == set(n for n in r.parameters)
    d = r.derived(diffusion=0.01)
    assert d["b_phi"].stderr / d["b_phi"].value == pytest.approx(
        2 * r.stderr("l_phi") / r.value("l_phi"))
    assert d["tau_phi"].value == pytest.approx(r.value("l_phi") ** 2 / 0.01)


def test_synthetic_dsigma_is_reproducible():
    a = synthetic_dsigma("hln", B, dict(alpha=1.0, l_phi=2e-7), noise=1e-7, seed=3)
    b = synthetic_dsigma("hln", B, dict(alpha=1.0, l_phi=2e-7), noise=1e-7, seed=3)
    np.testing.assert_array_equal(a, b)


def _coverage(model, params, n_seeds, sigma_known, consts=None):
    hits = {k: 0 for k in params}
    pulls = {k: [] for k in params}
    for i in range(n_seeds):
        y0 = MODELS[model](B, **params, **(consts or {}))
        noise = 0.02 * np.ptp(y0)
        y = y0 + noise * stream(ROOT, 1, i).standard_normal(B.size)
        # one start from the automatic guess (the multi-start only guards against a poor
        # grid point; the recovery test above exercises it)
        r = fit_curve((B, y), model, constants=consts, sigma=noise if sigma_known else None,
                      n_starts=1)
        for k, v in params.items():
            pull = (r.value(k) - v) / r.stderr(k)
            pulls[k].append(pull)
            hits[k] += abs(pull) <= 1.0
    return {k: hits[k] / n_seeds for k in params}, {k: np.array(v) for k, v in pulls.items()}


@pytest.mark.slow
@pytest.mark.parametrize("model,params,n_seeds,sigma_known", [
    ("hln", dict(alpha=-0.5, l_phi=300e-9), 300, True),
    ("hln", dict(alpha=1.0, l_phi=150e-9), 300, False),
    ("ilp", dict(l_phi=400e-9, l_so=150e-9), 150, True),
])
def test_coverage_of_one_sigma_intervals(model, params, n_seeds, sigma_known):
    cov, pulls = _coverage(model, params, n_seeds, sigma_known)
    p68 = 0.682689
    se = np.sqrt(p68 * (1 - p68) / n_seeds)  # binomial standard error of the hit fraction
    for k in params:
        assert abs(cov[k] - p68) < 4 * se, (k, cov[k], se)
        # pulls: mean 0 and spread 1 within 4 standard errors
        assert abs(pulls[k].mean()) < 4 / np.sqrt(n_seeds)
        assert abs(pulls[k].std(ddof=1) - 1) < 4 / np.sqrt(2 * (n_seeds - 1))


def test_fix_any_parameter_and_infinite_lengths():
    y, noise = _noisy("hln", dict(alpha=1.0, l_phi=300e-9), {}, 0.01, 9)
    full = fit_curve((B, y), "hln-full", fix={"l_so": np.inf}, sigma=noise)
    one = fit_curve((B, y), "hln", fix={"alpha": 1.0}, sigma=noise)
    # hln-full without spin-orbit is HLN with alpha = 1: the same fit
    assert full.value("l_phi") == pytest.approx(one.value("l_phi"), rel=1e-6)
    assert "l_so" not in full.parameters and one.parameters["alpha"].fixed


def test_non_convergence_is_reported():
    from weakloc.errors import ConvergenceError
    from weakloc.fitting.fit import FitWarning

    y, noise = _noisy("ilp", dict(l_phi=400e-9, l_so=150e-9), {}, 0.01, 10)
    with pytest.warns(FitWarning, match="did not converge"):
        r = fit_curve((B, y), "ilp", max_nfev=2, strict=False,
                      start=dict(l_phi=1e-6, l_so=1e-8))
    assert not r.converged and r.message and not r.reliable
    with pytest.raises(ConvergenceError, match="did not converge"):
        fit_curve((B, y), "ilp", max_nfev=2, start=dict(l_phi=1e-6, l_so=1e-8))


def test_too_few_points():
    from weakloc.errors import InputError

    with pytest.raises(InputError, match="only 3 points for 2 free parameters"):
        fit_curve((B[:3], B[:3]), "hln")


def test_unidentifiable_parameter_warns():
    from weakloc.fitting.fit import FitWarning

    # spin-orbit field far above the window: l_so cannot be told from 0
    y, noise = _noisy("hln", dict(alpha=-0.5, l_phi=300e-9), {}, 0.01, 12)
    with pytest.warns(FitWarning, match="not determined"):
        r = fit_curve((B, y), "hln-full", include=("l_s",), sigma=noise, strict=False)
    assert r.warnings


def test_recovery_hln_full_with_elastic_cutoff():
    # the elastic cutoff B_e = hbar/(4 e l_e^2) = 0.18 T needs a window up to 1 T
    b = np.linspace(0.0, 1.0, 301)
    truth = dict(l_phi=400e-9, l_so=100e-9, l_e=30e-9)
    y0 = MODELS["hln-full"](b, **truth)
    noise = 0.005 * np.ptp(y0)
    y = y0 + noise * stream(ROOT, 2).standard_normal(b.size)
    r = fit_curve((b, y), "hln-full", include=("l_e",), sigma=noise)
    for k, v in truth.items():
        assert abs(r.value(k) - v) < 4 * r.stderr(k) and r.stderr(k) < 0.05 * v
