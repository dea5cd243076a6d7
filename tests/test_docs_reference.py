"""The API reference lists every public module (checked from the sources, no build needed)."""

import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS))
import apimap  # noqa: E402


def _listed_modules() -> set[str]:
    listed = set()
    for page in (DOCS / "api").glob("*.rst"):
        listed |= set(re.findall(r"^   (weakloc[\w.]*)\s*$", page.read_text(), re.M))
    return listed


def test_every_public_module_has_a_reference_page():
    missing = sorted(set(apimap.public_modules()) - _listed_modules())
    assert not missing, f"add {missing} to the autosummary list of its page in docs/api/"


def test_reference_lists_only_modules_that_exist():
    stale = sorted(_listed_modules() - set(apimap.public_modules()))
    assert not stale, f"docs/api/ lists modules that are gone or private: {stale}"


def test_every_public_name_has_one_home():
    """Each name of every public ``__all__`` is documented in exactly one module."""
    members, where = apimap.homes()
    homes = [f"{m}.{n}" for m, names in members.items() for n in names]
    assert len(homes) == len(set(homes))
    assert set(where.values()) == set(homes)
    # a re-exported function is documented where it is defined, not at the package
    assert where["weakloc.theory.hln"] == "weakloc.theory.magnetoconductance.hln"
    assert where["weakloc.transport.conductance_task"] == "weakloc.transport.landauer.sweep_task"
    # a shim's names live at their new home
    assert where["weakloc.dynamics.born.scattering_time"] == "weakloc.theory.born.scattering_time"
    assert where["weakloc.transport.scaling.fss_fit"] == "weakloc.finitesize.fss_fit"
