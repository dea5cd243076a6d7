"""Leftovers of hand merges: a glued section underline in the guide, backup files in the tree.

Both passed every other check once: the glued underline is valid reStructuredText (it renders
as a garbled heading, no Sphinx warning), and a ``.orig`` file beside a module is never
imported.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: a run of one punctuation character with a word glued on (tables and bare underlines pass)
GLUED = re.compile(r"^([=\-~^\"'`#*+])\1{3,}\w")


def _rst_files():
    return [p for p in (ROOT / "docs").rglob("*.rst") if "_build" not in p.parts
            and "_generated" not in p.parts and "generated" not in p.parts]


def test_section_underlines_are_bare():
    bad = []
    for path in _rst_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if GLUED.match(line):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line[:60]!r}")
    assert not bad, "an underline with text glued to it (a merge leftover): " + "; ".join(bad)


def test_the_glued_line_is_caught():
    assert GLUED.match("------------------------------Ensembles and the command line")
    assert not GLUED.match("==== =========")
    assert not GLUED.match("------------------------------")


def test_no_merge_backups_in_the_tree():
    leftovers = [str(p.relative_to(ROOT)) for d in ("src", "tests", "docs", "benchmarks")
                 for pat in ("*.orig", "*.rej", "*.BACKUP.*", "*.LOCAL.*", "*.REMOTE.*")
                 for p in (ROOT / d).rglob(pat) if "_build" not in p.parts]
    assert not leftovers, f"remove merge leftovers: {leftovers}"
