"""Files in and out: one writer, one reader.

Every file weakloc writes goes through :func:`write_bytes` (atomic for regular files,
written through for links, pipes and devices, one-line typed errors); every text file it
reads goes through :func:`read_text` (encoding detection, binary files and folders
refused). Results are saved with the parameters and the version that produced them."""

from __future__ import annotations

import dataclasses
import errno
import json
import math
import os
import stat
import sys
import tempfile
from pathlib import Path

import numpy as np

from weakloc._version import __version__
from weakloc.errors import InputError, ResourceError

__all__ = ["jsonable", "dump_json", "write_bytes", "write_text", "write_json", "check_writable",
           "check_folder", "make_folder", "write_error", "atomic_write_bytes",
           "read_text"]


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


def write_error(path, exc: OSError, what: str | None = None) -> Exception:
    """The one-line typed error for an :class:`OSError` met while writing ``path``."""
    code = exc.errno
    pre = f"{what}: " if what else ""
    if code in (errno.ENOSPC, errno.EDQUOT):
        return ResourceError(f"{pre}cannot write {path}: disk full (no space left on device); "
                             "free some space or write elsewhere")
    causes = {
        errno.EACCES: "permission denied; choose a folder you can write to",
        errno.EPERM: "permission denied (file or folder is protected); choose another path",
        errno.EROFS: "read-only file system; choose a writable folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder; fix the path",
        errno.EISDIR: "is a folder; give a file name",
        errno.ENAMETOOLONG: "name too long; choose a shorter path",
        errno.ELOOP: "too many symbolic links (a link loop); fix the link",
        errno.ENOENT: "its folder does not exist and cannot be created; fix the path",
        errno.EEXIST: "a part of the path is a file, not a folder; fix the path",
    }
    cause = causes.get(code, f"{exc.strerror or exc}; choose another path")
    return InputError(f"{pre}cannot write {path}: {cause}")


def _is_through(path: Path) -> bool:
    """Whether ``path`` must be written through (opened in place), not replaced.

    True for named pipes, character/block devices and sockets, and for anything under
    ``/dev`` or ``/proc`` (``/dev/stdout`` may lead to a regular file that a shell opened:
    replacing it would cut the shell's output off).
    """
    s = str(path)
    if s.startswith(("/dev/", "/proc/")):
        return True
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)


def _target(path) -> Path:
    """The file a write to ``path`` lands in: a symbolic link's target (followed to the end,
    dangling or not), the path itself otherwise."""
    p = Path(path)
    return Path(os.path.realpath(p)) if p.is_symlink() else p


def _nearest_existing(path: Path) -> Path:
    parent = path
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent


def check_writable(path, *, what: str = "output") -> Path:
    """Check, before a long computation, that :func:`write_bytes` can create ``path``.

    Writes nothing. Raises :class:`~weakloc.errors.InputError` naming ``what`` (the flag),
    the path and the cause: a folder given as the file, a folder that cannot be written, a
    part of the path that is a file. Returns the path.
    """
    p = Path(path)
    if str(path) == "":
        raise InputError(f"{what}: the path is empty; give a file name")
    if _is_through(p):
        return p
    t = _target(p)
    if t.is_dir():
        raise write_error(p, OSError(errno.EISDIR, "Is a directory"), what)
    _check_folder_access(p, _nearest_existing(t.parent), what)
    return p


def check_folder(path, *, what: str = "output") -> Path:
    """Check, before a long computation, that ``path`` is or can become a writable folder.

    Writes nothing; raises :class:`~weakloc.errors.InputError` naming ``what``, the path
    and the cause (a file in the way, permission, read-only). Returns the path.
    """
    p = Path(path)
    if str(path) == "":
        raise InputError(f"{what}: the path is empty; give a folder name")
    if p.exists() and not p.is_dir():
        raise InputError(f"{what}: {p} is a file, not a folder; give a folder name")
    _check_folder_access(p, _nearest_existing(p), what)
    return p


def _check_folder_access(path: Path, folder: Path, what: str) -> None:
    if not folder.is_dir():
        raise write_error(path, OSError(errno.ENOTDIR, "Not a directory"), what)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise write_error(path, OSError(errno.EACCES, "Permission denied"), what)
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            raise write_error(path, OSError(errno.EROFS, "Read-only file system"), what)
    except (AttributeError, OSError):  # pragma: no cover - no statvfs (Windows)
        pass


def make_folder(path, *, what: str = "output") -> Path:
    """Create the folder ``path`` (and its parents) if missing; one-line typed errors."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"{what}: {p} is a file, not a folder; give a folder name") from None
    except OSError as exc:
        raise write_error(p, exc, what) from None
    return p


def write_bytes(path, data: bytes) -> str:
    """Write ``data`` to ``path``: the one writer of every file weakloc produces.

    * A regular file (new or existing) is written atomically: a temporary file in the same
      folder, flushed, fsync'ed and renamed into place, so the path holds either the old
      or the complete new contents, never a partial file; missing folders are created and
      the new file gets the usual permissions (0666 less the umask, or the old file's).
    * A symbolic link is written through to its target (the link stays a link).
    * Named pipes, devices (``/dev/null``) and anything under ``/dev`` or ``/proc`` are
      opened in place and written to (appending), never replaced; this process's own
      stdout or stderr (``/dev/stdout``, or the file it is redirected to) is written through
      its open descriptor, after what was printed before.

    Every failure is one line naming the path and the cause:
    :class:`~weakloc.errors.InputError` for a folder given as the file, permission, a
    read-only file system or a path through a file;
    :class:`~weakloc.errors.ResourceError` for a full disk. No temporary file is left behind.

    Returns the path as a string.
    """
    p = Path(path)
    fd = _own_stream(p)
    if fd is not None or _is_through(p):
        try:
            if fd is not None:   # our own stdout/stderr: write after what is already there
                (sys.stdout if fd == 1 else sys.stderr).flush()
                _write_all(fd, data)
            else:
                with open(p, "ab", buffering=0) as fh:
                    _write_all(fh.fileno(), data)
        except OSError as exc:
            raise write_error(p, exc) from None
        return str(p)
    target = _target(p)
    if target.is_dir():
        raise InputError(f"cannot write {p}: is a folder; give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                   suffix=".tmp")
    except OSError as exc:
        raise write_error(p, exc) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(p, exc) from None
        raise
    return str(p)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _own_stream(path: Path) -> int | None:
    """1 or 2 when ``path`` is this process's stdout or stderr (``/dev/stdout``, or the
    file the shell redirected it to), else None."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    for fd in (1, 2):
        try:
            own = os.fstat(fd)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino):
            return fd
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The name the writer had before links, pipes and devices were written through; kept so
#: that callers written against it keep working.
atomic_write_bytes = write_bytes


def write_text(path, text: str) -> str:
    """Write ``text`` (UTF-8) through :func:`write_bytes`; returns the path as a string."""
    return write_bytes(path, text.encode("utf-8"))


def write_json(path, doc: dict) -> str:
    """Write a result document (with its version) as JSON through :func:`write_bytes`."""
    return write_bytes(path, (dump_json(doc) + "\n").encode())


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
