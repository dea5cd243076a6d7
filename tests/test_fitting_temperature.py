"""Temperature series: global fits, the L_phi(T) power law, saturation, mechanism hints."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.fitting.data import Curve
from weakloc.fitting.synthetic import DEMO_TRUTH, demo_l_phi, write_demo_dataset
from weakloc.fitting.temperature import fit_power_law, fit_series, mechanism_hint
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import ilp
from weakloc.units import G0

B = np.linspace(0.0, 0.1, 201)
TEMPS = np.array([1.0, 1.5, 2.2, 3.3, 5.0])


def _series(seed=0, noise=0.005 * G0):
    curves = []
    for i, T in enumerate(TEMPS):
        y = ilp(B, 500e-9 * T**-0.5, 180e-9)
        y = y + noise * stream(seed, i).standard_normal(B.size)
        curves.append(Curve(field=B, dsigma=y, temperature=float(T), source=f"T{T}"))
    return curves


def test_global_fit_shares_l_so_and_recovers_it():
    curves = _series()
    glob = fit_series(curves, "ilp", shared=("l_so",))
    ind = fit_series(curves, "ilp")
    lso = [f.parameters["l_so"] for f in glob.fits]
    assert len({(e.value, e.stderr) for e in lso}) == 1  # one shared estimate
    assert lso[0].value == pytest.approx(180e-9, abs=4 * lso[0].stderr)
    # sharing pools the information: the shared error beats every independent one
    assert lso[0].stderr < min(f.stderr("l_so") for f in ind.fits)
    for f in glob.fits:
        assert f.value("l_phi") == pytest.approx(500e-9 * f.temperature**-0.5,
                                                 abs=4 * f.stderr("l_phi"))
    assert glob.reduced_chi2 == pytest.approx(1.0, abs=0.2)
    d = glob.dephasing
    assert d["p"] == pytest.approx(1.0, abs=4 * d["p_stderr"])
    assert not d["saturation"]["detected"]


def test_power_law_recovers_p_and_prefactor():
    rng = stream(11, 0)
    T = np.geomspace(0.5, 20, 8)
    L = 700e-9 * T ** (-2.4 / 2)
    s = 0.01 * L
    d = fit_power_law(T, L * (1 + 0.01 * rng.standard_normal(T.size)), s)
    assert d["p"] == pytest.approx(2.4, abs=4 * d["p_stderr"])
    assert d["prefactor"] == pytest.approx(700e-9, abs=4 * d["prefactor_stderr"])
    assert not d["saturation"]["detected"]
    assert "electron-phonon" in d["hint"]


def test_saturation_detected_and_p_unbiased():
    T = np.array(DEMO_TRUTH["temperatures_K"])
    L = demo_l_phi(T)
    s = 0.005 * L
    d = fit_power_law(T, L * (1 + 0.005 * stream(12, 0).standard_normal(T.size)), s)
    sat = d["saturation"]
    assert sat["detected"]
    assert sat["l_sat"] == pytest.approx(DEMO_TRUTH["l_sat_m"], abs=4 * sat["l_sat_stderr"])
    assert d["p"] == pytest.approx(1.0, abs=4 * d["p_stderr"])
    # the plain power law through saturated points underestimates p
    assert d["power_law"]["p"] < d["p"] - 4 * d["p_stderr"]
    assert "saturates" in d["hint"]


@pytest.mark.parametrize("p,err,dim,word", [
    (1.02, 0.05, 2, "electron-electron"), (0.68, 0.05, 1, "electron-electron"),
    (3.0, 0.2, 2, "electron-phonon"), (0.3, 0.05, 2, "temperature-independent"),
    (1.5, 0.05, 2, "undetermined"), (0.8, 3.0, 2, "too uncertain"),
    (2.58, 0.3, 2, "electron-phonon"), (0.05, 0.1, 2, "temperature-independent"),
])
def test_mechanism_hint(p, err, dim, word):
    assert word in mechanism_hint(p, err, dim)


def test_power_law_input_checks():
    with pytest.raises(InputError, match="at least 3"):
        fit_power_law([1, 2], [1e-7, 2e-7], [1e-9, 1e-9])
    with pytest.raises(InputError, match="positive"):
        fit_power_law([1, 2, -3], [1e-7, 2e-7, 3e-7], [1e-9, 1e-9, 1e-9])


def test_cannot_share_a_fixed_or_unknown_parameter():
    with pytest.raises(InputError, match="cannot share 'l_i'"):
        fit_series(_series(), "ilp", shared=("l_i",))


def test_shipped_data_set_is_reproducible(tmp_path):
    from weakloc.demo.fitting import data_path

    write_demo_dataset(tmp_path / "again.dat")
    assert (tmp_path / "again.dat").read_bytes() == data_path().read_bytes()
    from weakloc.demo.fitting import BULK_FILE
    from weakloc.fitting.synthetic import write_bulk_dataset

    write_bulk_dataset(tmp_path / "bulk.dat")
    assert (tmp_path / "bulk.dat").read_bytes() == data_path(BULK_FILE).read_bytes()


def test_demo_section(tmp_path):
    from weakloc.demo import fitting

    res = fitting.run(tmp_path, 1)
    for fig in res["figures"]:
        assert (tmp_path / fig).stat().st_size > 10_000
    fitted = res["fitted"]
    L, sL = np.array(fitted["l_phi_m"]), np.array(fitted["l_phi_stderr_m"])
    total = np.hypot(sL, fitted["l_phi_systematic_m"])
    assert np.all(np.abs(L - np.array(fitted["l_phi_true_m"])) < 4 * total)
    a = fitted["alpha"]
    assert a["value"] == pytest.approx(DEMO_TRUTH["alpha"], abs=4 * a["stderr"])
    d = fitted["dephasing"]
    assert d["p"] == pytest.approx(DEMO_TRUTH["p"], abs=4 * d["p_stderr"])
    assert any("true" in h for h in res["highlights"])
    # the bulk crystal: refused as a film, with the geometry named; fitted in 3D, where the
    # amplitude recovers the thickness the film reading left out
    from weakloc.fitting.synthetic import BULK_TRUTH

    bulk = res["bulk"]
    assert bulk["film_model"]["reliable"] is False
    assert any("not a sheet conductance" in r for r in bulk["film_model"]["reasons"])
    fit = bulk["bulk_model"]
    assert fit["reliable"] is True
    for name, true in (("l_phi", BULK_TRUTH["l_phi_m"]), ("l_so", BULK_TRUTH["l_so_m"]),
                       ("amplitude", BULK_TRUTH["thickness_m"])):
        par = fit["parameters"][name]
        err = np.hypot(par["stderr"], par.get("systematic", 0.0))
        assert par["value"] == pytest.approx(true, abs=4 * err), name
