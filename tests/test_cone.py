"""Optical CBS cone: the AWM line shape with absorption and slabs, fit recovery with a
coverage check, the Monte Carlo cross-check (with and without absorption), bad input."""

import numpy as np
import pytest

from weakloc.errors import InputError
from weakloc.fitting.cone import fit_cone
from weakloc.theory.cone import Z0_MILNE, cone_intensity, cone_lineshape, crossed_profile


def awm(x, z0=Z0_MILNE):
    """AWM bracket written out: [1 + (1 - exp(-2 x z0))/x] / (1 + x)^2."""
    return (1 + (1 - np.exp(-2 * x * z0)) / x) / (1 + x) ** 2


def slab_brute(x, thickness, z0=Z0_MILNE, n=1500):
    """2 x double integral of e^{-z-z'} G_slab(z, z') on a midpoint grid (independent)."""
    z = (np.arange(n) + 0.5) * (thickness / n)
    zl, zg = np.minimum.outer(z, z), np.maximum.outer(z, z)
    g = np.sinh(x * (zl + z0)) * np.sinh(x * (thickness + z0 - zg)) / (
        x * np.sinh(x * (thickness + 2 * z0)))
    return 2 * np.sum(np.exp(-z)[:, None] * np.exp(-z)[None, :] * g) * (thickness / n) ** 2


def test_profiles():
    x = np.array([1e-3, 0.1, 0.7, 2.0, 9.0])
    assert np.allclose(crossed_profile(x), awm(x), rtol=1e-12)
    assert crossed_profile(0.0)[()] == pytest.approx(1 + 2 * Z0_MILNE)
    assert np.allclose(crossed_profile(x[1:], thickness=400.0), awm(x[1:]), rtol=1e-6)
    for xx, L in ((0.5, 3.0), (0.05, 8.0), (2.0, 1.0)):
        assert crossed_profile(xx, thickness=L)[()] == pytest.approx(slab_brute(xx, L),
                                                                      rel=2e-3)
    # absorption: q -> sqrt(q^2 + 1/L_a^2), normalized at backscattering
    th = np.linspace(0, 0.1, 7)
    la, kl = 4.0, 25.0
    ref = awm(np.hypot(kl * np.sin(th), 1 / la)) / awm(1 / la)
    assert np.allclose(cone_lineshape(th, kl=kl, absorption=la), ref, rtol=1e-12)
    # a thinner slab lets diffuse light through: less ladder, a broader cusp
    thin = cone_lineshape(th, kl=kl, thickness=2.0)
    assert np.all(thin[1:] > cone_lineshape(th[1:], kl=kl))


def _data(rng, kl, la, e, res, noise, th):
    fine = np.linspace(th[0] - 6 * res, th[-1] + 6 * res, 6001)
    x = np.hypot(kl * np.sin(fine), 1 / la)
    clean = 50.0 * (1 + (e - 1) * awm(x) / awm(1 / la))
    ker = np.exp(-0.5 * ((fine - fine.mean()) / res) ** 2)
    conv = np.convolve(clean, ker / ker.sum(), mode="same")
    y = np.interp(th, fine, conv)
    return y + noise * rng.standard_normal(th.size)


def test_fit_recovers_parameters_with_coverage():
    rng = np.random.default_rng(2026)
    kl, la, e, res = 30.0, 6.0, 1.85, 2e-3
    th = np.linspace(-0.12, 0.12, 97)
    z = {"kl": [], "absorption": [], "enhancement": []}
    for _ in range(40):
        y = _data(rng, kl, la, e, res, 0.5, th)
        f = fit_cone(th, y, stderr=np.full(th.size, 0.5), resolution=res, wavelength=500e-9)
        for name, true in (("kl", kl), ("absorption", la), ("enhancement", e)):
            z[name].append((f.value(name) - true) / f.stderr(name))
    for name, zz in z.items():
        zz = np.array(zz)
        cover = np.mean(np.abs(zz) < 1)
        assert abs(cover - 0.683) < 3 * np.sqrt(0.683 * 0.317 / zz.size), name
    assert f.value("l_tr") == pytest.approx(f.value("kl") * 500e-9 / (2 * np.pi))
    d = f.as_dict()
    assert d["absorption_length"]["unit"] == "m" and d["enhancement"]["unit"] == "1"


@pytest.mark.slow
@pytest.mark.parametrize("absorption_length", [None, 20e-6])
def test_fit_of_monte_carlo_cones(absorption_length):
    """The fit returns the k l and L_a = sqrt(l_tr l_a / 3) put into `weakloc cbs`, within
    the accuracy of the diffusion approximation (the Monte Carlo is exact transport)."""
    from weakloc.montecarlo.cbs import simulate_cbs

    kl, l = 20.0, 1e-6
    ang = np.linspace(0, 1.5 / kl, 31)  # the cusp, where diffusion holds (q l_tr <= 1.5)
    r = simulate_cbs(kl, samples=30000, mean_free_path=l, angles=ang, seed=4,
                     absorption_length=absorption_length)
    y = r.single + r.ladder + r.crossed
    s = np.sqrt(r.single_stderr**2 + r.ladder_stderr**2 + r.crossed_stderr**2)
    f = fit_cone(ang, y, stderr=s, fit_center=False, absorption=absorption_length is not None,
                 wavelength=2 * np.pi * l / kl)
    assert f.value("kl") == pytest.approx(kl, rel=0.15)
    assert f.value("l_tr") == pytest.approx(l, rel=0.15)
    assert 1.5 < f.value("enhancement") < 2.0
    if absorption_length is not None:
        la = np.sqrt(l * absorption_length / 3)
        assert f.value("absorption_length") == pytest.approx(la, rel=0.35)
        assert r.absorbed > 0 and r.enhancement_without_single == pytest.approx(2, abs=0.05)


def test_bad_cones():
    th = np.linspace(-0.01, 0.01, 41)  # +-10 mrad around a cone 1/kl = 33 mrad wide
    y = cone_intensity(th, kl=30.0, enhancement=1.9)
    with pytest.raises(InputError, match="not resolved"):
        fit_cone(th, y, absorption=False)
    coarse = np.linspace(-0.3, 0.3, 9)
    with pytest.raises(InputError, match="inside the half width"):
        fit_cone(coarse, cone_intensity(coarse, kl=300.0, enhancement=1.9), absorption=False)
    with pytest.raises(InputError, match="below 90 degrees"):
        fit_cone(np.linspace(-10, 10, 41), np.ones(41))
    with pytest.raises(InputError, match="wavelength"):
        fit_cone(th, y, thickness=1e-4)
    one_side = np.linspace(0, 0.15, 40)
    with pytest.raises(InputError, match="fit_center=False"):
        fit_cone(one_side, cone_intensity(one_side, kl=30.0, enhancement=1.9))


# -- polarization channels without absorption ---------------------------------------------

def _cross_data(rng, kl, ld, e, res, noise, th):
    """A cross-channel cone written out: the AWM profile with q^2 -> q^2 + 1/L_d^2 (the
    effective-absorption picture of the depolarized channel), no absorption."""
    return _data(rng, kl, ld, e, res, noise, th)


def _coverage(z):
    z = np.asarray(z)
    return abs(np.mean(np.abs(z) < 1) - 0.683) < 3 * np.sqrt(0.683 * 0.317 / z.size)


def test_co_channel_without_absorption_recovers_and_says_so():
    """A reciprocal-channel cone (E near 2) without absorption: no absorption length in the
    model, k l and E recovered within their errors, and the result says what it assumed."""
    rng = np.random.default_rng(77)
    kl, e, res, noise = 40.0, 1.93, 1.5e-3, 0.4
    th = np.linspace(-0.1, 0.1, 101)
    fine = np.linspace(-0.13, 0.13, 8001)
    z = {"kl": [], "enhancement": []}
    for _ in range(40):
        x = np.maximum(kl * np.abs(np.sin(fine)), 1e-9)   # the cusp itself: the limit x -> 0
        clean = 50.0 * (1 + (e - 1) * awm(x) / awm(1e-9))
        ker = np.exp(-0.5 * ((fine - fine.mean()) / res) ** 2)
        y = np.interp(th, fine, np.convolve(clean, ker / ker.sum(), mode="same"))
        y = y + noise * rng.standard_normal(th.size)
        f = fit_cone(th, y, stderr=np.full(th.size, noise), resolution=res, absorption=False,
                     wavelength=600e-9)
        for name, true in (("kl", kl), ("enhancement", e)):
            z[name].append((f.value(name) - true) / f.stderr(name))
    for name, zz in z.items():
        assert _coverage(zz), name
    a = f.parameters["absorption"]
    assert a.fixed and a.value == np.inf and f.parameters["absorption_length"].fixed
    assert f.inputs["absorption"] == "none" and f.inputs["channel"] == "co"
    assert any("without absorption" in n for n in f.notes)
    assert "log_la" not in f.as_dict() and "depolarization" not in f.parameters


def test_cross_channel_reduced_rounded_cone_with_coverage():
    """A helicity-flip-like cone (E = 1.25, top rounded over L_d = 3 l_tr, no absorption),
    with noise and resolution: k l, E and L_d recovered within their errors; with k l held
    at the truth (the co channel's value) E and L_d still are."""
    rng = np.random.default_rng(78)
    kl, ld, e, res, noise = 30.0, 3.0, 1.25, 2e-3, 0.15
    th = np.linspace(-0.15, 0.15, 121)
    z = {"kl": [], "depolarization": [], "enhancement": []}
    zh = {"depolarization": [], "enhancement": []}
    for _ in range(40):
        y = _cross_data(rng, kl, ld, e, res, noise, th)
        s = np.full(th.size, noise)
        f = fit_cone(th, y, stderr=s, resolution=res, absorption=False, channel="cross",
                     wavelength=500e-9)
        for name, true in (("kl", kl), ("depolarization", ld), ("enhancement", e)):
            z[name].append((f.value(name) - true) / f.stderr(name))
        h = fit_cone(th, y, stderr=s, resolution=res, absorption=False, channel="cross",
                     kl=kl, wavelength=500e-9)
        for name, true in (("depolarization", ld), ("enhancement", e)):
            zh[name].append((h.value(name) - true) / h.stderr(name))
    for name, zz in list(z.items()) + [("held " + k, v) for k, v in zh.items()]:
        assert _coverage(zz), name
    assert f.reliable and h.parameters["kl"].fixed and h.inputs["kl_mode"] == "fixed"
    assert h.value("depolarization_length") == pytest.approx(
        h.value("depolarization") * kl * 500e-9 / (2 * np.pi))
    # the one-mass co-channel model cannot round the top: the cross cone fits worse as 'co'
    co = fit_cone(th, y, stderr=np.full(th.size, noise), resolution=res, absorption=False)
    assert co.reduced_chi2 > 2 * h.reduced_chi2


def test_cross_channel_refuses_a_free_absorption():
    th = np.linspace(-0.15, 0.15, 61)
    y = cone_intensity(th, kl=30.0, enhancement=1.2, absorption=2.0)
    with pytest.raises(InputError, match="absorption=False"):
        fit_cone(th, y, channel="cross")
    with pytest.raises(InputError, match="channel must be one of"):
        fit_cone(th, y, channel="parallel", absorption=False)
    # absorption held (from the co channel) adds to the depolarization mass
    f = fit_cone(th, y, channel="cross", absorption=4.0, kl=30.0)
    assert 1 / f.value("depolarization") ** 2 + 1 / 16 == pytest.approx(1 / 4, rel=1e-3)


@pytest.mark.slow
def test_polarized_monte_carlo_channels():
    """Point-dipole Monte Carlo cones (no absorption): the helicity-preserving channel gives
    the k l put in; the helicity-flip channel, with k l held there, a reduced cone (1 < E <
    2) whose top is rounded over a depolarization length of order l."""
    from weakloc.montecarlo.polarized import CHANNELS, simulate_polarized_cbs

    kl = 20.0
    ang = np.linspace(0, 5.0 / kl, 41)   # the rounded cross cone needs the wide angles
    r = simulate_polarized_cbs(kl, samples=6000, max_orders=3000, angles=ang, seed=5,
                               progress=False)

    def channel(name):
        c = CHANNELS.index(name)
        y = r.single[c] + r.ladder[c] + r.crossed[c]
        return y, np.sqrt(r.single_stderr[c]**2 + r.ladder_stderr[c]**2
                          + r.crossed_stderr[c]**2)

    y, s = channel("helicity_preserving")
    cusp = slice(0, 13)   # q l_tr <= 1.5, where the diffusion line shape holds
    co = fit_cone(ang[cusp], y[cusp], stderr=s[cusp], fit_center=False, absorption=False)
    assert co.value("kl") == pytest.approx(kl, rel=0.15)
    assert co.value("enhancement") == pytest.approx(2.0, abs=0.1)
    y, s = channel("helicity_flip")
    cross = fit_cone(ang, y, stderr=s, fit_center=False, absorption=False, channel="cross",
                     kl=co.value("kl"))
    e, se = cross.value("enhancement"), cross.stderr("enhancement")
    assert 1.0 + 5 * se < e < 2.0 - 5 * se
    assert 0.1 < cross.value("depolarization") < 5.0
    assert cross.reduced_chi2 < 3.0
