"""Finite-size scaling fits on synthetic data with known W_c and nu; beta(g) differences."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.finitesize import fss_fit, initial_critical_disorder, scaling_model
from weakloc.transport.beta import beta_numeric

W_C, NU, LAM_C = 16.5, 1.57, 0.576
F = [np.log(LAM_C), -0.045, 0.0008, 0.0001]


def synthetic(rng, rel=0.005, irrelevant=None, widths=(4, 6, 8, 10, 12)):
    w = np.repeat(np.linspace(15.0, 18.0, 13), len(widths))
    m = np.tile(np.array(widths, float), 13)
    if irrelevant is None:
        p, n_i = [W_C, NU, *F], None
    else:
        y, g0 = irrelevant
        p, n_i = [W_C, NU, *F, y, g0], 0
    lnl = scaling_model(p, w, m, n_r=3, n_i=n_i)
    lam = np.exp(lnl + rel * rng.standard_normal(w.size))
    return w, m, lam, rel * lam


def test_synthetic_data_recover_the_critical_point_within_the_ci():
    w, m, lam, err = synthetic(np.random.default_rng(1))
    fit = fss_fit(w, m, lam, err, n_r=3)
    assert fit.w_c_ci[0] < W_C < fit.w_c_ci[1]
    assert fit.nu_ci[0] < NU < fit.nu_ci[1]
    assert fit.lambda_c_ci[0] < LAM_C < fit.lambda_c_ci[1]
    assert fit.w_c_ci[1] - fit.w_c_ci[0] < 0.2 and fit.nu_ci[1] - fit.nu_ci[0] < 0.3
    assert 0.001 < fit.p_value  # a correct model fits: chi2 ~ dof
    assert abs(fit.chi2 / fit.dof - 1) < 4 * np.sqrt(2 / fit.dof)


@pytest.mark.slow
def test_confidence_intervals_have_their_coverage():
    # 40 independent synthetic data sets: the 95% intervals must cover the truth ~38 times
    rng = np.random.default_rng(7)
    hits_w = hits_nu = 0
    runs = 40
    for _ in range(runs):
        fit = fss_fit(*synthetic(rng, rel=0.01), n_r=3)
        hits_w += fit.w_c_ci[0] < W_C < fit.w_c_ci[1]
        hits_nu += fit.nu_ci[0] < NU < fit.nu_ci[1]
    sd = np.sqrt(0.95 * 0.05 / runs)
    assert hits_w / runs > 0.95 - 4 * sd and hits_nu / runs > 0.95 - 4 * sd


def test_irrelevant_correction_is_needed_and_recovered():
    rng = np.random.default_rng(3)
    data = synthetic(rng, rel=0.002, irrelevant=(2.0, 0.6))
    plain = fss_fit(*data, n_r=3)
    assert plain.p_value < 1e-6  # the corrections to scaling show in chi^2
    full = fss_fit(*data, n_r=3, n_i=0, y=2.5)
    assert full.p_value > 1e-3
    assert full.w_c_ci[0] < W_C < full.w_c_ci[1]
    assert full.nu_ci[0] < NU < full.nu_ci[1]
    assert full.y_ci[0] < 2.0 < full.y_ci[1]
    # the collapse: corrected data lie on the scaling function within their errors
    resid = (full.corrected_lambda() - full.scaling_function(full.scaling_variable()))
    assert np.sqrt(np.mean((resid / full.lambda_err) ** 2)) < 1.5


def test_bootstrap_and_covariance_intervals_agree():
    data = synthetic(np.random.default_rng(5), rel=0.01)
    cov = fss_fit(*data, n_r=3)
    boot = fss_fit(*data, n_r=3, ci="bootstrap", n_boot=60, seed=1)
    assert boot.w_c == cov.w_c
    ratio = (boot.nu_ci[1] - boot.nu_ci[0]) / (cov.nu_ci[1] - cov.nu_ci[0])
    assert 0.6 < ratio < 1.6
    assert boot.w_c_ci[0] < W_C < boot.w_c_ci[1]


def test_initial_critical_disorder_finds_the_crossing():
    w, m, lam, _ = synthetic(np.random.default_rng(0), rel=1e-4)
    assert abs(initial_critical_disorder(w, m, lam) - W_C) < 0.1


def test_beta_numeric_of_a_power_law_and_its_errors():
    L = np.array([4, 8, 16, 32.0])
    lng = 1.3 - 0.7 * np.log(L)
    mid, beta, err = beta_numeric(L, lng, np.full(4, 0.01))
    assert np.allclose(beta, -0.7)
    assert np.allclose(mid, 1.3 - 0.7 * np.log(L[:-1] * np.sqrt(2)))
    assert np.allclose(err, np.sqrt(2) * 0.01 / np.log(2))


def test_bad_input_is_one_line_naming_the_fix():
    w, m, lam, err = synthetic(np.random.default_rng(0))
    with pytest.raises(InputError, match="at least two widths"):
        fss_fit(w, np.full(w.size, 8.0), lam, err)
    with pytest.raises(InputError, match="equal lengths"):
        fss_fit(w[:-1], m, lam, err)
    with pytest.raises(InputError, match="lambda must be positive"):
        fss_fit(w, m, -lam, err)
    with pytest.raises(InputError, match="cannot fit"):
        fss_fit(w[:6], m[:6], lam[:6], err[:6], n_r=4)
    with pytest.raises(InputError, match="ci must be one of"):
        fss_fit(w, m, lam, err, ci="jackknife")
    with pytest.raises(InputError, match="strictly increasing"):
        beta_numeric([4, 2], [0.0, 1.0])


@pytest.mark.slow
def test_beta_of_2d_orthogonal_squares_is_negative():
    # everything localizes in 2D without spin-orbit: <ln g> falls with L at fixed W
    from weakloc.lattice import Lattice
    from weakloc.transport.beta import beta_from_conductance

    res = beta_from_conductance(Lattice(disorder=4.0), [4, 16], 0.3, samples=60, seed=4)
    assert res.ln_g.size == 2 and res.beta.size == 1
    assert res.beta[0] + 4 * res.beta_err[0] < 0


def test_fss_fit_takes_a_grid_dataset_as_it_comes():
    """An xarray grid over (width, disorder) gives the same fit as the flat arrays."""
    import xarray as xr

    from weakloc.finitesize import grid_arrays

    widths, disorders = [4, 6, 8], np.linspace(15.0, 18.0, 7)
    w, m = np.meshgrid(disorders, widths)
    lam = np.exp(scaling_model([W_C, NU, *F], w, m, n_r=3))
    ds = xr.Dataset({"lambda": (("width", "disorder"), lam),
                     "lambda_stderr": (("width", "disorder"), 0.005 * lam)},
                    coords={"width": widths, "disorder": disorders})
    flat = grid_arrays(ds.transpose("disorder", "width"))   # dimension order does not matter
    np.testing.assert_array_equal(flat[2], lam.ravel())
    a, b = fss_fit(ds, n_r=3), fss_fit(*flat, n_r=3)
    assert a.w_c == b.w_c == pytest.approx(W_C, abs=1e-6) and a.nu == b.nu
    with pytest.raises(InputError, match="alone"):
        fss_fit(ds, flat[1], flat[2], flat[3])
    with pytest.raises(InputError, match="give width"):
        fss_fit(flat[0])
    with pytest.raises(InputError, match="lambda_stderr"):
        fss_fit(ds.drop_vars("lambda_stderr"))


def test_fit_with_a_transition_is_reliable():
    fit = fss_fit(*synthetic(np.random.default_rng(11)), n_r=3)
    assert fit.reliable and fit.reasons == ()


def test_data_without_a_transition_is_marked_unreliable():
    # localized at every disorder: Lambda falls with M everywhere, the curves never cross
    rng = np.random.default_rng(5)
    w = np.repeat(np.linspace(20.0, 24.0, 9), 4)
    m = np.tile([4.0, 6.0, 8.0, 10.0], 9)
    lam = np.exp(-0.3 * (w - 10.0) ** 0.5 * m ** 0.3) * (1 + 0.005 * rng.standard_normal(w.size))
    fit = fss_fit(w, m, lam, 0.005 * lam, n_r=3)
    assert not fit.reliable
    assert any("do not cross" in r for r in fit.reasons)


def test_duplicated_rows_are_refused_not_counted_twice(tmp_path, capsys):
    from weakloc.cli import main

    w, m, lam, err = synthetic(np.random.default_rng(2))
    with pytest.raises(InputError, match="repeat another row"):
        fss_fit(np.r_[w, w[:5]], np.r_[m, m[:5]], np.r_[lam, lam[:5]], np.r_[err, err[:5]])
    f = tmp_path / "grid.csv"
    rows = ["disorder,width,lambda,lambda_stderr"] + [
        f"{a},{b},{c},{d}" for a, b, c, d in zip(w, m, lam, err)]
    f.write_text("\n".join(rows + rows[1:4]) + "\n")
    assert main(["scaling", "--input", str(f), "--figure", "none", "--json"]) == 2
    err_lines = capsys.readouterr().err.strip().splitlines()
    assert len(err_lines) == 1 and "3 data row(s) repeat" in err_lines[0]
