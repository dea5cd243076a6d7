"""Honest defaults (issue 12): each friction point found on measured data, as a test that
fails on the code before the change."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.fitting.data import Curve, prepare_curve
from weakloc.fitting.fit import FitWarning, fit_curve
from weakloc.fitting.temperature import PowerLawResult, fit_power_law, fit_series
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import hln, kawabata
from weakloc.units import G0, length_to_field

ROOT = 1212


BW = np.linspace(0.0, 0.1, 201)


def _hln_curve(lphi, noise, seed, B=BW, alpha=-0.5, T=None):
    y = hln(B, alpha, lphi) + noise * stream(ROOT, seed).standard_normal(B.size)
    return Curve(field=B, dsigma=y, temperature=T, source="synthetic")


def test_offset_is_off_for_a_magnetoconductance_and_its_degeneracy_is_reported():
    # window starting far above B_phi: c0 and l_phi nearly degenerate
    lphi = 400e-9
    bphi = float(length_to_field(lphi))
    B = np.linspace(8 * bphi, 0.1, 150)
    c = _hln_curve(lphi, 0.01 * G0, 1, B=B)
    plain = fit_curve(c, "hln")
    assert "c0" not in plain.parameters  # today's main fits c0 by default
    with_c0 = fit_curve(c, "hln", offset=True)
    r = with_c0.correlation["l_phi"]["c0"]
    assert abs(r) > 0.9
    assert any("l_phi and c0 are correlated" in w or "c0 and l_phi are correlated" in w
               for w in with_c0.warnings)
    # the degeneracy costs precision: the error bar is several times the plain one
    assert with_c0.stderr("l_phi") > 3 * plain.stderr("l_phi")


def test_bulk_data_flags_alpha_and_names_the_geometry_not_the_field_unit():
    B = np.linspace(0.0, 0.5, 201)
    y = kawabata(B, 300e-9)  # S/m of a bulk sample, read as a sheet conductance
    y = y + 1e-3 * np.ptp(y) * stream(ROOT, 2).standard_normal(B.size)
    with pytest.warns(FitWarning) as rec:
        r = fit_curve((B, y), "hln")
    assert any("not a sheet conductance" in str(w.message) for w in rec)
    assert not r.reliable
    assert any("not a sheet conductance" in x for x in r.reasons)
    assert not any("field-unit" in x or "Oe read as T" in x for x in r.reasons)
    d = r.as_dict()
    assert d["reliable"] is False and d["reasons"]


def test_cli_bulk_data_says_unreliable_in_the_json(tmp_path, capsys):
    B = np.linspace(-0.5, 0.5, 201)
    sig = 1e5 + kawabata(B, 300e-9)  # S/m
    p = tmp_path / "bulk.csv"
    p.write_text("B,sigma\n" + "\n".join(f"{b:.6g},{s:.12g}" for b, s in zip(B, sig)))
    rc = main(["fit", str(p), "--model", "hln", "--field", "B", "--value", "sigma",
               "--quantity", "sheet-conductance", "--json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert rc == 0 and doc["reliable"] is False
    assert any("not a sheet conductance" in x for x in doc["fits"][0]["reasons"])


def _series(temps, lphi, noise=0.02 * G0, alpha=-0.5, seed0=0):
    return [_hln_curve(lphi(T), noise, seed0 + k, alpha=alpha, T=T)
            for k, T in enumerate(temps)]


def test_global_fit_holds_one_curves_parameter():
    temps = [0.5, 1.0, 2.0, 4.0]
    lphi = lambda T: 500e-9 * T**-0.5  # noqa: E731
    curves = _series(temps, lphi)
    s = fit_series(curves, "hln", shared=("alpha",), fix_at={0.5: {"l_phi": 700e-9}})
    base = s.fits[0].parameters["l_phi"]
    assert base.fixed and base.value == 700e-9
    for f in s.fits[1:]:
        assert not f.parameters["l_phi"].fixed
        assert f.value("l_phi") == pytest.approx(lphi(f.temperature), abs=4 * f.stderr("l_phi"))
    # the same per curve without sharing; and a temperature that matches no curve
    ind = fit_series(curves, "hln", fix_at={4.0: {"alpha": -0.5}})
    assert ind.fits[-1].parameters["alpha"].fixed and not ind.fits[0].parameters["alpha"].fixed
    from weakloc.errors import InputError

    with pytest.raises(InputError, match="no curve at T = 3 K"):
        fit_series(curves, "hln", fix_at={3.0: {"l_phi": 1e-7}})
    with pytest.raises(InputError, match="shared by all curves"):
        fit_series(curves, "hln", shared=("alpha",), fix_at={1.0: {"alpha": -0.5}})


def test_reduced_chi2_is_dimensionless_and_the_same_in_single_and_global_fits():
    noise = 0.02 * G0
    curves = _series([1.0, 2.0, 4.0], lambda T: 400e-9 * T**-0.5, noise=noise)
    single = fit_curve(curves[0], "hln")
    # white noise: ~1 within the chi^2 spread, whatever the unit of the data
    assert single.reduced_chi2 == pytest.approx(1.0, abs=4 * np.sqrt(2 / single.dof) + 0.1)
    assert single.noise == pytest.approx(noise, rel=0.25)
    scaled = fit_curve((curves[0].field, curves[0].dsigma * 1e-3), "hln")
    assert scaled.reduced_chi2 == pytest.approx(single.reduced_chi2, rel=1e-6)
    glob = fit_series(curves, "hln", shared=("alpha",))
    assert glob.reduced_chi2 == pytest.approx(1.0, abs=0.25)
    for f in glob.fits:
        assert f.reduced_chi2 == pytest.approx(1.0, abs=4 * np.sqrt(2 / f.dof) + 0.1)
        assert f.noise_source == "differences"
        assert f.noise == pytest.approx(noise, rel=0.25)


def test_global_fit_applies_the_single_fit_checks():
    # issue 16: fit_global skipped fit_curve's at-bound and loose-stderr checks
    curves = _series([1.0, 2.0, 4.0], lambda T: 400e-9 * T**-0.5)
    # a curve whose B_phi lies far above the window: l_phi cannot be determined
    flat = _hln_curve(30e-9, 0.02 * G0, 99, T=8.0)
    with pytest.warns(FitWarning):
        s = fit_series(curves + [flat], "hln", shared=("alpha",), strict=False)
    assert all(f.reliable for f in s.fits[:3])
    assert not s.fits[3].reliable and s.fits[3].reasons
    assert not s.reliable


def test_hint_needs_two_degrees_of_freedom_and_lists_every_match():
    # three temperatures: one degree of freedom, so no mechanism is named
    T = np.array([0.025, 0.1, 0.7])
    L = 300e-9 * T**-1.29
    d = fit_power_law(T, L, 0.05 * L)
    assert isinstance(d, PowerLawResult) and d["p"] == pytest.approx(2.58, rel=1e-6)
    assert "undetermined" in d.hint and d.mechanisms == () and d.dof == 1
    # five temperatures, p between e-e (1) and e-ph (2) within 2 sigma of both
    T = np.array([0.3, 0.6, 1.2, 2.4, 4.8])
    L = 300e-9 * T**-0.75
    d = fit_power_law(T, L, 0.3 * L)
    assert set(d.mechanisms) >= {"electron-electron", "electron-phonon"}
    assert "electron-electron" in d.hint and "electron-phonon" in d.hint
    assert json.loads(json.dumps(d.as_dict()))["mechanisms"] == list(d.mechanisms)


def test_systematic_spread_reaches_the_power_law():
    temps = [0.5, 1.0, 2.0, 4.0, 8.0]
    curves = []
    for k, T in enumerate(temps):
        B = np.linspace(-0.1, 0.1, 201)
        sig = 1e-3 + hln(B, -0.5, 500e-9 * T**-0.5)
        sig = sig + 0.02 * G0 * stream(ROOT, 50 + k).standard_normal(B.size)
        curves.append(prepare_curve(B, sig, quantity="sheet-conductance", temperature=T,
                                    bmax=0.05))
    s = fit_series(curves, "hln", shared=("alpha",), systematic=True)
    for f in s.fits:
        assert f.systematic["l_phi"] > 0
        names = {v["variant"] for v in f.variants}
        assert names == {"window/2", "window*2", "sigma0=point", "offset"}
        assert f.total_error("l_phi") >= f.stderr("l_phi")
    # the power law is weighted with stat + sys errors in quadrature
    T = np.array([f.temperature for f in s.fits])
    L = np.array([f.value("l_phi") for f in s.fits])
    total = np.hypot([f.stderr("l_phi") for f in s.fits],
                     [f.systematic["l_phi"] for f in s.fits])
    assert s.dephasing.as_dict() == fit_power_law(T, L, total).as_dict()
    assert s.dephasing.p == pytest.approx(1.0, abs=4 * s.dephasing.p_stderr)


def test_correlated_residuals_inflate_the_errors():
    # a smooth random structure (conductance-fluctuation-like) on top of HLN
    B = np.linspace(0.0, 0.1, 301)
    rng = stream(ROOT, 7)
    k = rng.uniform(50, 300, 12)
    ph = rng.uniform(0, 2 * np.pi, 12)
    ucf = 0.05 * G0 * np.sum(np.sin(np.outer(B, k) + ph), axis=1) / np.sqrt(6)
    y = hln(B, -0.5, 300e-9) + ucf + 0.005 * G0 * rng.standard_normal(B.size)
    r = fit_curve((B, y), "hln")
    assert r.inflation > 2
    assert any("residuals are correlated" in w for w in r.warnings)
    assert r.reduced_chi2 > 3  # point-to-point noise is far below the structure


def test_eval_band_and_report():
    c = _hln_curve(300e-9, 0.02 * G0, 3)
    r = fit_curve(c, "hln", fix={"l_phi": 300e-9})
    np.testing.assert_allclose(r.eval(), r.best_fit, rtol=1e-12)
    Bg = np.linspace(0.001, 0.2, 7)
    # with l_phi fixed the model is linear in alpha: the band is |f / alpha| s_alpha
    expect = np.abs(hln(Bg, 1.0, 300e-9)) * r.stderr("alpha")
    np.testing.assert_allclose(r.band(Bg), expect, rtol=1e-5)
    text = r.report()
    assert "alpha" in text and "reduced chi2" in text and "reliable: yes" in text


def test_cli_refuses_ambiguous_or_impossible_requests(tmp_path, capsys):
    B = np.linspace(-0.1, 0.1, 101)
    p = tmp_path / "d.csv"
    p.write_text("B,ds\n" + "\n".join(f"{b},{d}" for b, d in zip(B, hln(B, -0.5, 3e-7))))
    base = [str(p), "--model", "hln", "--field", "B", "--value", "ds"]
    for extra, words in [
        (["--fix", "alpha=-0.5", "--fix", "alpha=-1"], "given twice"),
        (["--fix", "l_phi@2=1e-7", "--fix", "l_phi@2=2e-7"], "given twice"),
        (["--diffusion", "-1"], "--diffusion must be a positive"),
        (["--fix", "alpha=-0.5", "--fix", "l_phi=3e-7"], "every parameter"),
        (["--fix", "l_phi@x=1e-7"], "not a temperature"),
        (["--temperatures", "nan"], "finite and > 0"),
    ]:
        rc = main(["fit", *base, *extra])
        out, err = capsys.readouterr()
        assert rc == 2 and out == "" and err.count("\n") == 1 and words in err, (extra, err)


def test_cli_fix_on_one_curve(tmp_path, capsys):
    B = np.linspace(-0.1, 0.1, 201)
    lines = ["T,B,ds"]
    for k, T in enumerate((0.5, 1.0, 2.0, 4.0)):
        y = hln(B, -0.5, 500e-9 * T**-0.5) + 0.02 * G0 * stream(ROOT, 70 + k).standard_normal(
            B.size)
        lines += [f"{T},{b:.6g},{v:.10g}" for b, v in zip(B, y)]
    p = tmp_path / "series.csv"
    p.write_text("\n".join(lines))
    rc = main(["fit", str(p), "--model", "hln", "--field", "B", "--value", "ds",
               "--temperature", "T", "--share", "alpha", "--fix", "l_phi@0.5=7.07e-7",
               "--no-systematic", "--json"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    doc = json.loads(out)
    base, rest = doc["fits"][0], doc["fits"][1:]
    assert base["parameters"]["l_phi"] == {"value": 7.07e-7, "stderr": None, "unit": "m",
                                           "fixed": True}
    assert all(not f["parameters"]["l_phi"]["fixed"] for f in rest)
    assert doc["inputs"]["fix_at"] == {"0.5": {"l_phi": 7.07e-7}}
