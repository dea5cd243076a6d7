"""``weakloc sites`` and the model flags of ``conductance``/``localization``."""

import json

import numpy as np

from weakloc.cli import main
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance


def run(capsys, *argv):
    code = main([*argv, "--json"])
    cap = capsys.readouterr()
    return code, (json.loads(cap.out) if code == 0 else None), cap.err


def test_sites_prints_the_positions_in_onsite_order(capsys):
    code, doc, _ = run(capsys, "sites", "--lattice", "honeycomb", "--edge", "armchair",
                       "--width", "5", "--length", "3")
    assert code == 0
    pos = np.array(doc["positions"])
    assert pos.shape == (3, 10, 2) and doc["shape"] == [3, 10, 2] and doc["unit"] == "a_cc"
    assert doc["onsite_shape"] == [3, 10]
    # one period of 3 a_cc per slice, nearest neighbours at a_cc = 1
    assert np.allclose(pos[1] - pos[0], [3.0, 0.0])
    d = np.linalg.norm(pos[0][:, None] - pos[0][None], axis=-1)
    assert np.isclose(d[d > 1e-9].min(), 1.0)
    code, doc, _ = run(capsys, "sites", "--width", "3", "--length", "2")
    assert np.array(doc["positions"]).tolist() == [[[0, 0], [0, 1], [0, 2]],
                                                   [[1, 0], [1, 1], [1, 2]]]


def test_onsite_file_in_sites_order_drives_the_conductance(capsys, tmp_path):
    # a potential step on the right half of the ribbon, placed by the printed x positions
    code, doc, _ = run(capsys, "sites", "--lattice", "honeycomb", "--width", "6",
                       "--length", "8")
    pos = np.array(doc["positions"])
    onsite = np.where(pos[..., 0] > pos[..., 0].max() / 2, 0.4, 0.0)
    f = tmp_path / "v.npy"
    np.save(f, onsite)
    code, doc, _ = run(capsys, "conductance", "--lattice", "honeycomb", "--width", "6",
                       "--length", "8", "--energy", "0.3", "--onsite", str(f))
    assert code == 0 and doc["inputs"]["lattice"] == "honeycomb"
    lat = Lattice(lattice="honeycomb", width=6, length=8)
    expect = conductance(lat.realize(onsite=onsite), 0.3)
    assert abs(doc["conductance"]["mean"] - expect) < 1e-12
    assert abs(expect - conductance(lat.realize(0), 0.3)) > 1e-3     # the step scatters


def test_sites_plot_writes_a_png(capsys, tmp_path):
    out = tmp_path / "ribbon.png"
    code, doc, _ = run(capsys, "sites", "--lattice", "honeycomb", "--width", "4",
                       "--length", "3", "--plot", str(out))
    assert code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_model_flags_give_one_line_errors(capsys):
    code, _, err = run(capsys, "localization", "--lattice", "honeycomb", "--edge",
                       "armchair", "--width", "8", "--disorder", "1", "--energy", "0.3")
    assert code == 2 and "Landauer conductance" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "conductance", "--lattice", "hexagonal", "--width", "4",
                       "--length", "3", "--energy", "0.3")
    assert code == 2 and "--lattice must be" in err and "Traceback" not in err
    code, _, err = run(capsys, "sites", "--lattice", "honeycomb", "--width", "5",
                       "--length", "3", "--boundary", "periodic")
    assert code == 2 and "even width" in err


def test_correlation_flag_gives_the_api_correlated_samples(capsys):
    from weakloc.seeding import stream

    code, doc, _ = run(capsys, "conductance", "--lattice", "honeycomb", "--width", "6",
                       "--length", "6", "--disorder", "0.8", "--correlation", "2.5",
                       "--energy", "0.4", "--samples", "2", "--seed", "3")
    assert code == 0 and doc["inputs"]["correlation"] == 2.5
    assert doc["inputs"]["disorder_kind"] == "gaussian"
    lat = Lattice(lattice="honeycomb", width=6, length=6, disorder=0.8,
                  disorder_kind="gaussian", correlation=2.5)
    expect = [conductance(lat.realize(stream(3, i)), 0.4) for i in range(2)]
    assert np.allclose(doc["conductance"]["values"], expect, atol=1e-12)


def test_taper_flag_gives_the_api_tapered_samples_and_needs_correlation(capsys):
    from weakloc.seeding import stream

    code, doc, _ = run(capsys, "conductance", "--lattice", "honeycomb", "--width", "6",
                       "--length", "8", "--disorder", "0.8", "--correlation", "2.5",
                       "--taper", "5", "--energy", "0.4", "--samples", "2", "--seed", "3")
    assert code == 0 and doc["inputs"]["taper"] == 5.0
    lat = Lattice(lattice="honeycomb", width=6, length=8, disorder=0.8,
                  disorder_kind="gaussian", correlation=2.5, taper=5.0)
    expect = [conductance(lat.realize(stream(3, i)), 0.4) for i in range(2)]
    assert np.allclose(doc["conductance"]["values"], expect, atol=1e-12)
    untapered = conductance(lat.with_(taper=0.0).realize(stream(3, 0)), 0.4)
    assert abs(untapered - expect[0]) > 1e-6          # the taper changes the sample
    code, _, err = run(capsys, "conductance", "--width", "6", "--length", "4",
                       "--disorder", "1", "--taper", "3", "--energy", "0.4")
    assert code == 2 and "correlation > 0" in err and len(err.strip().splitlines()) == 1


def test_shape_flag_matches_the_api_and_sites_reports_the_kept_sites(capsys):
    from weakloc.lattice.shapes import Ring

    code, doc, _ = run(capsys, "conductance", "--width", "12", "--length", "20",
                       "--shape", "ring:2.5,6", "--energy", "0.5", "--flux", "0.01")
    assert code == 0 and doc["inputs"]["shape"] == "ring:2.5,6"
    lat = Lattice(width=12, length=20, shape=Ring(2.5, 6), flux=0.01)
    assert abs(doc["conductance"]["mean"] - conductance(lat.realize(0), 0.5)) < 1e-12
    code, doc, _ = run(capsys, "sites", "--width", "12", "--length", "20",
                       "--shape", "ring:2.5,6")
    assert np.array_equal(np.array(doc["kept"]), lat.site_mask())
    code, _, err = run(capsys, "conductance", "--width", "12", "--length", "20",
                       "--shape", "donut:3", "--energy", "0.5")
    assert code == 2 and "ring:R_IN,R_OUT" in err


def test_models_demo_section(tmp_path, monkeypatch):
    from weakloc.demo import models

    monkeypatch.setattr(models, "SAMPLES", 4)
    monkeypatch.setattr(models, "N_FLUX", 49)
    res = models.run(tmp_path, 7)
    assert (tmp_path / res["figures"][0]).stat().st_size > 10_000
    assert "g = 1.000" in res["highlights"][0]            # zigzag edge channel
    assert "N=9: g = 0.000" in res["highlights"][1]       # armchair N=9: a gap
    assert 0.8 < res["ring"]["peak_per_h_over_e"] < 1.25  # h/e period of the ring
