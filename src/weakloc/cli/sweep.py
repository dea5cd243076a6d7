"""``weakloc sweep``: run, resume and summarize ensemble sweeps.

``weakloc sweep FILE.toml [--executor serial|processes|dask] [--scheduler tcp://HOST:PORT |
--scheduler-file FILE] [--workers N] [--output PATH] [--resume] [--batch-size N] [--json]``
runs a sweep file
(:mod:`weakloc.ensemble.sweepfile`) into a store folder; ``weakloc sweep show PATH
[--json]`` summarizes a store (per grid point mean, standard error and count).
"""

from __future__ import annotations

import json

from weakloc.cli import EXIT_TASKS_FAILED, add_json_flag
from weakloc.errors import InputError

__all__ = ["register"]


def register(sub) -> None:
    p = sub.add_parser(
        "sweep",
        help="run an ensemble sweep from a TOML file, or 'sweep show PATH' to summarize one",
        description="Run a sweep file (observable x grid x realizations) on local cores or a "
        "Dask cluster into a checkpointed store; 'weakloc sweep show PATH' summarizes a "
        "store. Default executor: local processes on every core.",
    )
    p.add_argument("file", metavar="FILE.toml | show",
                   help="sweep file to run, or 'show' followed by a store PATH")
    p.add_argument("path", nargs="?", metavar="PATH", help="with 'show': the store to summarize")
    p.add_argument("--executor", default="processes", choices=("serial", "processes", "dask"),
                   help="where tasks run (default: processes)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                   help="existing dask scheduler (with --executor dask); default: a local "
                   "cluster")
    p.add_argument("--scheduler-file", metavar="FILE",
                   help="the file 'dask scheduler --scheduler-file FILE' wrote (with "
                   "--executor dask; instead of --scheduler)")
    p.add_argument("--worker-timeout", type=float, default=60.0, metavar="SECONDS",
                   help="stop a dask sweep (exit code 4, with the resume command) after this "
                   "long without a live worker (default 60)")
    p.add_argument("--workers", type=int, help="worker processes (default: every core)")
    p.add_argument("--output", help="store folder (default: FILE with suffix .sweep)")
    p.add_argument("--resume", action="store_true",
                   help="finish the sweep already in --output (only missing tasks run)")
    p.add_argument("--retry-failed", action="store_true",
                   help="with --resume: run the failed tasks again as well")
    p.add_argument("--batch-size", type=int, help="tasks per batch (default: automatic)")
    p.add_argument("--force", action="store_true",
                   help="run even when the memory estimate exceeds the available memory")
    p.add_argument("--timeout", type=float, default=5.0,
                   help="seconds to wait for the dask scheduler and its first worker "
                   "(default 5; allow for workers still queued in a batch system)")
    p.add_argument("--task-timeout", type=float, default=None, metavar="SECONDS",
                   help="a task running longer fails with TaskTimeout (default: no limit)")
    add_json_flag(p)
    p.set_defaults(handler=_handle, text=_text, folder_flags=("output",))


def _handle(args):
    if args.file == "show":
        if args.path is None:
            raise InputError("'weakloc sweep show' needs the PATH of a store")
        for flag in ("scheduler", "scheduler_file", "workers", "output", "batch_size",
                     "task_timeout"):
            if getattr(args, flag) is not None:
                raise InputError(f"--{flag.replace('_', '-')} does not apply to "
                                 "'sweep show'; drop it")
        return show(args.path)
    if args.path is not None:
        raise InputError(f"unexpected argument {args.path!r}; use --output PATH for the store")
    from weakloc.ensemble.runner import run_sweep

    summary = run_sweep(args.file, args.output, executor=args.executor, workers=args.workers,
                        scheduler=args.scheduler, resume=args.resume,
                        retry_failed=args.retry_failed, batch_size=args.batch_size,
                        progress=False if args.json else None,
                        timeout=args.timeout, task_timeout=args.task_timeout,
                        scheduler_file=args.scheduler_file,
                        worker_timeout=args.worker_timeout, force=args.force)
    doc = {
        "inputs": {"file": args.file, "executor": args.executor, "scheduler": args.scheduler,
                   "workers": summary.workers, "output": str(summary.output),
                   "resume": args.resume, "retry_failed": args.retry_failed,
                   "batch_size": summary.batch_size},
        "run": {k: v for k, v in summary.as_dict().items() if k not in ("output",)},
    }
    doc.update(_summarize(summary.dataset))
    doc["results_file"] = str(summary.results_file)
    failed = doc["tasks"]["failed"]
    if failed:
        out = str(summary.output)
        doc["exit_code"] = EXIT_TASKS_FAILED
        doc["exit_reason"] = (f"{failed} of {doc['tasks']['total']} tasks failed (see "
                              f"'errors'); run them again with 'weakloc sweep {args.file} "
                              f"--output {out} --resume --retry-failed'")
    return doc


def show(path) -> dict:
    """Summary document of a store folder or results.nc (what ``sweep show`` prints)."""
    from weakloc.ensemble.store import open_results

    doc = {"inputs": {"path": str(path)}}
    doc.update(_summarize(open_results(path)))
    return doc


def _summarize(ds) -> dict:
    import numpy as np

    axes = [d for d in ds["status"].dims if d != "realization"]
    outputs = sorted(ds.attrs.get("outputs", "").split())
    points = []
    shape = tuple(ds.sizes[a] for a in axes)
    # plain arrays, each read once through ds.variables: ds[name] rebuilds a DataArray by
    # scanning every variable, which made this quadratic (minutes for thousands of outputs)
    var = ds.variables
    coords = {a: var[a].values for a in axes}
    stats = {q: [var[f"{q}__{s}"].transpose(*axes).values.tolist()
                 for s in ("mean", "stderr", "count")] for q in outputs}
    for idx in np.ndindex(*shape):
        row = {a: coords[a][i].item() for a, i in zip(axes, idx)}
        for q, (mean, err, count) in stats.items():
            m, e, c = mean, err, count
            for i in idx:
                m, e, c = m[i], e[i], c[i]
            row[q] = {"mean": float(m), "stderr": float(e), "count": int(c)}
        points.append(row)
    a = ds.attrs
    return {
        "sweep": {"observable": a["observable"], "axes": axes, "shape": list(shape),
                  "realizations": int(ds.sizes["realization"]),
                  "options": json.loads(a["options_json"]), "root_seed": a["root_seed"],
                  "seeding": a["seeding"], "fingerprint": a["fingerprint"],
                  "written_by_version": a["weakloc_version"]},
        "tasks": {"total": int(a["n_tasks"]), "computed": int(a["n_computed"]),
                  "failed": int(a["n_failed"]), "missing": int(a["n_missing"]),
                  "complete": int(a["n_missing"]) == 0},
        "corrupt": json.loads(a.get("corrupt_json", "[]")),
        "errors": sorted({str(e) for e in np.asarray(ds["error"]).ravel() if e})[:10],
        "points": points,
        "units": "as returned by the observable (see its documentation)",
    }


def _text(doc) -> str:
    sw, tasks = doc["sweep"], doc["tasks"]
    lines = []
    if "run" in doc:
        run = doc["run"]
        lines.append(f"sweep -> {doc['inputs']['output']}  ({run['elapsed_s']:.1f} s, "
                     f"{run['executor']}, {run['workers']} worker(s), batch {run['batch_size']})")
        lines.append(f"  computed {run['n_computed']} task(s) now, {run['n_skipped']} already "
                     "in the store")
    else:
        lines.append(f"sweep store {doc['inputs']['path']}")
    shape = ", ".join(f"{a} ({n})" for a, n in zip(sw["axes"], sw["shape"]))
    lines.append(f"  observable {sw['observable']}; grid {shape}; {sw['realizations']} "
                 f"realizations; root seed {sw['root_seed']}")
    state = "complete" if tasks["complete"] else f"{tasks['missing']} missing"
    lines.append(f"  tasks: {tasks['computed']} computed, {tasks['failed']} failed, {state} "
                 f"(of {tasks['total']})")
    for err in doc["errors"]:
        lines.append(f"  error: {err}")
    for bad in doc.get("corrupt", []):
        lines.append(f"  corrupt journal file {bad['file']}: {bad['reason']} (--resume sets it "
                     "aside and recomputes its tasks)")
    shown = doc["points"][:40]
    for row in shown:
        head = ", ".join(f"{a}={_fmt(row[a])}" for a in sw["axes"])
        vals = "; ".join(f"{q} = {_fmt(v['mean'])} +- {_fmt(v['stderr'])} (n={v['count']})"
                         for q, v in row.items() if isinstance(v, dict))
        lines.append(f"    {head}: {vals}")
    if len(doc["points"]) > len(shown):
        lines.append(f"    ... {len(doc['points']) - len(shown)} more points (use --json)")
    if "results_file" in doc:
        lines.append(f"  results: {doc['results_file']}")
    return "\n".join(lines)


def _fmt(v) -> str:
    return f"{v:.6g}" if isinstance(v, float) else str(v)
