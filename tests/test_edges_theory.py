"""Silently wrong theory and random-walk results turned into one-line errors.

Each case reproduces an example of issue 17 that used to return a number with exit 0.
"""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.errors import InputError, ResourceError
from weakloc.montecarlo.randomwalk import check_events, simulate_walks
from weakloc.theory import integrated_return_probability, wl_correction
from weakloc.theory.magnetoconductance import wire


def _one_line_error(capsys, argv, code=2):
    assert main(argv) == code
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    return lines[0]


def test_wl_correction_refuses_tau_phi_below_tau(capsys):
    # used to return +0.73 e^2/h: localization turned into anti-localization
    with pytest.raises(InputError, match="shorter than tau"):
        wl_correction(2, 1e-10, 1e-11)
    err = _one_line_error(capsys, ["theory", "wl-correction", "--dim", "2", "--tau", "1e-10",
                                   "--tau-phi", "1e-11"])
    assert "tau_phi = 1e-11 s is shorter than tau = 1e-10 s" in err
    # a sample smaller than the mean free path is not diffusive either
    with pytest.raises(InputError, match="size cutoff"):
        wl_correction(2, 1e-13, 1e-11, diffusion=1e-2, size=1e-9)
    # the boundary tau_phi = tau is the empty window: zero, not an error
    assert wl_correction(2, 1e-12, 1e-12) == 0.0
    # arrays: any element with tau_phi < tau is refused
    with pytest.raises(InputError):
        wl_correction(2, 1e-12, np.array([1e-11, 1e-13]))


@pytest.mark.parametrize("cutoff", ["sharp", "exponential"])
def test_return_probability_refuses_empty_window(capsys, cutoff):
    with pytest.raises(InputError, match="empty"):
        integrated_return_probability(1e-12, 1e-13, 1e-2, 3, cutoff=cutoff)
    err = _one_line_error(capsys, ["theory", "return-probability", "--dim", "1",
                                   "--diffusion", "1e-2", "--tau", "1e-12", "--tau-phi",
                                   "1e-13", "--cutoff", cutoff])
    assert "shorter than tau" in err
    # the ordered window is positive in every dimension
    for d in (1, 2, 3):
        assert integrated_return_probability(1e-13, 1e-12, 1e-2, d, cutoff=cutoff) > 0


def test_randomwalk_tau_phi_below_tau_and_runs_that_never_end(capsys):
    with pytest.raises(InputError, match="must exceed tau"):
        simulate_walks(2, samples=10, tau=1e-13, tau_phi=1e-14, seed=1)
    # the example: --time 2.5 (meant as 2.5 tau) is 2.5e13 collisions per walker
    err = _one_line_error(capsys, ["randomwalk", "--dim", "2", "--walkers", "200", "--seed",
                                   "1", "--time", "2.5"])
    assert "2.5e+13 collisions per walker" in err and "--max-events" in err
    err = _one_line_error(capsys, ["randomwalk", "--dim", "2", "--walkers", "200", "--seed",
                                   "1", "--tau-phi", "2.5"])
    assert "collisions per walker" in err
    err = _one_line_error(capsys, ["randomwalk", "--dim", "2", "--tau", "1e308"])
    assert "out of floating-point range" in err
    err = _one_line_error(capsys, ["randomwalk", "--dim", "2", "--speed", "1e308"])
    assert "speed of light" in err
    err = _one_line_error(capsys, ["theory", "diffusion", "--v-fermi", "1e308", "--tau",
                                   "1e308", "--dim", "2"])
    assert "speed of light" in err
    err = _one_line_error(capsys, ["theory", "hln", "--alpha", "1", "--l-phi", "2e-171",
                                   "--bmax", "5e-6", "--points", "5"])
    assert "range of floating point" in err
    # the count is walkers x T / tau, and the ceiling can be raised
    assert check_events(100, 1e-10, 1e-13, 1e6) == pytest.approx(1e5)
    with pytest.raises(ResourceError, match="1e\\+03 collisions per walker"):
        check_events(100, 1e-10, 1e-13, 1e4)


def test_wire_degeneracies_are_checked(capsys):
    B = np.linspace(0, 1, 5)
    with pytest.raises(InputError, match="g_s must be one of 1, 2"):
        wire(B, 1e-7, 5e-8, g_s=-2)
    with pytest.raises(InputError, match="g_v"):
        wire(B, 1e-7, 5e-8, g_v=0)
    err = _one_line_error(capsys, ["theory", "magnetoconductance", "--model", "wire",
                                   "--param", "l_phi=1e-7", "--param", "width=5e-8",
                                   "--param", "g_s=-2", "--bmax", "1"])
    assert "g_s" in err
    # the sign of the wire's magnetoconductance is fixed: positive (WL is suppressed)
    assert np.all(wire(B[1:], 1e-7, 5e-8, g_s=1) > 0)


def test_repeated_param_is_refused(capsys):
    err = _one_line_error(capsys, ["theory", "magnetoconductance", "--model", "hln",
                                   "--param", "alpha=1", "--param", "l_phi=1e-7",
                                   "--param", "l_phi=2e-7", "--bmax", "1"])
    assert "--param l_phi is given twice" in err
    assert main(["theory", "magnetoconductance", "--model", "hln", "--param", "alpha=1",
                 "--param", "l_phi=1e-7", "--bmax", "1", "--points", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inputs"]["params"]["l_phi"] == 1e-7


@pytest.mark.parametrize("argv,words", [
    (["conductance", "--width", "4", "--length", "4", "--energy", "0.5", "--flux", "1e308"],
     "--flux = 1e+308 h/e per plaquette"),
    (["localization", "--width", "4", "--disorder", "1e308", "--energy", "0"],
     "--disorder = 1e+308 t is beyond"),
    (["localization", "--width", "4", "--disorder", "5", "--energy", "1e308"],
     "--energy = 1e+308 t is beyond"),
    (["localization", "--width", "4", "--disorder", "5", "--energy", "nan"], "NaN"),
    (["scaling", "--dim", "2", "--widths", "4", "6", "--disorders", "5", "1e300"],
     "--disorders"),
])
def test_extreme_lattice_numbers_are_one_line_errors(capsys, argv, words):
    assert words in _one_line_error(capsys, argv + ["--json"])
