r"""Systematic uncertainty of a fit: how far the answer moves with the analyst's choices.

Statistical errors assume the model and the preparation are right. On measured curves the
fitted lengths also move with choices the data do not dictate; the scan refits with each
varied on its own and reports, per parameter, the largest shift from the nominal value as
``systematic`` (same unit as the parameter), next to the statistical ``stderr``:

* ``window/2``: the field window halved (``|B| <= B_max/2``);
* ``window*2``: the field window doubled, as far as the measured sweep reaches (skipped
  when no points lie beyond the window);
* ``sigma0=<choice>``: ``sigma(0)`` taken by the other choice of
  :data:`weakloc.fitting.data.ZERO_CHOICES` (raw data only);
* ``offset``: a free constant ``c0`` (raw data only; when the nominal fit had it, the
  variant without it).

Variants whose fit does not converge are listed and left out of the spread. The same scan
serves single-curve and global fits: it takes the refit as a function.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

__all__ = ["scan", "variants"]


def variants(curves, offset=False) -> list:
    """The variants that apply to ``curves``: ``[(name, curves, offset), ...]``."""
    out = []
    half = [c.window(0.5 * c.field_window[1]) for c in curves]
    if all(c.points >= 5 for c in half):
        out.append(("window/2", half, offset))
    wider = []
    for c in curves:
        full = c.field if c.full_field is None else c.full_field
        wider.append(c.window(2.0 * c.field_window[1]) if np.abs(full).max() >
                     c.field_window[1] * (1 + 1e-9) else None)
    if any(w is not None for w in wider):
        out.append(("window*2", [w if w is not None else c for w, c in zip(wider, curves)],
                    offset))
    raw = all(c.sigma0 is not None for c in curves)
    if raw:
        for choice in curves[0].sigma0_choices:
            if any(abs(c.sigma0_choices.get(choice, c.sigma0) - c.sigma0) > 0
                   for c in curves):
                out.append((f"sigma0={choice}", [c.with_sigma0(choice) for c in curves],
                            offset))
        out.append(("offset" if not offset else "no offset", curves, not offset))
    return out


def scan(refit, curves, nominal, offset=False) -> list:
    """Refit every variant and attach the spread to the nominal results.

    Parameters
    ----------
    refit : callable
        ``refit(curves, offset) -> list of FitResult`` (one per curve), not strict.
    curves : list of Curve
        The curves of the nominal fit.
    nominal : list of FitResult
        The nominal fits, one per curve.
    offset : bool
        Whether the nominal fit had a free ``c0``.

    Returns
    -------
    list of FitResult
        ``nominal`` with ``systematic`` (name -> largest shift) and ``variants`` filled, and
        a warning where the systematic spread exceeds twice the statistical error.
    """
    spread = [dict.fromkeys((n for n in f.varied if n != "c0"), 0.0) for f in nominal]
    records = [[] for _ in nominal]
    for name, cs, off in variants(curves, offset):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fits = refit(cs, off)
            except Exception as exc:  # noqa: BLE001 - a failed variant is reported, not fatal
                for rec in records:
                    rec.append({"variant": name, "converged": False, "values": {},
                                "error": str(exc).splitlines()[0]})
                continue
        for k, (f0, f) in enumerate(zip(nominal, fits)):
            vals = {n: f.value(n) for n in spread[k] if n in f.parameters}
            ok = bool(f.converged)
            records[k].append({"variant": name, "converged": ok, "values": vals})
            if ok:
                for n, v in vals.items():
                    spread[k][n] = max(spread[k][n], abs(v - f0.value(n)))
    out = []
    for f, sp, rec in zip(nominal, spread, records):
        where = "" if f.temperature is None else f" at T = {f.temperature:.4g} K"
        notes = [f"systematic spread of {n} ({sp[n]:.3g}) exceeds twice its statistical "
                 f"error ({f.stderr(n):.3g}){where}: "
                 "the field window and sigma(0) choice matter more than the noise"
                 for n in sp if np.isfinite(f.stderr(n)) and sp[n] > 2 * f.stderr(n)]
        out.append(dataclasses.replace(
            f, systematic={n: float(v) for n, v in sp.items()}, variants=tuple(rec),
            warnings=f.warnings + tuple(notes)))
    return out
