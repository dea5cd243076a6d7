"""The sweep store: a folder that survives SIGKILL, and its labelled netCDF summary.

Layout of a store ``PATH/``:

``sweep.json``
    Written once, atomically, when the sweep starts: the sweep file's text, its
    fingerprint, the observable, grid, options, root seed, seeding rule and the version.
``tasks/NNNNNNNN-TAG.npz``
    The journal. Each finished batch of tasks becomes one file, written to a temporary
    name, flushed, fsync'ed and renamed into place (:func:`weakloc.io.write_bytes`),
    so a file is either complete or absent, whatever kills the process. Each holds, per
    task, the grid point index, the realization, the output values and the error text.
    Each file also holds a BLAKE2b checksum of its arrays; a file that does not load,
    lacks an array, has inconsistent shapes, indices outside the grid or a wrong checksum
    is *corrupt*: readers skip it and report it (``sweep show``), and ``--resume`` moves it
    into ``corrupt/`` and computes exactly the tasks that then have no record.
``corrupt/``
    Journal files set aside by a resume, kept for inspection.
``.lock``
    Held (``flock``) by the sweep that writes the store, so that two runs cannot append
    to one journal at once; the kernel releases it when the process ends, even by SIGKILL.
``results.nc``
    The labelled result, an :class:`xarray.Dataset` consolidated from the journal and
    written atomically (netCDF-3 through scipy) when the sweep finishes.

Resuming reads the journal, computes only the tasks that have no record and appends them
as new journal files; no task is ever recorded twice, and because every task is a pure
function of its key (:mod:`weakloc.ensemble.tasks`) the consolidated numbers equal those of
an uninterrupted run.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import uuid
from pathlib import Path

import numpy as np

from weakloc._version import __version__
from weakloc.ensemble.observables import unit_of
from weakloc.ensemble.sweepfile import Sweep, parse_sweep
from weakloc.ensemble.tasks import point_key
from weakloc.errors import InputError, WeaklocError
from weakloc.io import make_folder, write_bytes, write_error, write_json

__all__ = ["SweepStore", "open_results", "STATUS_MISSING", "STATUS_OK", "STATUS_FAILED"]

FORMAT = "weakloc-sweep-store"
FORMAT_VERSION = 1
MANIFEST = "sweep.json"
TASKS = "tasks"
RESULTS = "results.nc"
CORRUPT = "corrupt"
#: manifest keys a readable store must have
MANIFEST_KEYS = ("format", "fingerprint", "observable", "grid", "options", "realizations",
                 "root_seed", "sweep_toml", "weakloc_version")
#: arrays of a journal file, in checksum order
CHUNK_ARRAYS = ("point", "realization", "names", "values", "error")
LOCK = ".lock"
SEEDING = ("rng = weakloc.seeding.stream(root_seed, point_key, realization); point_key = "
           "first 8 bytes (big endian) of BLAKE2b of the canonical JSON of the task's "
           "parameters (grid point merged with options, numbers as floats, without the "
           "same_disorder_along axes)")
#: values of the ``status`` variable
STATUS_MISSING, STATUS_OK, STATUS_FAILED = 0, 1, 2


class SweepStore:
    """A sweep store folder (see the module docstring).

    Use :meth:`prepare` then :meth:`create` to start or resume a sweep, :meth:`open` to
    read one.
    """

    def __init__(self, path, manifest: dict):
        self.path = Path(path)
        self.manifest = manifest
        self._next_chunk = None
        self._lock = None

    def lock(self) -> None:
        """Take the store's writer lock (released on :meth:`close` or when the process dies).

        Raises :class:`~weakloc.errors.InputError` if another sweep is writing to it.
        """
        if self._lock is not None:
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            return
        try:
            fh = open(self.path / LOCK, "a+")
        except OSError as exc:
            raise write_error(self.path / LOCK, exc, "output=") from None
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise InputError(f"store {str(self.path)!r} is being written by another running "
                             "sweep; wait for it or choose another output=...") from None
        self._lock = fh

    def close(self) -> None:
        """Release the writer lock."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def open(cls, path) -> SweepStore:
        """Open an existing store for reading (and appending)."""
        path = Path(path)
        mfile = path / MANIFEST
        if not mfile.is_file():
            raise InputError(f"{str(path)!r} is not a sweep store (no {MANIFEST}); give the "
                             "folder a 'weakloc sweep' run wrote")
        try:
            manifest = json.loads(mfile.read_text())
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {mfile}: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputError(f"{str(path)!r} is not a weakloc sweep store")
        missing = [k for k in MANIFEST_KEYS if k not in manifest]
        if missing:
            raise InputError(f"store {str(path)!r} is damaged: {MANIFEST} lacks {missing[0]!r}; "
                             "run the sweep again into a new output=...")
        grid, reals = manifest["grid"], manifest["realizations"]
        if (not isinstance(grid, dict) or not all(isinstance(v, list) and v
                                                  for v in grid.values())
                or isinstance(reals, bool) or not isinstance(reals, int) or reals < 1):
            raise InputError(f"store {str(path)!r} is damaged: {MANIFEST} has a malformed "
                             "grid or realization count; run the sweep again into a new "
                             "output=...")
        return cls(path, manifest)

    @classmethod
    def prepare(cls, path, sweep: Sweep, *, resume: bool) -> SweepStore | None:
        """Check that ``path`` may receive ``sweep``; the existing store, or None. Writes nothing.

        Raises
        ------
        weakloc.errors.InputError
            ``path`` is a file or a foreign folder, or holds a sweep and ``resume`` is
            false, or holds a different sweep.
        """
        path = Path(path)
        if path.exists() and not path.is_dir():
            raise InputError(f"output {str(path)!r} is a file; give a folder for the store")
        if (path / MANIFEST).exists():
            store = cls.open(path)
            theirs = store.manifest.get("fingerprint")
            if theirs != sweep.fingerprint():
                raise InputError(
                    f"output {str(path)!r} holds a different sweep (fingerprint {theirs} != "
                    f"{sweep.fingerprint()}); choose another output=..., or resume it with its "
                    "own sweep file"
                )
            if not resume:
                raise InputError(f"output {str(path)!r} already holds this sweep; pass "
                                 "resume=True to finish it, or choose another output=...")
            return store
        if path.is_dir() and any(p.name != LOCK for p in path.iterdir()):
            raise InputError(f"output {str(path)!r} exists and is not a sweep store; "
                             "choose a new or empty folder")
        return None

    @classmethod
    def create(cls, path, sweep: Sweep, *, resume: bool = False) -> SweepStore:
        """Open ``path`` for ``sweep``: the existing store when resuming, else a new one."""
        store = cls.prepare(path, sweep, resume=resume)
        if store is None:
            path = make_folder(path, what="output=")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "fingerprint": sweep.fingerprint(),
                "observable": sweep.observable,
                "axes": list(sweep.axes),
                "grid": {k: list(v) for k, v in sweep.grid.items()},
                "options": sweep.options,
                "same_disorder_along": list(sweep.same_disorder_along),
                "realizations": sweep.realizations,
                "root_seed": str(sweep.seed),
                "seeding": SEEDING,
                "sweep_toml": sweep.text,
                "weakloc_version": __version__,
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
            write_json(path / MANIFEST, manifest)
            store = cls(path, json.loads((path / MANIFEST).read_text()))
        store.lock()
        store.set_aside_corrupt()
        make_folder(store.path / TASKS, what="output=")
        for stale in (store.path / TASKS).glob(".*.tmp"):
            stale.unlink(missing_ok=True)
        return store

    def set_aside_corrupt(self) -> list[str]:
        """Move every corrupt journal file (and a ``tasks`` path that is a file) into
        ``corrupt/``; returns their names. Their tasks then have no record, so a resume
        computes exactly those again."""
        moved = []
        tasks = self.path / TASKS
        bad = [tasks] if tasks.exists() and not tasks.is_dir() else [
            self.path / TASKS / name for name, _ in self.verify()]
        if bad:
            aside = make_folder(self.path / CORRUPT, what="output=")
            for f in bad:
                dest = aside / f"{time.strftime('%Y%m%dT%H%M%S')}-{f.name}"
                os.replace(f, dest)
                moved.append(f.name)
        return moved

    def verify(self) -> list[tuple[str, str]]:
        """``(file name, reason)`` of every corrupt journal file (see the module docstring)."""
        return self._read()[1]

    # -- the sweep ---------------------------------------------------------------------
    def sweep(self) -> Sweep:
        """The sweep this store holds, re-parsed from the stored sweep file text."""
        return parse_sweep(self.manifest["sweep_toml"], source=f"{self.path}/{MANIFEST}")

    # -- the journal -------------------------------------------------------------------
    def _chunks(self) -> list[Path]:
        tasks = self.path / TASKS
        if not tasks.is_dir():
            return []
        return sorted(tasks.glob("*.npz"))

    def append(self, records) -> Path | None:
        """Record finished tasks as one new journal file (atomic); returns its path.

        ``records`` are ``(point_index, realization, values, error)`` tuples.
        """
        records = list(records)
        if not records:
            return None
        if self._next_chunk is None:
            seqs = [int(c.name[:8]) for c in self._chunks() if c.name[:8].isdigit()]
            self._next_chunk = max(seqs) + 1 if seqs else 0
        names = sorted({k for _, _, vals, _ in records if vals for k in vals})
        values = np.full((len(records), len(names)), np.nan)
        for i, (_, _, vals, _) in enumerate(records):
            for j, name in enumerate(names):
                if vals and name in vals:
                    values[i, j] = vals[name]
        arrays = {
            "point": np.array([r[0] for r in records], dtype=np.int64),
            "realization": np.array([r[1] for r in records], dtype=np.int64),
            "names": np.array(names, dtype=str),
            "values": values,
            "error": np.array([r[3] or "" for r in records], dtype=str),
        }
        buf = io.BytesIO()
        np.savez(buf, checksum=np.array(_checksum(arrays)), **arrays)
        # sequence number (journal order) plus a random tag: never overwrites a file
        target = self.path / TASKS / f"{self._next_chunk:08d}-{uuid.uuid4().hex[:8]}.npz"
        write_bytes(target, buf.getvalue())
        self._next_chunk += 1
        return target

    def read_records(self) -> dict:
        """Every valid journal record, concatenated: arrays ``point``, ``realization``,
        ``error`` and a dict ``values`` (output name -> array), plus ``n_chunks`` and
        ``corrupt`` (``(file name, reason)`` of each journal file skipped as corrupt)."""
        return self._read()[0]

    def _read(self):
        points, reals, errors, per_chunk, corrupt = [], [], [], [], []
        m = self.manifest
        n_points = int(np.prod([len(v) for v in m["grid"].values()]))
        tasks = self.path / TASKS
        if tasks.exists() and not tasks.is_dir():
            corrupt.append((TASKS, "the journal folder 'tasks' is a file"))
        chunks = self._chunks()
        n_good = 0
        for chunk in chunks:
            z, reason = _load_chunk(chunk, n_points, int(m["realizations"]))
            if reason:
                corrupt.append((chunk.name, reason))
                continue
            n_good += 1
            points.append(z["point"])
            reals.append(z["realization"])
            errors.append(z["error"].astype(object))
            per_chunk.append((list(z["names"]), z["values"]))
        n = sum(len(p) for p in points)
        names = sorted({name for ns, _ in per_chunk for name in ns})
        values = {name: np.full(n, np.nan) for name in names}
        start = 0
        for ns, vals in per_chunk:
            for j, name in enumerate(ns):
                values[name][start:start + len(vals)] = vals[:, j]
            start += len(vals)
        rec = {"point": _cat(points, np.int64), "realization": _cat(reals, np.int64),
               "error": _cat(errors, object), "values": values, "n_chunks": n_good,
               "corrupt": corrupt}
        return rec, corrupt

    def completed(self, *, failed: bool = True) -> np.ndarray:
        """Boolean mask ``[point, realization]`` of tasks that have a record.

        With ``failed=False`` a task counts only if its latest record succeeded, so that a
        resumed sweep runs its failed tasks again.
        """
        m = self.manifest
        n_points = int(np.prod([len(v) for v in m["grid"].values()]))
        done = np.zeros((n_points, m["realizations"]), dtype=bool)
        rec = self.read_records()
        # journal order is time order: later records overwrite earlier ones
        ok = np.array([failed or not e for e in rec["error"]], dtype=bool)
        done[rec["point"], rec["realization"]] = ok
        return done

    # -- consolidation -----------------------------------------------------------------
    def consolidate(self):
        """The labelled result as an :class:`xarray.Dataset` (see :func:`open_results`)."""
        import xarray as xr

        m = self.manifest
        sweep = self.sweep()
        shape = sweep.shape
        n_points, n_real = sweep.n_points, sweep.realizations
        rec = self.read_records()
        flat = rec["point"] * n_real + rec["realization"]
        # a task recorded twice (a retried failure, or a batch written again after a kill)
        # keeps its latest record: journal order is time order
        order = np.argsort(flat, kind="stable")
        dup = np.zeros(len(flat), dtype=bool)
        dup[order[:-1]] = flat[order[:-1]] == flat[order[1:]]
        keep = ~dup
        status = np.full(n_points * n_real, STATUS_MISSING, dtype=np.int8)
        ok = np.array([not e for e in rec["error"]], dtype=bool)
        status[flat[keep]] = np.where(ok[keep], STATUS_OK, STATUS_FAILED)
        error = np.full(n_points * n_real, "", dtype=object)
        error[flat[keep]] = rec["error"][keep]
        dims = tuple(sweep.axes) + ("realization",)
        full = tuple(shape) + (n_real,)
        data = {
            "status": (dims, status.reshape(full), {
                "description": "0 missing, 1 computed, 2 failed (see error)", "units": "1"}),
            "error": (dims, error.reshape(full).astype(str), {
                "description": "exception of a failed task, empty otherwise"}),
        }
        okmask = (status == STATUS_OK).reshape(full)
        units = self._units()
        for name, vals in rec["values"].items():
            u = {"units": unit_of(units, name)}
            arr = np.full(n_points * n_real, np.nan)
            arr[flat[keep]] = vals[keep]
            arr = arr.reshape(full)
            arr[~okmask] = np.nan
            good = np.isfinite(arr)
            count = good.sum(axis=-1)
            with np.errstate(invalid="ignore", divide="ignore"):
                total = np.where(good, arr, 0.0).sum(axis=-1)
                mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
                dev = np.where(good, arr - mean[..., None], 0.0)
                var = (dev**2).sum(axis=-1) / np.maximum(count - 1, 1)
                stderr = np.where(count > 1, np.sqrt(var / np.maximum(count, 1)), np.nan)
            data[name] = (dims, arr, {"description": "value per realization", **u})
            data[f"{name}__mean"] = (dims[:-1], mean, {"description": "mean over finite "
                                                      "values of computed realizations", **u})
            data[f"{name}__stderr"] = (dims[:-1], stderr, {"description": "standard error "
                                                          "of the mean, std(ddof=1)/sqrt(n)",
                                                          **u})
            data[f"{name}__count"] = (dims[:-1], count.astype(np.int32),
                                     {"description": "realizations in the mean",
                                      "units": "1"})
        keys = np.array([f"{point_key(sweep.key_params(p)):016x}" for p in sweep.points()])
        data["point_key"] = (dims[:-1], keys.reshape(shape), {
            "description": "hex stream key of each grid point (see attribute seeding)"})
        coords = {axis: (axis, list(vals), {"units": unit_of(units, axis)})
                  for axis, vals in sweep.grid.items()}
        coords["realization"] = ("realization", np.arange(n_real, dtype=np.int32),
                                 {"units": "1", "description": "realization index"})
        n_ok = int((status == STATUS_OK).sum())
        n_failed = int((status == STATUS_FAILED).sum())
        attrs = {
            "title": f"weakloc sweep of {m['observable']}",
            "observable": m["observable"],
            "options_json": json.dumps(m["options"], sort_keys=True),
            "root_seed": m["root_seed"],
            "seeding": m.get("seeding", SEEDING),
            "fingerprint": m["fingerprint"],
            "sweep_toml": m["sweep_toml"],
            "weakloc_version": m["weakloc_version"],
            "consolidated_by_version": __version__,
            "n_tasks": n_points * n_real,
            "n_computed": n_ok,
            "n_failed": n_failed,
            "n_missing": n_points * n_real - n_ok - n_failed,
            "n_records": len(flat),
            "n_duplicate_records": int(dup.sum()),
            "n_corrupt_files": len(rec["corrupt"]),
            "corrupt_json": json.dumps([{"file": f, "reason": r} for f, r in rec["corrupt"]]),
            "outputs": " ".join(rec["values"]),
        }
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def _units(self) -> dict:
        """The observable's units table (built-in, or declared by its function)."""
        from weakloc.ensemble.observables import observable_ref, resolve, units_of

        name = self.manifest["observable"]
        try:
            func = resolve(observable_ref(name))
        except WeaklocError:   # a custom observable not importable here: names only
            func = None
        return units_of(name, func)

    def write_results(self, ds=None) -> Path:
        """Consolidate (unless ``ds`` is given) and write ``results.nc`` atomically."""
        if ds is None:
            ds = self.consolidate()
        target = self.path / RESULTS
        write_bytes(target, bytes(ds.to_netcdf(engine="scipy")))
        return target


def _checksum(arrays: dict) -> str:
    """BLAKE2b over the journal arrays' dtypes, shapes and bytes, in :data:`CHUNK_ARRAYS`
    order."""
    h = hashlib.blake2b(digest_size=16)
    for name in CHUNK_ARRAYS:
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}:{a.dtype.str}:{a.shape};".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _load_chunk(path: Path, n_points: int, n_real: int):
    """``(arrays, "")`` for a sound journal file, ``(None, reason)`` for a corrupt one."""
    try:
        raw = path.read_bytes()     # np.load of a damaged file would leak its handle
        with np.load(io.BytesIO(raw), allow_pickle=False) as z:
            lacking = [name for name in CHUNK_ARRAYS if name not in z.files]
            if lacking:
                return None, f"lacks the array {lacking[0]!r}"
            arrays = {name: z[name] for name in CHUNK_ARRAYS}
            stored = str(z["checksum"]) if "checksum" in z.files else None
    except Exception as exc:  # noqa: BLE001 - any failure to load means a damaged file
        return None, f"unreadable ({type(exc).__name__}: {str(exc).splitlines()[0][:80]})" \
            if str(exc) else f"unreadable ({type(exc).__name__})"
    n = arrays["point"].shape[0] if arrays["point"].ndim == 1 else -1
    names = arrays["names"]
    if (n < 0 or arrays["realization"].shape != (n,) or arrays["error"].shape != (n,)
            or names.ndim != 1 or arrays["values"].shape != (n, len(names))):
        return None, "arrays of inconsistent shapes"
    if stored is not None and stored != _checksum(arrays):
        return None, "checksum mismatch"
    if not (np.issubdtype(arrays["point"].dtype, np.integer)
            and np.issubdtype(arrays["realization"].dtype, np.integer)):
        return None, "indices are not integers"
    if n and (arrays["point"].min() < 0 or arrays["point"].max() >= n_points
              or arrays["realization"].min() < 0 or arrays["realization"].max() >= n_real):
        return None, "a grid point or realization index outside the sweep"
    return arrays, ""


def _cat(arrays, dtype):
    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=dtype)


def open_results(path):
    """The labelled result of a sweep as an :class:`xarray.Dataset`.

    Parameters
    ----------
    path : str or pathlib.Path
        A store folder (consolidated afresh from its journal, so a sweep still running or
        killed shows what it has) or a ``results.nc`` file.

    Returns
    -------
    xarray.Dataset
        Dimensions: one per grid axis (coordinates: the axis values) and ``realization``.
        Variables: for every output ``q`` of the observable, ``q`` (per realization, NaN
        where missing or failed), ``q__mean``, ``q__stderr`` and ``q__count`` (per grid
        point); ``status`` (0 missing, 1 computed, 2 failed), ``error`` and
        ``point_key``. Attributes: the sweep file text, root seed, seeding rule,
        fingerprint, version, task counts and ``outputs`` (the names ``q``, space-separated).
        The double underscore keeps the statistics apart from any output name (output
        names may not contain ``__``).
    """
    import xarray as xr

    path = Path(path)
    if path.is_dir():
        return SweepStore.open(path).consolidate()
    if not path.is_file():
        raise InputError(f"{str(path)!r} not found; give a sweep store folder or results.nc")
    try:
        with xr.open_dataset(path, engine="scipy") as ds:
            return ds.load()
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"cannot read {str(path)!r} as a sweep result: {exc}") from None
