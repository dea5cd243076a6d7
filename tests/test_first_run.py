"""First runs say on stderr that kernels are being compiled, and only then."""

import io

import pytest

from weakloc import _jit


def test_announced_only_without_a_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr(_jit, "KERNELS", {"fake": ("montecarlo/_no_such_kernel.py",)})
    buf = io.StringIO()
    assert _jit.announce_compile("fake", stream=buf)
    assert "compiling numerical kernels (once per install" in buf.getvalue()
    assert not _jit.announce_compile("theory", stream=io.StringIO())   # no kernels
    # an index file in NUMBA_CACHE_DIR (any depth, as numba mirrors the source path) counts
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "_no_such_kernel.walk-12.py311.nbi").write_bytes(b"")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    assert not _jit.announce_compile("fake", stream=io.StringIO())
    # NUMBA_CACHE_DIR set but empty: numba will compile, whatever __pycache__ holds
    monkeypatch.setattr(_jit, "KERNELS", {"fake": ("montecarlo/_walkkernel.py",)})
    (tmp_path / "x" / "y" / "_no_such_kernel.walk-12.py311.nbi").unlink()
    assert _jit.announce_compile("fake", stream=io.StringIO())


def test_every_listed_kernel_module_exists():
    from pathlib import Path

    import weakloc

    root = Path(weakloc.__file__).parent
    for modules in _jit.KERNELS.values():
        for m in modules:
            assert (root / m).is_file(), m
            assert "cache=True" in (root / m).read_text()


def test_notice_waits_so_a_quick_refusal_stays_one_line(monkeypatch):
    import time

    buf = io.StringIO()
    monkeypatch.setitem(_jit.KERNELS, "fake", ("no/such_kernel.py",))
    timer = _jit.announce_if_slow("fake", delay=0.2, stream=buf)
    timer.cancel()                       # the command ended (an error) before the delay
    time.sleep(0.4)
    assert buf.getvalue() == ""
    timer = _jit.announce_if_slow("fake", delay=0.05, stream=buf)
    timer.join(2.0)                      # still running after the delay: the notice comes
    assert "compiling numerical kernels" in buf.getvalue()
    assert _jit.announce_if_slow("theory") is None               # no kernels, no timer


def test_a_command_parser_holds_that_command_as_the_full_one_does():
    from weakloc.cli import build_parser

    full = build_parser()
    commands = full._subparsers._group_actions[0].choices
    assert {"randomwalk", "cbs", "conductance", "localization", "theory"} <= set(commands)
    for name, sub in commands.items():
        alone = build_parser(name)._subparsers._group_actions[0].choices
        assert set(alone) == {name}
        assert ({o for a in alone[name]._actions for o in a.option_strings}
                == {o for a in sub._actions for o in a.option_strings})
    # an unknown word falls back to every command (argparse then names the choices)
    assert set(build_parser("nonsense")._subparsers._group_actions[0].choices) == set(commands)


def test_a_walk_loads_neither_the_fitting_code_nor_the_cone():
    """The first call of ``weakloc randomwalk`` imports (and compiles) only what it uses."""
    import subprocess
    import sys

    code = ("import sys; from weakloc.cli import main; "
            "main(['randomwalk', '--dim', '1', '--walkers', '40', '--seed', '1', '--json']); "
            "bad = [m for m in ('weakloc.fitting', 'weakloc.montecarlo.cbs', "
            "'weakloc.montecarlo._cbskernel', 'weakloc.montecarlo.latticewalk') "
            "if m in sys.modules]; print(bad, file=sys.stderr); sys.exit(len(bad))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr


_COUNT_COMPILES = """
import sys
from numba.core import event
compiled = []
class Listener(event.Listener):
    def on_start(self, ev):
        d = (ev.data or {}).get("dispatcher")
        mod = getattr(getattr(d, "py_func", None), "__module__", "") or ""
        if mod.startswith("weakloc"):
            compiled.append(d.py_func.__qualname__)
    def on_end(self, ev):
        pass
event.register("numba:compile", Listener())
from weakloc.cli import main
code = main(sys.argv[1:])
print("COMPILED", len(compiled), sorted(set(compiled)), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.slow
@pytest.mark.parametrize("argv", [
    ["randomwalk", "--dim", "3", "--walkers", "300", "--seed", "1"],
    ["cbs", "--kl", "10", "--photons", "40", "--seed", "1"],
    ["conductance", "--width", "4", "--length", "4", "--energy", "0.5", "--disorder", "1",
     "--seed", "1"],
    ["localization", "--width", "3", "--disorder", "5", "--energy", "0", "--precision", "0.3",
     "--seed", "1"],
])
def test_the_second_call_loads_every_kernel_from_the_cache(tmp_path, argv):
    """A fresh cache: the first call compiles the command's kernels, the second none (a
    kernel whose cache never hits would be compiled on every call, silently)."""
    import os
    import re
    import subprocess
    import sys

    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    counts = []
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", _COUNT_COMPILES, *argv, "--json"],
                           env=env, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        counts.append(int(re.search(r"COMPILED (\d+)", r.stderr).group(1)))
    assert counts[0] > 0 and counts[1] == 0, (counts, r.stderr)
