"""First-call time of each kernel-using command: a fresh install (empty numba cache) against
the second call (kernels cached), side by side in one run.

Each command runs twice as a separate process with ``NUMBA_CACHE_DIR`` pointing at a new,
empty folder: the first process compiles (as on a fresh install) and says so on stderr, the
second loads the cache. The work itself is tiny, so the times are start-up plus compilation.
Run: python benchmarks/bench_first_run.py [COMMAND ...]
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "randomwalk": ["randomwalk", "--dim", "2", "--walkers", "200", "--seed", "1"],
    "cbs": ["cbs", "--kl", "10", "--photons", "2000", "--seed", "1"],
    "conductance": ["conductance", "--width", "8", "--length", "8", "--energy", "0.5",
                    "--disorder", "1", "--seed", "1"],
    "localization": ["localization", "--width", "4", "--disorder", "5", "--energy", "0",
                     "--precision", "0.1", "--seed", "1"],
}


def timed(argv, env):
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "weakloc", *argv, "--json"], env=env,
                       capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{argv[0]} failed: {r.stderr.strip()}")
    return elapsed, "compiling numerical kernels" in r.stderr


def main(names):
    print(f"{'command':<14} {'first call (s)':>15} {'second call (s)':>16} {'ratio':>7}  "
          "announced")
    for name in names or COMMANDS:
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache,
                       PYTHONPATH=str(ROOT / "src") + os.pathsep
                       + os.environ.get("PYTHONPATH", ""))
            cold, said = timed(COMMANDS[name], env)
            warm, said_again = timed(COMMANDS[name], env)
        print(f"{name:<14} {cold:>15.1f} {warm:>16.1f} {cold / warm:>7.1f}  "
              f"{'first only' if said and not said_again else (said, said_again)}")


if __name__ == "__main__":
    main(sys.argv[1:])
