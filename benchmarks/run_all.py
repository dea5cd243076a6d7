"""Run every benchmark script in this folder, one after the other."""

import pathlib
import runpy
import sys

here = pathlib.Path(__file__).parent
only = set(sys.argv[1:])
for script in sorted(here.glob("bench_*.py")):
    if only and script.stem not in only:
        continue
    print(f"=== {script.name}", flush=True)
    runpy.run_path(str(script), run_name="__main__")
