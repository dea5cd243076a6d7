"""Saving results together with the parameters and the version that produced them."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from weakloc._version import __version__
from weakloc.errors import InputError

__all__ = ["jsonable", "dump_json", "write_json", "atomic_write_bytes", "read_text"]


def jsonable(obj):
    """Convert numpy scalars/arrays, dataclasses, paths and non-finite floats for JSON.

    Non-finite floats become ``None`` so that the output is strict JSON.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if isinstance(obj, complex):
        return {"real": obj.real, "imag": obj.imag}
    if isinstance(obj, Path):
        return str(obj)
    return obj


def dump_json(doc: dict, *, indent: int | None = 2) -> str:
    """One JSON document; adds the package version when the document has none."""
    doc = dict(doc)
    doc.setdefault("version", __version__)
    return json.dumps(jsonable(doc), indent=indent, allow_nan=False)


def atomic_write_bytes(path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file in the same folder + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path, doc: dict) -> None:
    """Write a result document (with its version) atomically as JSON."""
    atomic_write_bytes(path, dump_json(doc).encode())


#: Encodings tried in order when reading a text file; the first that decodes wins.
#: cp1252 covers Latin-1 lab exports (the degree sign, the micro sign) and Windows software.
TEXT_ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def read_text(path) -> tuple[str, str]:
    """Read a text file the way instruments and other people write it.

    The one reader of every text file weakloc takes as input: UTF-8 (with or without a byte
    order mark) is tried first, then cp1252 and Latin-1, and the encoding that worked is
    returned so the caller can record it. Binary files (a NUL byte in the first 8 KiB),
    folders and missing files are refused with an :class:`~weakloc.errors.InputError` that
    names the path.

    Parameters
    ----------
    path : str or os.PathLike
        The file to read.

    Returns
    -------
    text : str
        The decoded contents, line endings as in the file.
    encoding : str
        The codec that decoded it (``"utf-8"``, ``"cp1252"`` or ``"latin-1"``).
    """
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p} is a folder, not a file: give the path of a data file")
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied (make the file readable)") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    if b"\x00" in raw[:8192]:
        raise InputError(f"{p} looks like a binary file (NUL bytes): give a text (CSV/TSV/DAT) "
                         "file")
    for enc in TEXT_ENCODINGS:
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    raise InputError(f"{p}: not a text file in UTF-8, cp1252 or Latin-1")  # pragma: no cover
