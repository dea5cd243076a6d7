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
