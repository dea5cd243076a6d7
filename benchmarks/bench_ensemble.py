"""Ensemble sweeps: speed-up on 2 local cores, per-task overhead of Dask vs processes.

A. CPU-bound tasks (Landauer conductance of a 32 x 400 strip, about 25 ms of CPU each): serial
   versus 2 local worker processes, steady state (warm pools, same batches) and end to end
   (``run_sweep`` including pool start-up, the pre-flight task and the store).
B. Short tasks (level ratio of a 4 x 4 sample, a few ms each): wall time per task on
   2 local processes versus a 2-worker Dask LocalCluster, one task per batch and batched.

Every figure is measured side by side in this run; the best of two repetitions is kept
because the machine may be shared. Run: ``PYTHONPATH=src python benchmarks/bench_ensemble.py``.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")     # one BLAS thread everywhere: a fair serial baseline

import math  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import psutil  # noqa: E402

try:
    import weakloc  # noqa: F401
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from weakloc.ensemble import (  # noqa: E402
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    parse_sweep,
    point_key,
    run_sweep,
)

WORKERS = 2


def tasks_of(sweep):
    points = sweep.points()
    return [(p, r, sweep.params(pt), point_key(sweep.key_params(pt)))
            for p, pt in enumerate(points) for r in range(sweep.realizations)]


def batched(tasks, size):
    return [tasks[i:i + size] for i in range(0, len(tasks), size)]


def cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by this process and its live children."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def timed(executor, ref, seed, batches, cpu: list | None = None) -> float:
    """Wall seconds of one run; appends the CPU seconds of all our processes to ``cpu``."""
    c0, t0 = cpu_seconds(), time.perf_counter()
    n = sum(len(b) for b in executor.run(ref, seed, batches))
    assert n == sum(len(b) for b in batches)
    wall = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(cpu_seconds() - c0)
    return wall


LONG = """
observable = "conductance"
realizations = {n}
seed = 1
[grid]
disorder = [1.5, 2.5]
[options]
width = 32
length = 400
energy = 0.5
"""

SHORT = """
observable = "level-ratio"
realizations = {n}
seed = 2
[grid]
disorder = [2.0, 8.0]
[options]
width = 4
length = 4
"""


def control_speedup(n_jobs: int = 16, rounds: int = 150_000) -> float:
    """Speed-up of a bare ProcessPoolExecutor on a CPU-bound C loop (PBKDF2), measured now:
    how much parallelism the machine offers at this moment, whatever weakloc does."""
    import hashlib
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    args = ("sha256", b"weakloc", b"salt", rounds)
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(hashlib.pbkdf2_hmac, *zip(*[args] * WORKERS)))      # start workers
        best_s, best_p = math.inf, math.inf
        for _ in range(2):
            t0 = time.perf_counter()
            for _ in range(n_jobs):
                hashlib.pbkdf2_hmac(*args)
            best_s = min(best_s, time.perf_counter() - t0)
            t0 = time.perf_counter()
            list(pool.map(hashlib.pbkdf2_hmac, *zip(*[args] * n_jobs)))
            best_p = min(best_p, time.perf_counter() - t0)
    return best_s / best_p


def part_a():
    sweep = parse_sweep(textwrap.dedent(LONG.format(n=300)))
    ref, seed = "conductance", sweep.seed
    batches = batched(tasks_of(sweep), 4)
    warm = batched(tasks_of(parse_sweep(textwrap.dedent(LONG.format(n=8)))), 2)
    serial, procs, cpu_s, cpu_p = [], [], [], []
    with ProcessExecutor(workers=WORKERS) as ex:
        timed(ex, ref, seed, warm)                       # start workers, load numba cache
        timed(SerialExecutor(), ref, seed, warm[:1])
        for _ in range(2):
            serial.append(timed(SerialExecutor(), ref, seed, batches, cpu_s))
            procs.append(timed(ex, ref, seed, batches, cpu_p))
    n = sweep.n_tasks
    control = control_speedup()
    print(f"A. {n} conductance tasks (32 x 400 strip), batches of 4")
    print(f"   serial       {min(serial):7.2f} s  ({min(serial) / n * 1e3:.1f} ms/task), "
          f"CPU {min(cpu_s):.2f} s")
    print(f"   processes x2 {min(procs):7.2f} s   measured speed-up "
          f"{min(serial) / min(procs):.2f}x; CPU of all processes {min(cpu_p):.2f} s")
    print(f"   CPU-time speed-up (serial CPU / (parallel CPU / {WORKERS}), the speed-up on "
          f"{WORKERS} idle cores if the work spreads evenly): "
          f"{min(cpu_s) / (min(cpu_p) / WORKERS):.2f}x")
    print(f"   control: a bare ProcessPoolExecutor on a CPU-bound C loop, same run: "
          f"{control:.2f}x (the parallelism the machine offers right now); weakloc / "
          f"control {min(serial) / min(procs) / control:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.toml"
        path.write_text(textwrap.dedent(LONG.format(n=300)))
        e2e = {}
        for name in ("serial", "processes"):
            t0 = time.perf_counter()
            run_sweep(path, Path(tmp) / name, executor=name,
                      workers=None if name == "serial" else WORKERS, progress=False)
            e2e[name] = time.perf_counter() - t0
    print(f"   end to end (run_sweep, incl. pool start, pre-flight, store): serial "
          f"{e2e['serial']:.2f} s, processes x2 {e2e['processes']:.2f} s, speed-up "
          f"{e2e['serial'] / e2e['processes']:.2f}x")


def part_b():
    sweep = parse_sweep(textwrap.dedent(SHORT.format(n=200)))
    ref, seed, n = "level-ratio", sweep.seed, sweep.n_tasks
    tasks = tasks_of(sweep)
    cpu_serial = []
    t_serial = min(timed(SerialExecutor(), ref, seed, batched(tasks, 50), cpu_serial)
                   for _ in range(2))
    rows, cpus = {}, {}
    with ProcessExecutor(workers=WORKERS) as pex, DaskExecutor(workers=WORKERS) as dex:
        for ex in (pex, dex):
            timed(ex, ref, seed, batched(tasks[:40], 5))          # warm up
        for size in (1, 50):
            for ex in (pex, dex):
                cpu = []
                rows[(ex.name, size)] = min(timed(ex, ref, seed, batched(tasks, size), cpu)
                                            for _ in range(2))
                cpus[(ex.name, size)] = min(cpu)
    print(f"B. {n} short level-ratio tasks (4 x 4 sample, {t_serial / n * 1e3:.2f} ms/task "
          "serial)")
    for size in (1, 50):
        p, d = rows[("processes", size)], rows[("dask", size)]
        ideal = t_serial / WORKERS
        print(f"   batch {size:3d}: wall processes x2 {p / n * 1e3:6.2f} ms/task, dask x2 "
              f"{d / n * 1e3:6.2f} ms/task (ideal {ideal / n * 1e3:.2f}), dask/processes "
              f"{d / p:.2f}x")
        cp, cd, c0 = cpus[("processes", size)], cpus[("dask", size)], min(cpu_serial)
        print(f"              CPU overhead per task beyond the serial work: processes "
              f"{(cp - c0) / n * 1e3:6.2f} ms, dask {(cd - c0) / n * 1e3:6.2f} ms")


if __name__ == "__main__":
    print(f"bench_ensemble: {WORKERS} workers, os.cpu_count() = {os.cpu_count()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    part_a()
    part_b()
    print(f"   load average at the end {os.getloadavg()[0]:.1f}")
