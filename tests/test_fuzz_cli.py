"""Property-based fuzzing of the command line's numeric options and of the file readers.

Whatever numbers a user types (NaN, infinities, signs, 1e308, 5e-324, huge integers), a
command must end with exit code 0 (and one JSON document) or 2 (and one line on stderr),
never a traceback, within bounded time and memory. The budget is fixed (derandomized
examples, no example database) so that CI time does not drift: about a minute in all.
"""

import json
import time
import tracemalloc

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from weakloc.cli import main  # noqa: E402
from weakloc.ensemble.sweepfile import parse_sweep  # noqa: E402
from weakloc.errors import InputError, WeaklocError  # noqa: E402
from weakloc.io import read_text  # noqa: E402

# no shrinking phase: a failure is reported as found, and the time stays bounded
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate], report_multiple_bugs=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
#: per-example limits
SECONDS, BYTES = 20.0, 1 << 30

#: numbers as a user might type them: every float, plus the usual suspects
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["0", "-0", "1e308", "-1e308", "5e-324", "nan", "inf", "-inf", "1e-13",
                     "2.5", "-1", "1e9", "3"]),
)
integers = st.one_of(st.integers(min_value=-10, max_value=10),
                     st.sampled_from([10**9, -(10**9), 10**30])).map(str)


def run_cli(capsys, argv):
    """Run one command in-process; check the exit code, the output, time and memory."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        code = main(argv + ["--json"])
    except SystemExit as exc:      # argparse: a value that does not parse
        code = exc.code
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    elapsed = time.perf_counter() - t0
    out, err = capsys.readouterr()
    assert code in (0, 2), (argv, code, err)
    assert "Traceback" not in err, (argv, err)
    if code == 0:
        json.loads(out)
    else:
        assert out == "" and len(err.strip().splitlines()) == 1, (argv, err)
    assert elapsed < SECONDS, (argv, elapsed)
    assert peak < BYTES, (argv, peak)


@FUZZ
@given(dim=integers, tau=numbers, tau_phi=numbers, diffusion=numbers,
       size=st.one_of(st.none(), numbers))
def test_theory_wl_correction(capsys, dim, tau, tau_phi, diffusion, size):
    argv = ["theory", "wl-correction", "--dim", dim, "--tau", tau, "--tau-phi", tau_phi,
            "--diffusion", diffusion]
    run_cli(capsys, argv + (["--size", size] if size else []))


@FUZZ
@given(dim=integers, diffusion=numbers, t=numbers, tau=numbers, tau_phi=numbers,
       cutoff=st.sampled_from(["sharp", "exponential", "x"]))
def test_theory_return_probability(capsys, dim, diffusion, t, tau, tau_phi, cutoff):
    run_cli(capsys, ["theory", "return-probability", "--dim", dim, "--diffusion", diffusion,
                     "--time", t, "--tau", tau, "--tau-phi", tau_phi, "--cutoff", cutoff])


@FUZZ
@given(alpha=numbers, l_phi=numbers, bmax=numbers, points=integers,
       symmetric=st.booleans())
def test_theory_hln_curve(capsys, alpha, l_phi, bmax, points, symmetric):
    run_cli(capsys, ["theory", "hln", "--alpha", alpha, "--l-phi", l_phi, "--bmax", bmax,
                     "--points", points] + (["--symmetric"] if symmetric else []))


@FUZZ
@given(temperature=numbers, r_sheet=numbers, diffusion=numbers, tau_s=numbers,
       dim=st.sampled_from(["1", "2", "3"]))
def test_theory_dephasing(capsys, temperature, r_sheet, diffusion, tau_s, dim):
    run_cli(capsys, ["theory", "dephasing", "--temperature", temperature, "--r-sheet",
                     r_sheet, "--diffusion", diffusion, "--tau-s", tau_s, "--dim", dim])


@FUZZ
@given(v=numbers, tau=numbers, dim=integers, g=numbers)
def test_theory_diffusion_and_beta(capsys, v, tau, dim, g):
    run_cli(capsys, ["theory", "diffusion", "--v-fermi", v, "--tau", tau, "--dim", dim])
    run_cli(capsys, ["theory", "beta", "--g", g, "--dim", dim])


@settings(FUZZ, max_examples=25)
@given(dim=st.sampled_from(["1", "2", "3", "0"]), walkers=integers, time_=numbers,
       tau=numbers, speed=numbers, g=numbers, tau_phi=st.one_of(st.none(), numbers))
def test_randomwalk(capsys, dim, walkers, time_, tau, speed, g, tau_phi):
    # --max-events bounds the work of the valid draws; the checks run before it matters
    argv = ["randomwalk", "--dim", dim, "--walkers", walkers, "--time", time_, "--tau", tau,
            "--speed", speed, "--g", g, "--seed", "1", "--max-events", "2e5"]
    run_cli(capsys, argv + (["--tau-phi", tau_phi] if tau_phi else []))


@settings(FUZZ, max_examples=150)
@given(data=st.one_of(st.binary(max_size=2000),
                      st.text(max_size=500).map(lambda s: s.encode("utf-8")),
                      st.text(max_size=500).map(lambda s: s.encode("utf-16"))))
def test_read_text_decodes_or_refuses(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "data.csv"
    path.write_bytes(data)
    try:
        text, encoding = read_text(path)
    except InputError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
        return
    assert encoding in ("utf-8", "cp1252", "latin-1")
    assert isinstance(text, str)


_toml_values = st.one_of(st.integers(), st.floats(allow_nan=True).map(repr),
                         st.text(max_size=10).map(json.dumps), st.booleans().map(str).map(
                             str.lower), st.lists(st.integers(-5, 5), max_size=4).map(str))


@settings(FUZZ, max_examples=150)
@given(lines=st.lists(st.tuples(st.sampled_from(["observable", "realizations", "seed", "x",
                                                 "options", "same_disorder_along",
                                                 "description", "[grid]", "[options]"]),
                                _toml_values), max_size=8))
def test_sweep_file_parses_or_refuses(lines):
    text = "\n".join(k if k.startswith("[") else f"{k} = {v}" for k, v in lines)
    try:
        parse_sweep(text)
    except WeaklocError as exc:
        assert isinstance(exc, InputError)
