"""``weakloc demo``: the main job, one section per capability."""

from __future__ import annotations

from weakloc.cli import add_json_flag


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="run the showcase: every capability, figures and a JSON summary",
        description="Run every demo section and write PNG figures plus summary.json.",
    )
    p.add_argument("--output", default="weakloc-demo", help="folder for figures and summary")
    p.add_argument("--seed", type=int, default=20261125, help="root seed of every section")
    p.add_argument(
        "--only", action="append", default=None, metavar="SECTION",
        help="run only this section (repeatable); default: all",
    )
    add_json_flag(p)
    p.set_defaults(handler=_run, text=_text, folder_flags=("output",))


def _run(args):
    from weakloc.demo import run_demo

    return run_demo(args.output, seed=args.seed, only=args.only, progress=not args.json)


def _text(doc) -> str:
    lines = [f"weakloc demo -> {doc['output']}  ({doc['elapsed_s']:.1f} s)"]
    for name, sec in doc["sections"].items():
        lines.append(f"  [{name}] {sec.get('title', '')}: {sec.get('elapsed_s', 0):.1f} s")
        for line in sec.get("highlights", []):
            lines.append(f"      {line}")
        for fig in sec.get("figures", []):
            lines.append(f"      figure: {fig}")
    lines.append(f"  summary: {doc['summary']}")
    return "\n".join(lines)
