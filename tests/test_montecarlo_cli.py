"""``weakloc randomwalk`` and ``weakloc cbs``: JSON layout, seeds, one-line errors."""

import json

import pytest

import weakloc
from weakloc.cli import main


def run_json(capsys, *argv):
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_randomwalk_json_layout(capsys):
    doc = run_json(capsys, "randomwalk", "--dim", "2", "--walkers", "4000", "--g", "0.3",
                   "--seed", "4")
    assert doc["version"] == weakloc.__version__ and doc["seed"] == 4
    dif = doc["diffusion"]
    D = 1e10 * 1e-13 / (2 * 0.7)
    assert dif["theory"] == pytest.approx(D)
    for key in ("green_kubo", "msd"):
        assert abs(dif[key] - D) < 4 * dif["stderr"][key]
    rp = doc["return_probability"]
    assert rp["theory"] == -1.0
    assert abs(rp["exponent"] + 1.0) < 4 * rp["exponent_stderr"] + 0.02
    again = run_json(capsys, "randomwalk", "--dim", "2", "--walkers", "4000", "--g", "0.3",
                     "--seed", "4")
    assert again["diffusion"] == doc["diffusion"]


def test_randomwalk_lattice_json(capsys):
    doc = run_json(capsys, "randomwalk", "--dim", "3", "--lattice", "--walkers", "3000",
                   "--steps", "500", "--seed", "2")
    lat = doc["lattice"]
    assert lat["theory_limit"] == pytest.approx(0.3405, abs=1e-4)
    assert abs(lat["extrapolated"] - 0.3405) < 4 * lat["extrapolated_stderr"]
    assert len(lat["steps"]) == len(lat["returned"]) == len(lat["exact"])


def test_cbs_json_layout_and_plot(capsys, tmp_path):
    png = tmp_path / "cone.png"
    doc = run_json(capsys, "cbs", "--kl", "15", "--photons", "1500", "--max-orders", "300",
                   "--seed", "9", "--plot", str(png))
    assert png.stat().st_size > 1000
    assert doc["enhancement"]["without_single"] == pytest.approx(2.0)
    assert 1.8 < doc["enhancement"]["with_single"] < 1.9
    n = len(doc["angles_rad"])
    assert all(len(doc[k]) == n for k in ("ladder", "crossed", "single", "awm"))
    assert doc["fwhm_rad"] > 0 and doc["seed"] == 9
    out = tmp_path / "cbs.json"
    doc = run_json(capsys, "cbs", "--kl", "15", "--photons", "500", "--max-orders", "300",
                   "--slab", "3", "--incidence", "20", "--angles", "-0.05", "0", "0.05",
                   "--output", str(out))
    assert doc["angles_rad"] == [-0.05, 0.0, 0.05]
    saved = json.loads(out.read_text())
    assert saved["version"] == weakloc.__version__ and saved["crossed"] == doc["crossed"]
    assert doc["fractions"]["transmitted"] > 0


@pytest.mark.parametrize("argv, words", [
    (["randomwalk", "--dim", "4"], "dimension"),
    (["randomwalk", "--dim", "2", "--tau", "0"], "tau must be positive"),
    (["randomwalk", "--dim", "2", "--speed", "-3"], "speed must be positive"),
    (["randomwalk", "--dim", "2", "--g", "1"], "|g| < 1"),
    (["randomwalk", "--dim", "2", "--time", "-1"], "time must be positive"),
    (["cbs", "--kl", "0"], "kl must be positive"),
    (["cbs", "--g", "-1"], "|g| < 1"),
    (["cbs", "--slab", "0"], "--slab"),
    (["cbs", "--plot", "x.xyz"], "unknown figure format"),
])
def test_bad_input_one_line_exit_2(capsys, argv, words):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_ctrl_c_stops_a_long_randomwalk_within_seconds(tmp_path):
    """SIGINT while the kernel runs: exit 130 within seconds, one stderr line, no traceback.

    The run asks for 2e10 collisions (a minute even on many cores); the signal is sent
    once the first progress line (written after LOG_EVERY s of walking) shows that walks
    advance.
    """
    import os
    import queue
    import signal
    import subprocess
    import sys
    import threading
    import time
    from pathlib import Path

    src = str(Path(weakloc.__file__).resolve().parents[1])
    proc = subprocess.Popen(
        [sys.executable, "-m", "weakloc", "randomwalk", "--dim", "2", "--walkers", "2000",
         "--time", "1e-6", "--max-events", "1e11", "--seed", "1",
         "--output", str(tmp_path / "w.json")],
        env=dict(os.environ, PYTHONPATH=src), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, text=True)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True)
    reader.start()
    try:
        before = []
        deadline = time.monotonic() + 120
        while not any(x.startswith("walks d=2:") for x in before):
            assert proc.poll() is None, before
            try:
                before.append(lines.get(timeout=max(deadline - time.monotonic(), 0.01)))
            except queue.Empty:
                raise AssertionError(f"no progress line: {before}") from None
        done = int(before[-1].split(":")[1].split("/")[0])
        assert 0 < done < 2000 * 1e7          # walks advance, and not in one piece
        t_int = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)     # what a terminal's Ctrl-C does
        proc.wait(timeout=30)
        waited = time.monotonic() - t_int
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    reader.join(timeout=10)
    after = []
    while not lines.empty():
        after.append(lines.get())
    stdout = proc.stdout.read()
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == 130, after
    assert waited < 5.0, waited
    assert after == ["weakloc randomwalk: interrupted\n"], after
    assert "Traceback" not in "".join(before)
    assert stdout == "" and not (tmp_path / "w.json").exists()
