"""Where each public name of weakloc is documented: one home per object.

The public API is the ``__all__`` of every module whose dotted path has no component that
starts with an underscore, outside the command-line and demo internals (``weakloc.cli.*``,
``weakloc.demo.*``; their packages' own ``__all__`` counts). A name listed by several
modules (a package re-exporting its modules, a shim left at an old path) is documented once,
in the module that defines it (``obj.__module__``) when that module is public, otherwise in
the deepest public module that lists it. Used by ``conf.py`` (which members each reference
page shows, and how references to re-exported paths resolve) and by the docs tests.
"""

from __future__ import annotations

import importlib
import pkgutil

INTERNAL = ("weakloc.cli.", "weakloc.demo.")


def public_modules() -> list[str]:
    import weakloc

    names = ["weakloc"]
    for info in pkgutil.walk_packages(weakloc.__path__, "weakloc."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or info.name.startswith(INTERNAL):
            continue
        names.append(info.name)
    return sorted(names)


def _defining_module(obj) -> str | None:
    module = getattr(obj, "__module__", None)
    if isinstance(obj, type) or callable(obj):
        return module
    return None


def homes() -> tuple[dict, dict]:
    """``(members, where)``: names documented per module, and ``"mod.name"`` -> its home."""
    modules = public_modules()
    exporters: dict[tuple, list[tuple[str, str]]] = {}
    objects: dict[tuple, object] = {}
    for mod_name in modules:
        mod = importlib.import_module(mod_name)
        for name in getattr(mod, "__all__", ()):
            if name.startswith("__"):           # metadata such as __version__
                continue
            obj = getattr(mod, name)
            if isinstance(obj, type(mod)):       # a submodule listed in __all__
                continue
            # classes and functions are one object wherever they are listed; a constant is
            # the same only under the same name (small ints and strings are shared objects)
            key = (id(obj),) if _defining_module(obj) else (id(obj), name)
            exporters.setdefault(key, []).append((mod_name, name))
            objects[key] = obj
    public = set(modules)
    members = {m: [] for m in modules}
    where = {}
    for key, places in exporters.items():
        obj = objects[key]
        defining = _defining_module(obj)
        exact = [p for p in places if p[0] == defining and defining in public]
        if exact:
            home = exact[0]
        else:
            home = max(places, key=lambda p: (p[0].count("."), p[0]))
        members[home[0]].append(home[1])
        for mod_name, name in places:
            where[f"{mod_name}.{name}"] = f"{home[0]}.{home[1]}"
    return members, where


def exports(members: dict) -> dict:
    """Per module, the names it lists in ``__all__`` that are documented elsewhere."""
    out = {}
    for mod_name in members:
        mod = importlib.import_module(mod_name)
        out[mod_name] = [n for n in getattr(mod, "__all__", ())
                         if n not in members[mod_name] and not n.startswith("__")
                         and not isinstance(getattr(mod, n), type(mod))]
    return out
