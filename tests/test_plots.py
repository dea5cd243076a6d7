"""The figures show the numbers they are given: checked on the data drawn on the Axes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from weakloc import montecarlo, theory  # noqa: E402
from weakloc.plots import montecarlo as mcplots  # noqa: E402
from weakloc.plots import theory as thplots  # noqa: E402
from weakloc.units import G0  # noqa: E402

TAU, V = 1e-13, 1e5


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _drawn(ax, y, x=None):
    """Whether a line on ``ax`` carries ``y`` (and ``x``) exactly as given."""
    for line in ax.lines:
        ly, lx = np.asarray(line.get_ydata(), float), np.asarray(line.get_xdata(), float)
        if ly.shape == np.shape(y) and np.allclose(ly, y, equal_nan=True) and (
                x is None or np.allclose(lx, x)):
            return True
    return False


def test_theory_return_probability_is_normalized_per_dimension():
    t = np.geomspace(1e-13, 1e-10, 50)
    curves = {d: theory.return_probability(t, 1e-2, d) for d in (1, 2, 3)}
    fig = thplots.return_probability_figure(t, curves, tau=1e-13, tau_phi=1e-11)
    ax = fig.axes[0]
    for d, p in curves.items():
        assert _drawn(ax, p / p[0], t)
        # the slope on the log-log axes is the exponent -d/2 of (4 pi D t)^(-d/2)
        slope = np.polyfit(np.log(t), np.log(p / p[0]), 1)[0]
        assert slope == pytest.approx(-d / 2)
    assert ax.get_xscale() == ax.get_yscale() == "log"
    assert [ln.get_xdata()[0] for ln in ax.lines[3:]] == [1e-13, 1e-11]   # the window


def test_magnetoconductance_curves_in_millitesla():
    B = np.linspace(-0.2, 0.2, 81)
    curves = {"WL": theory.hln(B, 1.0, 200e-9) / G0, "WAL": theory.hln(B, -0.5, 200e-9) / G0}
    ax = thplots.magnetoconductance_figure(B, curves, title="HLN").axes[0]
    for y in curves.values():
        assert _drawn(ax, y, B * 1e3)
    assert ax.get_xlabel() == "B (mT)" and ax.get_title() == "HLN"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["WL", "WAL"]


def test_wl_correction_has_one_panel_per_dimension_and_class():
    ratio = np.geomspace(2, 1e3, 30)
    curves = {1: ratio**0.5, 2: {"orthogonal": -np.log(ratio), "symplectic": 0.5 * np.log(ratio)}}
    fig = thplots.wl_correction_figure(ratio, curves, {1: "a", 2: "b"})
    assert len(fig.axes) == 2
    assert _drawn(fig.axes[0], ratio**0.5, ratio)
    assert _drawn(fig.axes[1], -np.log(ratio)) and _drawn(fig.axes[1], 0.5 * np.log(ratio))
    assert [ax.get_ylabel() for ax in fig.axes] == ["a", "b"]


@pytest.fixture(scope="module")
def walks():
    return {d: montecarlo.simulate_walks(d, samples=300, time=250 * TAU, tau=TAU, speed=V,
                                         seed=d) for d in (1, 2)}


def test_walk_return_probability_in_units_of_the_transport_length(walks):
    th = {d: theory.return_probability(r.times, r.d_theory, d) for d, r in walks.items()}
    ax = mcplots.return_probability_figure(walks, th).axes[0]
    for d, r in walks.items():
        l_tr = V * TAU
        ok = r.p0 > 0
        assert _drawn(ax, r.p0[ok] * l_tr**d, r.times[ok] / TAU)
        assert _drawn(ax, th[d] * l_tr**d, r.times / TAU)


def test_vacf_is_divided_by_v_squared(walks):
    ax = mcplots.vacf_figure({"2D": walks[2]}).axes[0]
    r = walks[2]
    assert _drawn(ax, r.vacf[::8] / V**2, r.vacf_times[::8] / TAU)
    assert _drawn(ax, np.exp(-r.vacf_times / TAU))
    assert ax.get_ylim() == (1e-3, 1.5)


def test_lattice_recurrence_with_exact_curve_and_polya_line():
    res = {d: montecarlo.lattice_return(d, samples=200, steps=64, seed=d) for d in (1, 3)}
    ax = mcplots.lattice_figure(res, montecarlo.POLYA_3D).axes[0]
    for r in res.values():
        assert _drawn(ax, r.returned, r.n) and _drawn(ax, r.exact, r.n)
    assert _drawn(ax, [montecarlo.POLYA_3D] * 2)


def test_cone_top_is_the_enhancement_factor():
    r = montecarlo.simulate_cbs(10.0, samples=300, max_orders=100,
                                angles=np.linspace(0, 0.2, 9), seed=4)
    fig = mcplots.cone_figure({"kl = 10": r})
    ax, bx = fig.axes
    bg = r.single + r.ladder
    assert _drawn(ax, (bg + r.crossed) / bg, r.angles_rad * 10.0)
    top = [ln for ln in ax.lines if ln.get_label().startswith("kl = 10: E")][0]
    assert top.get_ydata()[0] == pytest.approx(r.enhancement_with_single)
    assert _drawn(bx, r.crossed / r.crossed[0]) and _drawn(bx, r.awm / r.awm[0])


def test_polarized_cone_draws_every_channel():
    r = montecarlo.simulate_polarized_cbs(10.0, samples=100, max_orders=50,
                                          angles=[0.0, 0.05, 0.1], seed=5)
    ax = mcplots.polarized_cone_figure(r).axes[0]
    for c, name in enumerate(r.channels):
        bg = r.single[c] + r.ladder[c]
        assert _drawn(ax, (bg + r.crossed[c]) / bg, r.angles_rad * 10.0)
        label = [ln for ln in ax.lines if ln.get_label().startswith(name.replace("_", " "))]
        assert label[0].get_ydata()[0] == pytest.approx(r.enhancement_with_single[name])
