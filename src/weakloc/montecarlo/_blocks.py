"""Running a compiled Monte Carlo kernel over fixed blocks of walkers, and block statistics.

Every kernel of this package takes ``(keys, nblocks, *args)`` and returns a tuple of arrays
whose first axis is the block. The walkers are cut into at most 64 fixed blocks (so the sums,
and the jackknife over blocks, never depend on the number of threads) and the blocks are run
one per kernel call on a pool of ``numba.get_num_threads()`` threads (the kernels release the
GIL). The progress bar counts chunks of eight blocks.

Why threads and not numba's ``parallel=True``: the parallel pipeline (parfors, the gufunc
wrapper) doubled the kernels' compile time, which is what the first call of a command on a
fresh install waits for, and the blocks are independent anyway (see BENCHMARKS.md, "First
calls").
"""

from __future__ import annotations

import math
import time

import numpy as np

__all__ = ["run_blocks", "run_in_steps", "block_mean", "jackknife", "block_edges"]

BLOCKS = 64
CHUNK_BLOCKS = 8
#: seconds one compiled call of :func:`run_in_steps` aims at (Ctrl-C waits at most this
#: long, give or take a factor of two while the budget adapts)
STEP_SECONDS = 0.2


def block_edges(n: int) -> list[int]:
    """Walker index where each block starts, and ``n`` at the end.

    At most ``BLOCKS`` blocks, cut in chunks of ``CHUNK_BLOCKS`` and each chunk cut evenly
    again (the layout the kernels have always used, so a seed gives the same sums).
    """
    nblocks = min(BLOCKS, n)
    chunk = [(b * n) // nblocks for b in range(0, nblocks, CHUNK_BLOCKS)] + [n]
    edges = []
    for c in range(len(chunk) - 1):
        k = min(CHUNK_BLOCKS, nblocks - c * CHUNK_BLOCKS)
        m = chunk[c + 1] - chunk[c]
        edges.extend(chunk[c] + (j * m) // k for j in range(k))
    return edges + [n]


def run_blocks(kernel, keys, args, *, desc, progress=None):
    """Run ``kernel(keys[block], 1, *args)`` for every block on a thread pool; concatenate.

    ``progress``: a bar on stderr; None shows it when stderr is a terminal.

    Returns (outputs, counts): the kernel's arrays joined along the block axis, and the
    number of walkers in each block (float array).
    """
    from weakloc.progress import progress_bar

    edges = block_edges(keys.shape[0])
    nblocks = len(edges) - 1

    def one(b):
        return kernel(keys[edges[b]:edges[b + 1]], 1, *args)

    bar = progress_bar(progress, range(0, nblocks, CHUNK_BLOCKS), desc=desc, unit="chunk")
    threads = min(_threads(), nblocks)
    if threads <= 1:
        parts = []
        for b0 in bar:
            parts.extend(one(b) for b in range(b0, min(nblocks, b0 + CHUNK_BLOCKS)))
    else:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(threads, thread_name_prefix="weakloc-blocks")
        try:
            futures = [pool.submit(one, b) for b in range(nblocks)]
            parts = []
            for b0 in bar:
                parts.extend(f.result() for f in futures[b0:b0 + CHUNK_BLOCKS])
        finally:  # on an error or Ctrl-C: drop the blocks not started yet
            pool.shutdown(wait=False, cancel_futures=True)
    outputs = tuple(np.concatenate([p[i] for p in parts]) for i in range(len(parts[0])))
    return outputs, np.diff(edges).astype(float)


def run_in_steps(run, *, total, desc, unit, progress=None, budget=1 << 12, seconds=None):
    """Advance ``run`` (``advance(budget) -> finished``, ``progress() -> float``) to its end.

    The budget (work per block and call) adapts so that one call takes about ``seconds``;
    ``run`` must give the same results for any budget. ``seconds=None`` reads
    :data:`STEP_SECONDS` at the call. Between calls Python sees signals
    (KeyboardInterrupt) and the progress bar advances to ``int(run.progress())`` of
    ``total``, in ``unit``.
    """
    from weakloc.progress import LogProgress, progress_bar

    seconds = STEP_SECONDS if seconds is None else float(seconds)
    bar = progress_bar(progress, total=int(total), desc=desc, unit=unit, unit_scale=True)
    shown = 0
    finished = False
    try:
        while not finished:
            t0 = time.perf_counter()
            finished = run.advance(budget)
            elapsed = time.perf_counter() - t0
            now = int(total) if finished else min(int(run.progress()), int(total))
            if now > shown:
                bar.update(now - shown)
                shown = now
            # aim at `seconds` per call; at most x4 per step, so one slow call (a compile,
            # a busy machine) does not swing the budget
            scale = seconds / max(elapsed, 1e-6)
            budget = int(min(max(budget * min(max(scale, 0.25), 4.0), 16), 1 << 40))
    finally:
        # an interrupted run adds no summary line to a log: "interrupted" is the one line
        if finished or not isinstance(bar, LogProgress):
            bar.close()


def _threads() -> int:
    """numba's thread count (``NUMBA_NUM_THREADS``, ``numba.set_num_threads``)."""
    import numba

    return int(numba.get_num_threads())


def block_mean(s1, s2, n):
    """Mean over ``n`` walkers and its standard error from per-block sums and sums of squares.

    ``s1``, ``s2``: arrays whose first axis is the block (sums of x and x^2 over the block's
    walkers). Returns (mean, stderr) with the unbiased variance.
    """
    n = float(n)
    mu = np.sum(s1, axis=0) / n
    var = np.maximum(np.sum(s2, axis=0) / n - mu**2, 0.0) * n / max(n - 1.0, 1.0)
    return mu, np.sqrt(var / n)


def jackknife(fn, sums, counts):
    """Jackknife (delete-one-block) standard error of ``fn(*means)``.

    ``sums``: arrays whose first axis is the block (per-block sums over walkers);
    ``counts``: walkers per block. ``fn`` receives the means over all blocks but one and
    returns a number or an array (then the error is taken element by element).
    Returns NaN (where) ``fn`` is not finite for some block left out.
    """
    counts = np.asarray(counts, dtype=float)
    n = counts.sum()
    totals = [np.sum(a, axis=0) for a in sums]
    with np.errstate(divide="ignore", invalid="ignore"):
        vals = np.array([fn(*[(t - a[b]) / (n - counts[b]) for t, a in zip(totals, sums)])
                         for b in range(counts.size)], dtype=float)
    k = counts.size
    ok = np.all(np.isfinite(vals), axis=0)
    safe = np.where(ok, vals, 0.0)
    err = np.sqrt((k - 1) / k * np.sum((safe - safe.mean(axis=0)) ** 2, axis=0))
    err = np.where(ok, err, math.nan)
    return float(err) if err.ndim == 0 else err
