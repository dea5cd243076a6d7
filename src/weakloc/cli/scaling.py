"""``weakloc scaling``: finite-size scaling of Lambda(W, M) near an Anderson transition.

Either reads a grid (``--input FILE``: CSV with columns ``disorder, width, lambda,
lambda_stderr``, or JSON: a list of such records or a document with a ``grid`` list, e.g.
the output of this command) or runs one (``--widths``, ``--disorders``) with transfer
matrices through the ensemble layer (``--executor``, ``--scheduler``, ``--workers``; with
``--store PATH`` a killed grid resumes when the command is run again), then fits the
Slevin-Ohtsuki form and writes the data-collapse figure. A grid whose most expensive bar is
estimated to need more than the free memory or an hour is refused up front with that
estimate; ``--force`` runs it anyway. Prints
``{"w_c", "w_c_ci", "nu", "nu_ci", "lambda_c", "lambda_c_ci", ...}``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from weakloc.cli import add_json_flag
from weakloc.cli.localization import add_lattice_args, lattice_from_args
from weakloc.errors import InputError

__all__ = ["register", "read_grid"]

_ALIASES = {"disorder": ("disorder", "w"), "width": ("width", "m"),
            "lambda": ("lambda", "lambda_"), "lambda_stderr": ("lambda_stderr", "lambda_err")}


def register(sub) -> None:
    p = sub.add_parser(
        "scaling",
        help="finite-size scaling fit of Lambda(W, M): W_c, nu, Lambda_c and a collapse plot",
        description="Fit the Slevin-Ohtsuki scaling form to a grid of Lambda(W, M), read from "
                    "--input or computed with transfer matrices (--widths, --disorders).",
    )
    p.add_argument("--input", metavar="FILE", help="CSV or JSON grid of Lambda(W, M)")
    p.add_argument("--widths", type=int, nargs="+", help="widths M to run")
    p.add_argument("--disorders", type=float, nargs="+", help="disorders W to run (units of t)")
    add_lattice_args(p, width=False)
    p.add_argument("--energy", type=float, default=0.0, help="energy in units of t (default 0)")
    p.add_argument("--precision", type=float, default=0.01, help="precision per point")
    p.add_argument("--max-slices", type=int, default=1_000_000, help="slice budget per point")
    p.add_argument("--realizations", type=int, default=1,
                   help="independent bars per (W, M) point (default 1)")
    p.add_argument("--executor", default="processes",
                   help="where the grid runs: processes (default) | serial | dask")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="tcp://HOST:PORT of a dask scheduler (with --executor dask)")
    p.add_argument("--workers", type=int, help="worker processes (default: every core)")
    p.add_argument("--store", metavar="PATH",
                   help="sweep store folder for the grid; rerunning resumes what is missing")
    p.add_argument("--seed", type=int, help="root seed of the grid (default: drawn)")
    p.add_argument("--force", action="store_true",
                   help="run the grid even when one bar's rough estimate is over the free "
                        "memory or an hour")
    p.add_argument("--n-r", type=int, default=3, help="order in the relevant variable")
    p.add_argument("--m-r", type=int, default=1, help="order of u_1 in W - W_c")
    p.add_argument("--n-i", type=int, help="order of the irrelevant term (default: none)")
    p.add_argument("--ci", default="covariance", help="covariance (default) | bootstrap")
    p.add_argument("--n-boot", type=int, default=200, help="bootstrap data sets")
    p.add_argument("--figure", default="scaling_collapse.png",
                   help="collapse figure (PNG; default scaling_collapse.png; 'none' to skip)")
    p.add_argument("--output", metavar="FILE", help="write the result (with the grid) as JSON")
    add_json_flag(p)
    p.set_defaults(handler=_run)


def _pick(row: dict, key: str):
    low = {k.strip().lower(): val for k, val in row.items() if k is not None}
    for alias in _ALIASES[key]:
        if alias in low:
            return float(low[alias])
    raise InputError(f"grid entry lacks '{key}'; columns must be disorder, width, lambda, "
                     "lambda_stderr")


def read_grid(path) -> list[dict]:
    """Read a Lambda(W, M) grid from CSV or JSON (see the module docstring)."""
    from weakloc.io import read_text

    path = Path(path)
    text, _ = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        rows = doc.get("grid") if isinstance(doc, dict) else doc
        if not isinstance(rows, list):
            raise InputError(f"{path}: expected a list of records or a 'grid' list")
    else:
        rows = list(csv.DictReader(line for line in text.splitlines()
                                   if line.strip() and not line.startswith("#")))
    try:
        grid = [{k: _pick(r, k) for k in _ALIASES} for r in rows]
    except InputError:
        raise
    except (TypeError, ValueError, AttributeError):
        raise InputError(f"{path}: every grid value must be a number") from None
    if not grid:
        raise InputError(f"{path}: the grid is empty")
    return grid


def _run_grid(args) -> list[dict]:
    """Run the grid through the ensemble layer (:func:`weakloc.ensemble.lambda_grid`); one
    record per point, widths outermost, as a grid file holds them."""
    from weakloc.ensemble.grids import lambda_grid

    if not args.widths or not args.disorders:
        raise InputError("give --input FILE, or both --widths and --disorders to run a grid")
    ds = lambda_grid(args.widths, args.disorders, energy=args.energy,
                     precision=args.precision, max_slices=args.max_slices,
                     samples=args.realizations, seed=args.seed,
                     executor=args.executor, workers=args.workers,
                     scheduler=args.scheduler, store=args.store,
                     dim=args.dim, height=args.height, disorder_kind=args.disorder_kind,
                     flux=args.flux, spin_orbit=args.spin_orbit, soc=args.soc,
                     boundary=args.boundary, force=args.force)
    keys = ("lambda", "lambda_stderr", "slices", "converged", "realizations")
    return [{"disorder": float(w), "width": int(m),
             **{k: ds[k].sel(width=m, disorder=w).item() for k in keys},
             "seed": ds.attrs["seed"]}
            for m in ds["width"].values for w in ds["disorder"].values]


def _run(args):
    from weakloc.finitesize import fss_fit

    if args.input:
        grid = read_grid(args.input)
        source = {"input": str(args.input)}
    else:
        grid = _run_grid(args)
        source = {"lattice": {k: v for k, v in lattice_from_args(
            args, width=args.widths[0], disorder=args.disorders[0]).as_dict().items()
            if k not in ("length", "width", "disorder")
            and not (k == "height" and args.height is None)},
            "widths": args.widths, "disorders": args.disorders, "energy_t": args.energy,
            "precision": args.precision, "max_slices": args.max_slices,
            "realizations": args.realizations, "seed": grid[0]["seed"],
            "executor": args.executor, "store": args.store}
    fit = fss_fit([g["disorder"] for g in grid], [g["width"] for g in grid],
                  [g["lambda"] for g in grid], [g["lambda_stderr"] for g in grid],
                  n_r=args.n_r, m_r=args.m_r, n_i=args.n_i, ci=args.ci, n_boot=args.n_boot,
                  seed=args.seed)
    doc = {
        "w_c": fit.w_c, "w_c_ci": list(fit.w_c_ci), "nu": fit.nu, "nu_ci": list(fit.nu_ci),
        "lambda_c": fit.lambda_c, "lambda_c_ci": list(fit.lambda_c_ci),
        "y": fit.y, "y_ci": None if fit.y_ci is None else list(fit.y_ci),
        "chi2": fit.chi2, "dof": fit.dof, "p_value": fit.p_value, "level": fit.level,
        "reliable": fit.reliable, "reasons": list(fit.reasons),
        "ci_method": fit.ci_method, "points": len(grid),
        "inputs": {**source, "n_r": args.n_r, "m_r": args.m_r, "n_i": args.n_i},
        "grid": grid,
    }
    if args.figure and args.figure.lower() != "none":
        from weakloc.plots import savefig
        from weakloc.plots.localization import collapse_figure

        doc["figure"] = savefig(collapse_figure(fit), args.figure)
    if args.output:
        from weakloc.io import write_json

        write_json(args.output, doc)
    return doc
