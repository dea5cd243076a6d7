"""The ``weakloc`` command line: a thin layer over the Python API.

Each module in this package that defines ``register(subparsers)`` adds one command (or a
group). A command's handler returns one result document (a dict); with ``--json`` it is
printed as a single JSON document on stdout, otherwise as readable text. Errors become one
line on stderr, never a traceback.

Exit codes:

- 0: done;
- 2: bad input (an option, a file, a path that cannot be written): fix the command;
- 3: finished, but some tasks failed (a sweep; the document says which, and
  ``--resume --retry-failed`` runs them again);
- 4: lost infrastructure (every Dask worker or the scheduler gone): the input is fine, the
  message gives the command that resumes;
- 130: interrupted (Ctrl-C); what was finished is kept.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys

from weakloc._version import __version__
from weakloc.errors import InfrastructureError, InputError, WeaklocError

__all__ = ["main", "build_parser", "ArgumentParser", "add_json_flag", "check_outputs",
           "float_list", "speak_flags", "EXIT_INPUT", "EXIT_TASKS_FAILED", "EXIT_INFRASTRUCTURE",
           "EXIT_INTERRUPTED"]

#: exit codes (see the module docstring)
EXIT_INPUT, EXIT_TASKS_FAILED, EXIT_INFRASTRUCTURE, EXIT_INTERRUPTED = 2, 3, 4, 130


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors (exit code 2) instead of a usage dump.

    Negative numbers in scientific notation (``--alpha -5e-1``) are read as values, not as
    options: physicists write them that way and plain argparse only knows ``-0.5``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")

    def error(self, message):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add the ``--json`` switch every command carries."""
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document on stdout"
    )


def float_list(text: str, name: str) -> list:
    """Comma-separated numbers of an option (``--times 1,2,4``); one-line error naming it."""
    try:
        vals = [float(x) for x in str(text).split(",") if x.strip() != ""]
    except ValueError:
        raise InputError(f"{name} must be comma-separated numbers, got {text!r}") from None
    if not vals:
        raise InputError(f"{name} is empty; give comma-separated numbers")
    return vals


def build_parser(command: str | None = None) -> ArgumentParser:
    """The ``weakloc`` parser with every command, or only ``command`` when it names one.

    One command is enough to run it (``weakloc cbs ...``), and registering the others would
    import what they need for their choices (the fitting models, scipy): about a second of
    start-up on every call.
    """
    parser = ArgumentParser(
        prog="weakloc",
        description="Weak localization, anti-localization and coherent backscattering.",
    )
    parser.add_argument("--version", action="version", version=f"weakloc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    import weakloc.cli as pkg

    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)
                   if not m.name.startswith("_"))
    if command is not None and command.replace("-", "_") in names:
        names = [command.replace("-", "_")]
    for name in names:
        module = importlib.import_module(f"weakloc.cli.{name}")
        if hasattr(module, "register"):
            module.register(sub)
    return parser


#: Flags that name a file or folder the command writes, checked before any computation.
_FILE_FLAGS = ("csv", "output")
_FIGURE_FLAGS = ("plot", "figure")
_FOLDER_FLAGS = ("store",)
#: commands whose energies and disorder are in units of t and fluxes per plaquette in h/e
_LATTICE_COMMANDS = ("conductance", "localization", "scaling", "cbs-momentum")


def check_outputs(args) -> None:
    """Check every output path the command was given before it computes anything.

    ``--csv``/``--output`` are files (folders for commands that set ``folder_flags``),
    ``--plot``/``--figure`` figures (the extension picks the format), ``--store`` a folder.
    Raises :class:`~weakloc.errors.InputError` naming the flag, so that a bad path costs a
    second, not the run it would otherwise end.
    """
    from weakloc.io import check_folder, check_writable
    from weakloc.plots import check_figure_path

    folders = set(getattr(args, "folder_flags", ())) | set(_FOLDER_FLAGS)
    for attr in _FILE_FLAGS + _FIGURE_FLAGS + _FOLDER_FLAGS:
        value = getattr(args, attr, None)
        if value is None or not isinstance(value, (str, bytes)) and not hasattr(
                value, "__fspath__"):
            continue
        if attr == "figure" and str(value).lower() == "none":
            continue
        flag = "--" + attr.replace("_", "-")
        if attr in folders:
            check_folder(value, what=flag)
        elif attr in _FIGURE_FLAGS:
            check_figure_path(value, flag=flag)
        else:
            check_writable(value, what=flag)


def check_lattice_numbers(args) -> None:
    """Energies and disorder (units of t) finite and of a sensible size, fluxes per
    plaquette in [-1, 1] h/e, for the lattice commands; errors name the flag."""
    from weakloc._validate import flux_value, lattice_value

    if args.command not in _LATTICE_COMMANDS:
        return
    for attr in ("energy", "disorder", "disorders", "soc", "filter_width"):
        value = getattr(args, attr, None)
        if isinstance(value, list) and any(isinstance(x, str) for x in value):
            continue   # a range option (START:STOP:N): its command checks the parsed values
        if isinstance(value, (int, float, list)) and not isinstance(value, bool):
            lattice_value("--" + attr.replace("_", "-"), value)
    flux = getattr(args, "flux", None)
    if isinstance(flux, (int, float)) and not isinstance(flux, bool):
        flux_value("--flux", flux)


def _format_text(doc, indent: int = 0) -> list[str]:
    pad = "  " * indent
    lines = []
    for key, value in doc.items():
        if isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(_format_text(value, indent + 1))
        elif isinstance(value, (list, tuple)) and len(value) > 8:
            head = ", ".join(_short(v) for v in value[:4])
            lines.append(f"{pad}{key}: [{head}, ... {len(value)} values]")
        else:
            lines.append(f"{pad}{key}: {_short(value)}")
    return lines


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return str(value)


#: Python argument names whose command-line flag is not ``--`` + the name with dashes.
FLAG_NAMES = {"constants": "--const", "shared": "--share", "fit_center": "--center",
              "sigma_field": "--field-value"}
#: Python phrases the command line spells as a flag of its own: (pattern, flag text).
FLAG_VALUES = [(re.escape("fix={name: value}"), "--fix NAME=VALUE"),
               (re.escape("fix_at={T: {name: value}}"), "--fix NAME@T=VALUE"),
               (re.escape("include=('amplitude',)"), "--include amplitude"),
               (re.escape("(angles in another unit? convert them to rad)"),
                "(angles in another unit? pass --angle-unit)"),
               (r"constants=\{'(\w+)': ([^}]+)\}", r"--const \1=\2")]
_PY_ARGUMENT = re.compile(r"(?<![\w.\-])([a-z][a-z0-9_]*)="
                          r"(?:(True|False|\.\.\.|'[^']*')|(?=[\s,;:)]|$))")


def _leaf_parser(parser: argparse.ArgumentParser, args) -> argparse.ArgumentParser:
    """The (sub)parser that parsed ``args``: follow the chosen subcommands down."""
    while True:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        choice = getattr(args, subs[0].dest, None) if subs else None
        if choice not in (subs[0].choices if subs else {}):
            return parser
        parser = subs[0].choices[choice]


def speak_flags(message: str, parser: argparse.ArgumentParser) -> str:
    """Say a library message's Python arguments as the flags of ``parser``'s command.

    The library speaks Python: ``name=...``, ``name='value'``, ``name=True``,
    ``name=False`` and a bare ``name=``. Here they become ``--name``, ``--name value``,
    ``--name``, ``--no-name`` and ``--name``, for the names this command has a flag for
    (``FLAG_NAMES`` where the flag is spelled otherwise, ``FLAG_VALUES`` for whole
    phrases); other text is left as it is. :func:`main` applies it to every error.
    """
    flags = {opt for a in parser._actions for opt in a.option_strings}
    for pattern, flag in FLAG_VALUES:
        if re.search(r"--[\w-]+", flag).group(0) in flags:
            message = re.sub(pattern, flag, message)

    def flag_for(name: str, value: str | None) -> str | None:
        base = FLAG_NAMES.get(name, "--" + name.replace("_", "-"))
        if value == "False":
            neg = "--no-" + base[2:]
            return neg if neg in flags else None
        return base if base in flags else None

    def replace(m: re.Match) -> str:
        name, value = m.group(1), m.group(2)
        flag = flag_for(name, value)
        if flag is None:
            return m.group(0)
        if value in ("True", "False", "...") or not value:
            return flag
        return flag + " " + value.strip("'")

    return _PY_ARGUMENT.sub(replace, message)


def main(argv=None) -> int:
    """Entry point of the ``weakloc`` console script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    from weakloc.io import dump_json, jsonable

    leaf = _leaf_parser(parser, args)
    args.speak = lambda message: speak_flags(message, leaf)   # for warnings a command prints
    notice = None
    try:
        check_outputs(args)
        check_lattice_numbers(args)
        from weakloc._jit import announce_if_slow

        notice = announce_if_slow(args.command)
        doc = args.handler(args)
    except WeaklocError as exc:
        if notice is not None:
            notice.cancel()
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        msg = args.speak(msg)
        print(f"weakloc {args.command}: error: {msg}", file=sys.stderr)
        return EXIT_INFRASTRUCTURE if isinstance(exc, InfrastructureError) else EXIT_INPUT
    except FileNotFoundError as exc:
        if notice is not None:
            notice.cancel()
        print(f"weakloc {args.command}: error: no such file: {exc.filename}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"weakloc {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        if notice is not None:
            notice.cancel()
    if doc is None:
        return 0
    doc = dict(doc)
    code = int(doc.get("exit_code", 0))
    if code:
        print(f"weakloc {args.command}: {doc.get('exit_reason', 'not all went well')}",
              file=sys.stderr)
    doc.setdefault("version", __version__)
    if getattr(args, "json", False):
        text = dump_json(doc)
    else:
        formatter = getattr(args, "text", None)
        text = formatter(doc) if formatter else "\n".join(_format_text(jsonable(doc)))
    try:
        print(text, flush=True)
    except BrokenPipeError:  # e.g. `weakloc ... | head`: the reader left, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return code
