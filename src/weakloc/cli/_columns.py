"""Shared options of the coherence analyses (``ucf``, ``sigma-t``, ``ring``, ``fit-cone``):
the file conventions of ``weakloc fit`` (columns by name or 1-based number, ``--layout``,
value units, ``--current``) over :func:`weakloc.fitting.data.read_columns`."""

from __future__ import annotations

import numpy as np

from weakloc.errors import InputError

__all__ = ["add_trace_options", "add_reader_options", "read_roles", "conductance_si",
           "group_rows"]


def add_trace_options(p) -> None:
    """FILE..., ``--field``, ``--value``, ``--field-unit`` and the reader options of a
    command that reads conductance traces G(B)."""
    from weakloc.units import FIELD_UNITS

    p.add_argument("files", nargs="+", metavar="FILE", help="CSV/TSV/whitespace data files")
    p.add_argument("--field", required=True, metavar="COL", help="field column (name or number)")
    p.add_argument("--value", required=True, metavar="COL",
                   help="conductance column (or resistance with --value-unit Ohm)")
    p.add_argument("--field-unit", default="T", choices=list(FIELD_UNITS),
                   help="unit of the field column (default T)")
    add_reader_options(p)


def add_reader_options(p, *, value_units=True) -> None:
    """``--layout`` and (for conductance data) ``--value-unit``/``--current``."""
    from weakloc.fitting.data import VALUE_UNITS

    p.add_argument("--layout", choices=["columns", "rows"], default="columns",
                   help="'rows' when each line of the file holds one quantity")
    if value_units:
        p.add_argument("--value-unit", choices=list(VALUE_UNITS), metavar="UNIT",
                       help=f"unit of the value column: {', '.join(VALUE_UNITS)} (G0 = "
                       "e^2/(pi h); V needs --current); default S")
        p.add_argument("--current", type=float, metavar="AMPS",
                       help="excitation current (A) for --value-unit V: R = V / I")


def read_roles(path, columns, units, args):
    """Read ``{role: column}`` from ``path`` in SI (the one table reader)."""
    from weakloc.fitting.data import read_columns

    return read_columns(path, columns, units={k: u for k, u in units.items() if u},
                        current=getattr(args, "current", None), layout=args.layout)


def conductance_si(values, si_unit, source):
    """A value column as a conductance in S (a resistance in Ohm is inverted)."""
    if si_unit == "Ohm":
        if np.any(values <= 0):
            raise InputError(f"{source}: non-positive resistances; check --value and "
                             "--value-unit")
        return 1.0 / values
    return values


def group_rows(labels):
    """Row indices per distinct finite label, in order of first appearance."""
    labels = np.asarray(labels, dtype=float)
    keys = list(dict.fromkeys(labels[np.isfinite(labels)].tolist()))
    return [(k, np.flatnonzero(labels == k)) for k in keys]
