"""The ``weakloc demo`` runner.

Every module in this package that defines ``TITLE``, ``ORDER`` and ``run(outdir, seed)`` is
one demo section. ``run`` writes its PNG figures into ``outdir`` and returns a dict with at
least ``figures`` (file names) and ``highlights`` (short lines of text); the runner adds the
timing and writes ``summary.json``. Each section should finish within about 15 s on 2 cores.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from weakloc.errors import InputError
from weakloc.io import make_folder, write_json

__all__ = ["run_demo", "sections"]


def sections() -> dict:
    """Demo sections by name, in their display order."""
    import weakloc.demo as pkg

    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"weakloc.demo.{info.name}")
        if hasattr(mod, "run") and hasattr(mod, "TITLE"):
            found.append((getattr(mod, "ORDER", 100), info.name, mod))
    return {name: mod for _, name, mod in sorted(found)}


def run_demo(output, *, seed: int = 20261125, only=None, progress: bool = True) -> dict:
    """Run the demo sections and write their figures and ``summary.json`` into ``output``."""
    import matplotlib

    matplotlib.use("Agg")
    outdir = Path(output)
    make_folder(outdir, what="demo --output")
    available = sections()
    names = list(available)
    if only:
        unknown = [n for n in only if n not in available]
        if unknown:
            raise InputError(
                f"unknown demo section {unknown[0]!r}; choose from {', '.join(available)}"
            )
        names = [n for n in names if n in only]
    t0 = time.perf_counter()
    results = {}
    for name in names:
        mod = available[name]
        if progress:
            print(f"[demo] {name}: {mod.TITLE} ...", file=sys.stderr, flush=True)
        ts = time.perf_counter()
        res = dict(mod.run(outdir, seed))
        res.setdefault("figures", [])
        res.setdefault("highlights", [])
        res["title"] = mod.TITLE
        res["elapsed_s"] = time.perf_counter() - ts
        results[name] = res
    doc = {
        "output": str(outdir),
        "seed": seed,
        "sections": results,
        "elapsed_s": time.perf_counter() - t0,
        "summary": str(outdir / "summary.json"),
    }
    write_json(outdir / "summary.json", doc)
    return doc
