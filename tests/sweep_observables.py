"""Small deterministic observables for the sweep tests, importable by worker processes.

``noisy_line`` is a cheap stand-in with known statistics; ``slow_square`` sleeps so that a
sweep can be killed mid-way; ``crash_once`` kills its worker process (``os._exit``) the
first time it runs a chosen realization, using a marker file, and raises on demand;
``fails_until_marker`` raises at one x until a marker file exists (a transient failure);
``hangs_at`` sleeps at one x, ``stuck_at`` blocks there where no alarm signal reaches it.
"""

import os
import signal
import time

__all__ = ["noisy_line", "slow_square", "crash_once", "fails_until_marker", "nonfinite_at",
           "hangs_at", "stuck_at"]


def noisy_line(params, rng):
    """y = a x + b + N(0, sigma^2) and a second draw; known mean a x + b."""
    x = float(params["x"])
    y = params.get("a", 1.0) * x + params.get("b", 0.0) + params.get("sigma", 1.0) * rng.normal()
    return {"y": y, "u": rng.random()}


def slow_square(params, rng):
    """Sleep ``delay`` seconds, then x^2 + a uniform draw; appends a line to ``log``."""
    time.sleep(float(params.get("delay", 0.0)))
    if params.get("log"):
        with open(params["log"], "a") as fh:
            fh.write(f"{params['x']} {os.getpid()}\n")
    return {"value": float(params["x"]) ** 2 + rng.random()}


def crash_once(params, rng):
    """Like noisy_line; kills its process (``os._exit``) at ``x == crash_x``.

    It crashes every time with ``always = true``, else only while the file ``marker`` is
    absent (it creates it just before dying). Raises ValueError for x < 0 (a task that fails
    and is recorded).
    """
    if params["x"] < 0:
        raise ValueError("x must be >= 0 in this test observable")
    out = noisy_line(params, rng)
    if params.get("crash_x") == params["x"] and params.get("always"):
        os._exit(9)
    marker = params.get("marker")
    if marker and params.get("crash_x") == params["x"] and not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write(str(os.getpid()))
        time.sleep(0.05)
        os._exit(7)
    return out


def fails_until_marker(params, rng):
    """Like noisy_line, but raises RuntimeError at ``x == fail_x`` while ``marker`` is absent."""
    if params["x"] == params["fail_x"] and not os.path.exists(params["marker"]):
        raise RuntimeError("transient failure (no marker file yet)")
    return noisy_line(params, rng)


def nonfinite_at(params, rng):
    """Like noisy_line, but ``y`` is NaN at ``x == nan_x`` and +inf at ``x == inf_x``."""
    out = noisy_line(params, rng)
    if params.get("nan_x") == params["x"]:
        out["y"] = float("nan")
    if params.get("inf_x") == params["x"]:
        out["y"] = float("inf")
    return out


def hangs_at(params, rng):
    """Like noisy_line, but sleeps ``hang`` seconds at ``x == hang_x`` (a task that hangs)."""
    if params.get("hang_x") == params["x"]:
        time.sleep(float(params["hang"]))
    return noisy_line(params, rng)


def stuck_at(params, rng):
    """Like noisy_line; never returns at ``x == stuck_x`` and at ``x == hang_x``.

    At ``stuck_x`` it first blocks SIGALRM in its thread, as compiled code that does not come
    back to Python would (only killing its process ends it); at ``hang_x`` it sleeps.
    """
    if params.get("stuck_x") == params["x"]:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            time.sleep(3600)
    if params.get("hang_x") == params["x"]:
        while True:
            time.sleep(3600)
    return noisy_line(params, rng)
