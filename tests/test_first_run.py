"""First runs say on stderr that kernels are being compiled, and only then."""

import io

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
