"""The public API: every ``__all__`` in the package is a list of distinct names that exist."""

import importlib
import pkgutil

import pytest

import weakloc


def _modules():
    names = ["weakloc"]
    for info in pkgutil.walk_packages(weakloc.__path__, "weakloc."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_all_lists_distinct_existing_names(name):
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        return
    duplicates = sorted({n for n in exported if exported.count(n) > 1})
    assert not duplicates, f"{name}.__all__ lists {duplicates} more than once"
    missing = [n for n in exported if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names {missing}, which {name} does not define"


@pytest.mark.parametrize("name", MODULES)
def test_dir_shows_every_public_name(name):
    """Lazily loading packages must still list their names (autosummary and tab completion)."""
    module = importlib.import_module(name)
    missing = set(getattr(module, "__all__", ())) - set(dir(module))
    assert not missing, f"dir({name}) misses {sorted(missing)}"


def test_walk_finds_the_subpackages():
    for package in ("weakloc.theory", "weakloc.transport", "weakloc.ensemble", "weakloc.plots"):
        assert package in MODULES


def test_transport_tasks_are_distinct_and_registered():
    """Both ensemble observables of transport/ are reachable from the package, under two names."""
    import weakloc.transport as transport
    from weakloc.ensemble import resolve
    from weakloc.transport import landauer, transfer

    assert transport.conductance_task is landauer.sweep_task
    assert transport.localization_task is transfer.sweep_task
    assert transport.conductance_task is not transport.localization_task
    assert resolve("conductance") is landauer.sweep_task
    assert resolve("localization") is transfer.sweep_task
