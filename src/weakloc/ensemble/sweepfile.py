"""Sweep files: a TOML description of an ensemble (observable x grid x realizations).

A sweep file names one observable, a parameter grid, the number of disorder realizations
per grid point and a root seed::

    observable = "conductance"      # a registered name, or "package.module:function"
    realizations = 200              # per grid point
    seed = 20261201                 # root seed of every random stream

    [grid]                          # Cartesian product of the axes, in this order
    disorder = [1.0, 2.0, 4.0]                  # a list ...
    length = {start = 8, stop = 32, step = 8}   # ... or a range (stop included)
    flux = {start = 0.0, stop = 0.01, num = 5}  # ... or num points, ends included
    energy = {start = 0.1, stop = 1.0, num = 4, log = true}   # geometric spacing

    [options]                       # fixed keyword parameters of the observable
    width = 8

and optionally ``same_disorder_along = ["flux"]``: grid axes left out of the random-stream
key (:mod:`weakloc.ensemble.tasks`), so that realization ``i`` has the same disorder at every
value of these axes (a magnetoconductance trace g(phi) per sample, an energy scan of one
sample), while the other axes and the realization index still give independent streams.

Every key is checked: a misspelt key raises :class:`~weakloc.errors.InputError` naming the
key and the allowed ones, so a typo cannot silently fall back to a default. The grid
point's keys merged with ``[options]`` are the ``params`` handed to the observable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import sys
from pathlib import Path

from weakloc._deprecate import renamed_arguments
from weakloc.errors import InputError

__all__ = ["Sweep", "load_sweep", "parse_sweep", "make_sweep", "canonical_params",
           "RESERVED_NAMES"]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOP_KEYS = ("observable", "realizations", "seed", "grid", "options", "same_disorder_along",
            "description")
RANGE_KEYS = ("start", "stop", "step", "num", "log")
#: names that a grid axis may not take (they label the store's own variables)
RESERVED_NAMES = ("realization", "status", "error", "point_key", "point")
MAX_TASKS = 50_000_000


def _allowed(keys) -> str:
    return ", ".join(keys)


@dataclasses.dataclass(frozen=True)
class Sweep:
    """A parsed, validated sweep file.

    Attributes
    ----------
    observable : str
        Registered observable name or ``"module:function"`` path.
    grid : dict
        Axis name -> tuple of values, in file order (the Cartesian product is the grid).
    realizations : int
        Disorder realizations per grid point: the sweep file's key (the file format keeps
        this word); ``samples`` is the same number under the package's one word for an
        ensemble size.
    seed : int
        Root seed; task streams are derived from it (see :mod:`weakloc.ensemble.tasks`).
    options : dict
        Fixed parameters passed to the observable at every grid point.
    text : str
        The sweep file as written (stored with the results).
    description : str
        Free text, stored with the results.
    same_disorder_along : tuple of str
        Grid axes left out of the stream key: same disorder at every value along them.
    """

    observable: str
    grid: dict
    realizations: int
    seed: int
    options: dict = dataclasses.field(default_factory=dict)
    text: str = ""
    description: str = ""
    same_disorder_along: tuple = ()


    def as_dict(self) -> dict:
        """Every field, arrays included (``weakloc.io.write_json`` writes it as JSON)."""
        return dataclasses.asdict(self)

    @property
    def samples(self) -> int:
        """Disorder realizations per grid point (the file's ``realizations``)."""
        return self.realizations

    @property
    def axes(self) -> tuple:
        """Grid axis names, in file order."""
        return tuple(self.grid)

    @property
    def shape(self) -> tuple:
        """Number of values along each axis."""
        return tuple(len(v) for v in self.grid.values())

    @property
    def n_points(self) -> int:
        """Number of grid points."""
        return math.prod(self.shape)

    @property
    def n_tasks(self) -> int:
        """Number of tasks: grid points times realizations."""
        return self.n_points * self.realizations

    def points(self) -> list[dict]:
        """Grid points (axis name -> value) in C order of :attr:`shape`."""
        names = self.axes
        return [dict(zip(names, combo)) for combo in itertools.product(*self.grid.values())]

    def params(self, point: dict) -> dict:
        """The observable's parameters at ``point``: ``[options]`` updated by the point."""
        return {**self.options, **point}

    def key_params(self, point: dict) -> dict:
        """The parameters that key the task's random stream: :meth:`params` without the
        ``same_disorder_along`` axes."""
        return {k: v for k, v in self.params(point).items()
                if k not in self.same_disorder_along}

    def fingerprint(self) -> str:
        """Hash of everything that determines the numbers (not the file's formatting)."""
        doc = {
            "observable": self.observable,
            "grid": {k: [canonical_value(v) for v in vals] for k, vals in self.grid.items()},
            "realizations": self.realizations,
            "seed": self.seed,
            "options": canonical_value(self.options),
            "same_disorder_along": sorted(self.same_disorder_along),
        }
        text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
        return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def canonical_value(value):
    """A JSON-able form of a parameter value in which ``8`` and ``8.0`` coincide."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return repr(float(value))
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [canonical_value(v) for v in value]
    return str(value)


def canonical_params(params: dict) -> str:
    """Canonical text of a parameter dict (sorted keys; numbers as floats)."""
    return json.dumps(canonical_value(params), sort_keys=True, separators=(",", ":"))


def load_sweep(path) -> Sweep:
    """Read and validate a sweep file.

    Parameters
    ----------
    path : str or pathlib.Path
        A TOML file.

    Returns
    -------
    Sweep

    Raises
    ------
    weakloc.errors.InputError
        Missing file, malformed TOML, an unknown key, an empty grid, bad counts.
    """
    from weakloc.io import read_text

    path = Path(path)
    if not path.exists():
        raise InputError(f"sweep file {str(path)!r} not found; give the path of a .toml file")
    text, _ = read_text(path)
    return parse_sweep(text, source=str(path))


def parse_sweep(text: str, source: str = "sweep file") -> Sweep:
    """Parse and validate the text of a sweep file (see the module docstring)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source} is not valid TOML: {exc}") from None
    unknown = [k for k in doc if k not in TOP_KEYS]
    if unknown:
        raise InputError(
            f"{source}: unknown key {unknown[0]!r}; allowed keys: {_allowed(TOP_KEYS)}"
        )
    for key in ("observable", "realizations", "seed", "grid"):
        if key not in doc:
            raise InputError(f"{source}: missing key {key!r} (needed: observable, "
                             "realizations, seed, [grid])")
    observable = doc["observable"]
    if not isinstance(observable, str) or not observable.strip():
        raise InputError(f"{source}: observable must be a name or 'module:function', "
                         f"got {observable!r}")
    realizations = _count(source, "realizations", doc["realizations"], 1)
    seed = _count(source, "seed", doc["seed"], 0)
    options = doc.get("options", {})
    if not isinstance(options, dict):
        raise InputError(f"{source}: options must be a table ([options]), got {options!r}")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise InputError(f"{source}: description must be a string")
    grid_doc = doc["grid"]
    if not isinstance(grid_doc, dict):
        raise InputError(f"{source}: grid must be a table ([grid] with one key per axis)")
    if not grid_doc:
        raise InputError(f"{source}: the grid is empty; give at least one axis under [grid], "
                         "e.g. disorder = [1.0, 2.0]")
    grid = {}
    for name, spec in grid_doc.items():
        if name in TOP_KEYS:
            raise InputError(f"{source}: {name!r} sits under [grid] (TOML puts every key "
                             "written after a [table] header into that table); move it "
                             "above [grid]")
        if not name.isidentifier():
            raise InputError(f"{source}: grid axis {name!r} must be a plain identifier")
        if name in RESERVED_NAMES:
            raise InputError(f"{source}: grid axis {name!r} is reserved; rename it "
                             f"(reserved: {_allowed(RESERVED_NAMES)})")
        if name in options:
            raise InputError(f"{source}: {name!r} is both a grid axis and an option; "
                             "keep one of them")
        grid[name] = _axis(source, name, spec)
    same = doc.get("same_disorder_along", [])
    if not isinstance(same, list) or not all(isinstance(a, str) for a in same):
        raise InputError(f"{source}: same_disorder_along must be a list of grid axis names, "
                         f"got {same!r}")
    for axis in same:
        if axis not in grid:
            raise InputError(f"{source}: same_disorder_along names {axis!r}, which is not a "
                             f"grid axis; grid axes: {_allowed(grid)}")
    sweep = Sweep(observable=observable.strip(), grid=grid, realizations=realizations,
                  seed=seed, options=dict(options), text=text, description=description,
                  same_disorder_along=tuple(dict.fromkeys(same)))
    if sweep.n_tasks > MAX_TASKS:
        raise InputError(f"{source}: {sweep.n_tasks} tasks exceed the limit of {MAX_TASKS}; "
                         "split the sweep into several files")
    return sweep


def _toml_value(value) -> str:
    """One TOML value (string, boolean, number, or a list of these)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float):
            if math.isnan(value):
                return "nan"
            if math.isinf(value):
                return "inf" if value > 0 else "-inf"
            return repr(float(value))
        return str(int(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in value) + "]"
    try:   # numpy scalars
        return _toml_value(value.item())
    except AttributeError:
        raise InputError(f"sweep value {value!r} must be a number, string, boolean or a list "
                         "of these") from None


@renamed_arguments(realizations="samples")
def make_sweep(observable: str, grid: dict, *, samples: int, seed: int | None = None,
               options: dict | None = None, same_disorder_along=(),
               description: str = "") -> Sweep:
    """Build a :class:`Sweep` in code, as if read from a sweep file.

    The arguments are rendered as sweep-file text and parsed by :func:`parse_sweep`, so a
    sweep made here is validated exactly like a file, and its :attr:`Sweep.text` (stored
    with the results and re-read on resume) is a valid sweep file.

    Parameters
    ----------
    observable : str
        Registered observable name or ``"module:function"``.
    grid : dict
        Axis name -> sequence of values (numbers, strings or booleans), in order.
    samples : int
        Disorder realizations per grid point (the sweep file's ``realizations`` key;
        ``realizations=`` is the deprecated name of this argument).
    seed : int, optional
        Root seed (>= 0); None draws one from the operating system, recorded in the sweep.
    options : dict, optional
        Fixed parameters (values: numbers, strings, booleans or lists of these; None
        values are left out).
    same_disorder_along : sequence of str
        Grid axes left out of the stream key.
    description : str
        Free text stored with the results.
    """
    if seed is None:
        from weakloc.seeding import root_entropy

        seed = root_entropy(None)
    lines = []
    if description:
        lines.append(f"description = {_toml_value(description)}")
    lines += [f"observable = {_toml_value(observable)}",
              f"realizations = {_toml_value(samples)}",
              f"seed = {_toml_value(seed)}"]
    if same_disorder_along:
        lines.append(f"same_disorder_along = {_toml_value(list(same_disorder_along))}")
    if not isinstance(grid, dict):
        raise InputError(f"grid must be a dict of axis -> values, got {grid!r}")
    lines.append("")
    lines.append("[grid]")
    for name, values in grid.items():
        if hasattr(values, "tolist"):   # numpy arrays
            values = values.tolist()
        vals = list(values) if isinstance(values, (list, tuple)) else [values]
        lines.append(f"{name} = {_toml_value(vals)}")
    opts = {k: val for k, val in (options or {}).items() if val is not None}
    if opts:
        lines.append("")
        lines.append("[options]")
        lines += [f"{name} = {_toml_value(val)}" for name, val in opts.items()]
    return parse_sweep("\n".join(lines) + "\n", source="sweep")


def _count(source, key, value, minimum) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(f"{source}: {key} must be an integer >= {minimum}, got {value!r}")
    return value


def _axis(source: str, name: str, spec) -> tuple:
    if isinstance(spec, list):
        values = spec
    elif isinstance(spec, dict):
        values = _range(source, name, spec)
    else:
        raise InputError(f"{source}: grid axis {name!r} must be a list or a range table "
                         f"{{start, stop, step | num}}, got {spec!r}")
    if not values:
        raise InputError(f"{source}: grid axis {name!r} is empty; give at least one value")
    kinds = set()
    for v in values:
        if isinstance(v, bool):
            kinds.add("bool")
        elif isinstance(v, (int, float)):
            if isinstance(v, float) and not math.isfinite(v):
                raise InputError(f"{source}: grid axis {name!r} holds {v!r}; use finite numbers")
            kinds.add("number")
        elif isinstance(v, str):
            kinds.add("str")
        else:
            raise InputError(f"{source}: grid axis {name!r} holds {v!r}; values must be "
                             "numbers, strings or booleans")
    if len(kinds) > 1:
        raise InputError(f"{source}: grid axis {name!r} mixes {' and '.join(sorted(kinds))} "
                         "values; use one kind per axis")
    if kinds == {"number"} and any(isinstance(v, float) for v in values):
        values = [float(v) for v in values]
    canon = [canonical_value(v) for v in values]
    if len(set(canon)) != len(canon):
        raise InputError(f"{source}: grid axis {name!r} repeats a value; list each once")
    return tuple(values)


def _range(source: str, name: str, spec: dict) -> list:
    unknown = [k for k in spec if k not in RANGE_KEYS]
    if unknown:
        raise InputError(f"{source}: unknown key {unknown[0]!r} in the range of grid axis "
                         f"{name!r}; allowed keys: {_allowed(RANGE_KEYS)}")
    if "start" not in spec or "stop" not in spec or ("step" in spec) == ("num" in spec):
        raise InputError(f"{source}: the range of grid axis {name!r} needs start, stop and "
                         "exactly one of step or num")
    start, stop = spec["start"], spec["stop"]
    for key in ("start", "stop", "step"):
        v = spec.get(key, 0)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise InputError(f"{source}: {key} of grid axis {name!r} must be a number, "
                             f"got {v!r}")
    log = spec.get("log", False)
    if not isinstance(log, bool):
        raise InputError(f"{source}: log of grid axis {name!r} must be true or false")
    if "num" in spec:
        num = _count(source, f"num of grid axis {name!r}", spec["num"], 1)
        if log:
            if start <= 0 or stop <= 0:
                raise InputError(f"{source}: a log range of grid axis {name!r} needs "
                                 "start > 0 and stop > 0")
            a, b = math.log(start), math.log(stop)
            vals = [math.exp(a + (b - a) * i / (num - 1)) if num > 1 else float(start)
                    for i in range(num)]
            if num > 1:
                vals[0], vals[-1] = float(start), float(stop)
            return vals
        if num == 1:
            return [float(start)]
        return [start + (stop - start) * i / (num - 1) for i in range(num - 1)] + [float(stop)]
    if log:
        raise InputError(f"{source}: log = true needs num, not step (grid axis {name!r})")
    step = spec["step"]
    if step == 0 or (stop - start) * step < 0:
        raise InputError(f"{source}: step of grid axis {name!r} must be non-zero and point "
                         "from start to stop")
    n = int(math.floor((stop - start) / step + 1e-9)) + 1
    if n > MAX_TASKS:
        raise InputError(f"{source}: the range of grid axis {name!r} has too many values")
    if all(isinstance(v, int) for v in (start, stop, step)):
        return [start + i * step for i in range(n)]
    return [float(start + i * step) for i in range(n)]
