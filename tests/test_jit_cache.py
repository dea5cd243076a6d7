"""numba's on-disk cache shared by processes that compile at the same time.

Numba picks a kernel's data-file number from its index file without a lock, so two
processes compiling different variants of one kernel (closures of a factory share an index)
can lose an entry or, worse, leave an index entry pointing at the other variant's machine
code. :func:`weakloc._jit.serialize_cache_writes` locks each write. The race is widened
here (a pause between reading the index and writing it back, as a busy machine gives) so that
it shows without the lock on every run, with real processes and a real cache folder.
"""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = 4

KERNEL = """
import numba as nb


def make(k):
    @nb.njit(cache=True)
    def scaled_sum(x):
        s = 0.0
        for i in range(x.shape[0]):
            s += x[i] * k
        return s
    return scaled_sum
"""

WORKER = """
import os, sys, time
sys.path[:0] = [os.path.dirname(os.path.abspath(__file__)), {src!r}]
import numpy as np
from numba.core import caching

if os.environ.get("WEAKLOC_LOCK") == "1":
    from weakloc._jit import serialize_cache_writes
    assert serialize_cache_writes()

save_index = caching.IndexDataCacheFile._save_index


def slow_save_index(self, overloads):   # a busy machine: the other writers go on meanwhile
    time.sleep(1.5)
    save_index(self, overloads)


caching.IndexDataCacheFile._save_index = slow_save_index
import kernel_factory

k, start = int(sys.argv[1]), float(sys.argv[2])
f = kernel_factory.make(k)
while time.time() < start:
    time.sleep(0.001)
print(f(np.ones(3)))
"""


def _compile_at_once(tmp_path, lock: bool):
    """Compile VARIANTS closures in as many processes at the same moment, then read each
    back from the cache in a fresh process. Returns (variants cached, variants correct)."""
    work = tmp_path / ("locked" if lock else "unlocked")
    work.mkdir()
    (work / "kernel_factory.py").write_text(textwrap.dedent(KERNEL))
    (work / "worker.py").write_text(textwrap.dedent(WORKER.format(src=str(ROOT / "src"))))
    env = dict(os.environ, NUMBA_CACHE_DIR=str(work / "cache"),
               WEAKLOC_LOCK="1" if lock else "0")
    start = time.time() + 4.0
    procs = [subprocess.Popen([sys.executable, str(work / "worker.py"), str(k), str(start)],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for k in range(1, VARIANTS + 1)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    cached = len(list((work / "cache").rglob("*.nbc")))
    correct = 0
    for k in range(1, VARIANTS + 1):
        res = subprocess.run([sys.executable, str(work / "worker.py"), str(k), "0"], env=env,
                             capture_output=True, text=True, timeout=120)
        correct += res.returncode == 0 and float(res.stdout.split()[-1]) == 3.0 * k
    return cached, correct


@pytest.mark.slow
def test_concurrent_compiles_keep_every_variant_and_its_own_code(tmp_path):
    cached, correct = _compile_at_once(tmp_path, lock=True)
    assert cached == VARIANTS and correct == VARIANTS
    # the same run without the lock loses entries: the race the lock removes is real here
    cached, correct = _compile_at_once(tmp_path, lock=False)
    assert cached < VARIANTS or correct < VARIANTS


def test_serialize_cache_writes_is_installed_by_the_kernel_modules():
    from numba.core.caching import IndexDataCacheFile

    import weakloc.transport.rgf  # noqa: F401 - a kernel module

    assert getattr(IndexDataCacheFile.save, "_weakloc_locked", False)
