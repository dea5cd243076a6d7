"""The coherence commands (ucf, sigma-t, ring, fit-cone): one JSON document, SI units, files
read by the shared table reader, and one-line errors with exit code 2."""

import json

import numpy as np
import pytest

from weakloc.cli import main
from weakloc.theory import fluctuations as th


def _run(capsys, args):
    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, err


def _film_file(path, rng):
    from test_ucf import film_shape, gaussian_traces

    lp = 1e-6
    bc = th.ucf_correlation_field(dim=2, l_phi=lp)
    step, n = bc / 8, 240
    traces = gaussian_traces(lambda d: 4e-12 * film_shape(d, lp), step, n, 3, rng)
    B = 0.5 + step * np.arange(n)
    lines = ["gate_V\tB_mT\tG_uS"]
    for k, g in enumerate(traces):
        lines += [f"{0.5 * k}\t{b * 1e3:.9g}\t{(1e-3 + x) * 1e6:.9g}" for b, x in zip(B, g)]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_ucf_json_and_plot(tmp_path, capsys):
    f = _film_file(tmp_path / "fp.tsv", np.random.default_rng(11))
    png = tmp_path / "acf.png"
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_mT", "--field-unit", "mT",
                                 "--value", "3", "--value-unit", "uS", "--trace", "gate_V",
                                 "--plot", str(png), "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["traces"] == 3 and doc["inputs"]["dim"] == 2
    assert doc["correlation_field"]["unit"] == "T" and doc["rms"]["unit"] == "S"
    lp = doc["l_phi"]
    assert abs(lp["value"] - 1e-6) < 4 * lp["stderr"]
    assert png.exists() and doc["version"]


def test_ucf_errors_are_one_line(tmp_path, capsys):
    f = _film_file(tmp_path / "fp.tsv", np.random.default_rng(12))
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_mT", "--value", "G_uS",
                                 "--temperature-k", "1"])
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--diffusion" in err
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_T", "--value", "G_uS"])
    assert rc == 2 and "no column 'B_T'" in err
    rc, out, err = _run(capsys, ["ucf", f, "--field", "B_mT", "--value", "G_uS", "--dim", "1"])
    assert rc == 0  # the wire without width: B_c and rms, L_phi not determined
    assert "not determined" in out


def _cone_file(path):
    from weakloc.theory.cone import cone_intensity

    rng = np.random.default_rng(8)
    th = np.linspace(-120, 120, 121)  # mrad
    a = 100 * cone_intensity(th * 1e-3, kl=30, enhancement=1.9, absorption=6,
                             resolution=2e-3) + rng.normal(0, 0.5, th.size)
    b = 60 * cone_intensity(th * 1e-3, kl=30, enhancement=1.3, absorption=6,
                            resolution=2e-3) + rng.normal(0, 0.5, th.size)
    path.write_text("theta_mrad,I_co,I_cross\n" + "".join(
        f"{t:g},{x:.8g},{y:.8g}\n" for t, x, y in zip(th, a, b)))
    return str(path)


def test_fit_cone_channels(tmp_path, capsys):
    f = _cone_file(tmp_path / "cone.csv")
    png = tmp_path / "cone.png"
    rc, out, err = _run(capsys, ["fit-cone", f, "--angle", "theta_mrad", "--angle-unit", "mrad",
                                 "--intensity", "I_co", "--intensity", "3", "--wavelength",
                                 "500e-9", "--resolution", "2e-3", "--plot", str(png), "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert set(doc["channels"]) == {"I_co", "I_cross"}
    for c in doc["channels"].values():
        assert abs(c["kl"]["value"] - 30) < 4 * c["kl"]["stderr"]
    lt = doc["l_tr"]["value"]
    assert lt == pytest.approx(doc["kl"]["value"] * 500e-9 / (2 * np.pi), rel=1e-12)
    assert doc["absorption_length"]["unit"] == "m" and png.exists()
    assert doc["channels"]["I_cross"]["enhancement"]["value"] < 1.4


def test_fit_cone_polarization_channels_without_absorption(tmp_path, capsys):
    """A co cone (sharp cusp) and a cross cone (E 1.25, top rounded over L_d = 2 l_tr), no
    absorption: the cross fit holds k l_tr at the co value and reports L_d in m."""
    from weakloc.theory.cone import cone_intensity

    rng = np.random.default_rng(9)
    th = np.linspace(-150, 150, 151)  # mrad
    a = 100 * cone_intensity(th * 1e-3, kl=30, enhancement=1.95, resolution=2e-3)
    b = 60 * cone_intensity(th * 1e-3, kl=30, enhancement=1.25, absorption=2.0,
                            resolution=2e-3)
    f = tmp_path / "pol.csv"
    f.write_text("theta_mrad,I_flip,I_keep\n" + "".join(
        f"{t:g},{x:.8g},{y:.8g}\n" for t, x, y in zip(
            th, b + rng.normal(0, 0.2, th.size), a + rng.normal(0, 0.2, th.size))))
    base = ["fit-cone", str(f), "--angle", "theta_mrad", "--angle-unit", "mrad",
            "--intensity", "I_flip", "--intensity", "I_keep", "--wavelength", "500e-9",
            "--resolution", "2e-3", "--no-absorption"]
    rc, out, err = _run(capsys, base + ["--channel", "cross", "--channel", "co", "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    keep, flip = doc["channels"]["I_keep"], doc["channels"]["I_flip"]
    assert abs(keep["kl"]["value"] - 30) < 4 * keep["kl"]["stderr"]
    assert flip["kl"]["fixed"] and flip["kl"]["value"] == keep["kl"]["value"]
    dep = flip["depolarization"]
    assert abs(dep["value"] - 2.0) < 4 * dep["stderr"]
    assert flip["depolarization_length"]["unit"] == "m"
    assert abs(flip["enhancement"]["value"] - 1.25) < 4 * flip["enhancement"]["stderr"]
    for c in (keep, flip):   # no absorption: said in the result
        assert c["absorption_length"]["value"] is None and c["inputs"]["absorption"] == "none"
    assert doc["inputs"]["channel"] == ["cross", "co"]
    only_cross = ["fit-cone", str(f), "--angle", "theta_mrad", "--angle-unit", "mrad",
                  "--intensity", "I_flip", "--channel", "cross", "--wavelength", "500e-9"]
    rc, out, err = _run(capsys, only_cross)     # absorption fitted by default: refused
    assert rc == 2 and "--no-absorption" in err and len(err.strip().splitlines()) == 1
    rc, out, err = _run(capsys, only_cross + ["--no-absorption", "--json"])
    assert rc == 0 and not json.loads(out)["kl"]["fixed"]
    rc, out, err = _run(capsys, base + ["--channel", "cross"])
    assert rc == 2 and "one per column" in err


def test_fit_cone_errors(tmp_path, capsys):
    f = _cone_file(tmp_path / "cone.csv")
    rc, out, err = _run(capsys, ["fit-cone", f, "--angle", "theta_mrad", "--intensity", "I_co",
                                 "--wavelength", "500e-9"])
    assert rc == 2 and "--angle-unit" in err and len(err.strip().splitlines()) == 1
    rc, out, err = _run(capsys, ["fit-cone", f, "--angle", "1", "--angle-unit", "mrad",
                                 "--intensity", "2", "--stderr", "2", "--stderr", "3",
                                 "--wavelength", "500e-9"])
    assert rc == 2 and "one per channel" in err


def test_cbs_absorption_flag(capsys):
    rc, out, err = _run(capsys, ["cbs", "--kl", "10", "--photons", "2000", "--absorption",
                                 "5", "--seed", "3", "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["inputs"]["absorption_mean_free_paths"] == 5
    assert doc["fractions"]["absorbed"] > 0
    rc, out, err = _run(capsys, ["cbs", "--polarized", "--absorption", "5"])
    assert rc == 2 and "scalar cone only" in err


def test_sigma_t_2d_from_sheet_resistance(tmp_path, capsys):
    g00 = 1.602176634e-19**2 / (2 * np.pi**2 * 1.054571817e-34)
    T = np.geomspace(0.5, 20, 12)
    s0 = 1e-3 + g00 * (1.0 + 0.7) * np.log(T)
    sb = 1.02e-3 + g00 * 0.7 * np.log(T)
    f = tmp_path / "rt.dat"
    f.write_text("# sheet resistance, ohm\n" + "".join(
        f"{t * 1e3:.9g} {1 / a:.12g} {1 / b:.12g}\n" for t, a, b in zip(T, s0, sb)))
    png = tmp_path / "st.png"
    rc, out, err = _run(capsys, ["sigma-t", str(f), "--temperature", "1", "--temperature-unit",
                                 "mK", "--value", "2", "--field-value", "3", "--value-unit",
                                 "Ohm", "--p", "1", "--plot", str(png), "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["a_ee"]["value"] == pytest.approx(0.7, abs=1e-6)
    assert doc["alpha_p"]["value"] == pytest.approx(1.0, abs=1e-6)
    assert doc["f_sigma"]["value"] == pytest.approx(0.4, abs=1e-6)
    assert png.exists()
    rc, out, err = _run(capsys, ["sigma-t", str(f), "--temperature", "1", "--value", "2",
                                 "--value-unit", "Ohm"])
    assert rc == 2 and "--field-value" in err and len(err.strip().splitlines()) == 1


def test_ring_series(tmp_path, capsys):
    from test_rings import AREA, B, R, trace
    from weakloc.theory.rings import harmonic_decay

    rng = np.random.default_rng(21)
    T = [0.1, 0.2, 0.4, 0.8]
    files = []
    for t in T:
        lp = 2e-6 * t**-0.5
        G = trace(rng, 4e-6 * harmonic_decay(R, lp, 1), 4e-6 * harmonic_decay(R, lp, 2),
                  noise=2e-8)
        f = tmp_path / f"ring_{t}K.csv"
        f.write_text("B_T,G_S\n" + "".join(f"{b:.8g},{g:.12g}\n" for b, g in zip(B, G)))
        files.append(str(f))
    png = tmp_path / "ring.png"
    rc, out, err = _run(capsys, ["ring", *files, "--field", "B_T", "--value", "G_S", "--area",
                                 str(AREA), "--area-spread", "0.05", "--radius", str(R),
                                 "--temperatures", ",".join(map(str, T)), "--p", "1",
                                 "--plot", str(png), "--json"])
    assert rc == 0, err
    doc = json.loads(out)
    assert len(doc["traces"]) == 4 and doc["h_over_e"]["unit"] == "S"
    for name in ("h_over_e", "h_over_2e"):
        lp = doc["dephasing"][name]["l_phi_1k"]
        assert abs(lp["value"] - 2e-6) < 4 * lp["stderr"]
    assert png.exists()
    zero = doc["traces"][0]["at_zero_field"]["h_over_2e"]   # a cosine locked at B = 0
    a2 = 4e-6 * harmonic_decay(R, 2e-6 * T[0] ** -0.5, 2)
    assert zero["value"] > 0 and abs(zero["value"] - a2) < 4 * zero["stderr"]
    rc, out, err = _run(capsys, ["ring", files[0], "--field", "B_T", "--value", "G_S",
                                 "--area", str(AREA), "--area-spread", "0.05"])
    assert rc == 0 and "h/2e at B = 0: +" in out
    rc, out, err = _run(capsys, ["ring", files[0], "--field", "B_T", "--value", "G_S",
                                 "--area", "1e-15"])
    assert rc == 2 and "--area" in err and len(err.strip().splitlines()) == 1


def test_sigma_t_3d_f_sigma_from_diffusion(tmp_path, capsys):
    from weakloc.theory.interaction import interaction_amplitude

    T = np.geomspace(0.3, 10, 14)
    D, F = 2e-4, 0.3
    a = float(interaction_amplitude(F, dim=3, diffusion=D))
    g00 = 1.602176634e-19**2 / (2 * np.pi**2 * 1.054571817e-34)
    sb = 2e5 + a * np.sqrt(T)
    s0 = sb + g00 * T**0.5 / 200e-9
    f = tmp_path / "bulk.dat"
    f.write_text("".join(f"{t:.9g} {x:.15g} {y:.15g}\n" for t, x, y in zip(T, s0, sb)))
    args = ["sigma-t", str(f), "--temperature", "1", "--value", "2", "--field-value", "3",
            "--dim", "3", "--p", "1", "--json"]
    rc, out, err = _run(capsys, args + ["--diffusion", str(D), "--diffusion-stderr", "1e-5"])
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["f_sigma"]["value"] == pytest.approx(F, abs=1e-6)
    assert doc["inputs"]["diffusion_m2_s"] == D and doc["f_sigma"]["stderr"] > 0
    rc, out, err = _run(capsys, args + ["--diffusion", "-1"])
    assert rc == 2 and "diffusion" in err and len(err.strip().splitlines()) == 1
