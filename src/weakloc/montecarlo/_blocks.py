"""Running a compiled Monte Carlo kernel over fixed blocks of walkers, and block statistics.

Every kernel of this package takes ``(keys, nblocks, *args)`` and returns a tuple of arrays
whose first axis is the block. The walkers are cut into at most 64 fixed blocks (so the sums,
and the jackknife over blocks, never depend on the number of threads) and the blocks are
run eight at a time, which is what the progress bar counts.
"""

from __future__ import annotations

import math
import time

import numpy as np

__all__ = ["run_blocks", "run_in_steps", "block_mean", "jackknife"]

BLOCKS = 64
CHUNK_BLOCKS = 8
#: seconds one compiled call of :func:`run_in_steps` aims at (Ctrl-C waits at most this
#: long, give or take a factor of two while the budget adapts)
STEP_SECONDS = 0.2


def run_blocks(kernel, keys, args, *, desc, progress=None):
    """Run ``kernel(keys[block range], n_blocks, *args)`` over all blocks; concatenate.

    ``progress``: a bar on stderr; None shows it when stderr is a terminal.

    Returns (outputs, counts): the kernel's arrays joined along the block axis, and the
    number of walkers in each block (float array).
    """
    from weakloc.progress import progress_bar

    n = keys.shape[0]
    nblocks = min(BLOCKS, n)
    edges = [(b * n) // nblocks for b in range(nblocks + 1)]
    parts, counts = [], []
    bar = progress_bar(progress, range(0, nblocks, CHUNK_BLOCKS), desc=desc, unit="chunk")
    for b0 in bar:
        b1 = min(nblocks, b0 + CHUNK_BLOCKS)
        parts.append(kernel(keys[edges[b0]:edges[b1]], b1 - b0, *args))
        # the kernel splits its chunk evenly itself: these are the blocks it summed
        m, k = edges[b1] - edges[b0], b1 - b0
        counts.extend((j + 1) * m // k - j * m // k for j in range(k))
    outputs = tuple(np.concatenate([p[i] for p in parts]) for i in range(len(parts[0])))
    return outputs, np.asarray(counts, dtype=float)


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
    ``counts``: walkers per block. ``fn`` receives the means over all blocks but one.
    Returns NaN when ``fn`` is not finite for some block left out.
    """
    counts = np.asarray(counts, dtype=float)
    n = counts.sum()
    totals = [np.sum(a, axis=0) for a in sums]
    vals = np.array([fn(*[(t - a[b]) / (n - counts[b]) for t, a in zip(totals, sums)])
                     for b in range(counts.size)], dtype=float)
    if not np.all(np.isfinite(vals)):
        return math.nan
    k = counts.size
    return float(np.sqrt((k - 1) / k * np.sum((vals - vals.mean()) ** 2)))
