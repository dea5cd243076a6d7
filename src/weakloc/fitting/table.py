r"""Reading instrument text files into float columns: the one reader the analyses share.

:func:`read_table` turns a text file (CSV, TSV, ``;``- or whitespace-separated; with or
without a header line; decimal commas; Quantum Design PPMS/MPMS ``.dat`` exports; one
quantity per row) into a :class:`Table` addressed by column name or 1-based number;
:func:`read_columns` pulls the columns an analysis needs and converts them to SI with
:func:`to_si` (fields, temperatures, conductances in S, e^2/h, 2e^2/h or G0 = e^2/(pi h),
resistances, and four-probe voltages with the excitation current). Every file is decoded
by :func:`weakloc.io.read_text`; what was recognized and converted is listed in ``steps``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from weakloc.errors import InputError
from weakloc.io import read_text
from weakloc.units import E2_OVER_H, FIELD_UNITS, G0

__all__ = ["VALUE_UNITS", "TEMPERATURE_UNITS", "UNITS", "Table", "Columns", "to_si",
           "read_table", "read_columns", "temperature_from_name"]


#: Value units a column can hold -> (factor to SI, SI unit). ``G0`` is ``e^2/(pi h)``;
#: ``e2/h`` and ``2e2/h`` are the Landauer quanta without and with spin degeneracy. ``V``
#: is a four-probe voltage, turned into a resistance with the excitation current.
VALUE_UNITS = {
    "S": (1.0, "S"), "mS": (1e-3, "S"), "uS": (1e-6, "S"),
    "e2/h": (E2_OVER_H, "S"), "2e2/h": (2.0 * E2_OVER_H, "S"), "G0": (G0, "S"),
    "Ohm": (1.0, "Ohm"), "kOhm": (1e3, "Ohm"), "MOhm": (1e6, "Ohm"), "V": (None, "Ohm"),
}
#: Temperature units -> factor to K.
TEMPERATURE_UNITS = {"K": 1.0, "mK": 1e-3}
#: Every unit :func:`to_si` knows -> (factor, SI unit); fields from :data:`FIELD_UNITS`.
UNITS = {**{u: (f, "T") for u, f in FIELD_UNITS.items()},
         **{u: (f, "K") for u, f in TEMPERATURE_UNITS.items()}, **VALUE_UNITS}
_UNIT_ALIASES = {"ohm": "Ohm", "ohms": "Ohm", "Ohms": "Ohm", "\u03a9": "Ohm",
                 "kohm": "kOhm", "k\u03a9": "kOhm", "Mohm": "MOhm", "M\u03a9": "MOhm",
                 "\u00b5S": "uS", "\u03bcS": "uS", "e^2/h": "e2/h", "2e^2/h": "2e2/h"}
_COMMENT = ("#", "%")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+([eE][+-]?\d+)?$")


def to_si(values, unit: str, *, current=None, what: str = "value"):
    """Convert a column to SI: fields to T, temperatures to K, conductances to S, resistances
    (and four-probe voltages) to Ohm.

    Parameters
    ----------
    values : array_like
        Numbers in ``unit``.
    unit : str
        A key of :data:`UNITS` (``T mT G Oe kOe``; ``K mK``; ``S mS uS e2/h 2e2/h G0``;
        ``Ohm kOhm MOhm``; ``V``). ``G`` is the gauss, ``G0 = e^2/(pi h)``.
    current : float, optional
        Excitation current in A, required with ``V``: ``R = V / I``.
    what : str
        The column's role, for messages.

    Returns
    -------
    values : ndarray
        In the SI unit.
    si_unit : str
        ``"T"``, ``"K"``, ``"S"`` or ``"Ohm"``.
    step : str or None
        The conversion in words (None when the unit was already SI).
    """
    unit = _UNIT_ALIASES.get(unit, unit)
    if unit not in UNITS:
        raise InputError(f"unknown {what} unit {unit!r}; use one of {', '.join(UNITS)}")
    factor, si = UNITS[unit]
    y = np.asarray(values, dtype=float)
    if unit == "V":
        if current is None:
            raise InputError(f"a {what} in V needs the excitation current: pass current=... "
                             "AMPS (current=...) to get R = V / I")
        if not (np.isfinite(current) and current != 0):
            raise InputError(f"current must be a finite non-zero number of amperes, got "
                             f"{current!r}")
        return y / current, si, f"{what} V -> Ohm: R = V / {current:g} A"
    if current is not None:
        raise InputError(f"current is only used with a {what} in V; drop current=... or pass "
                         "value_unit='V'")
    if factor == 1.0:
        return y, si, None
    return y * factor, si, f"{what} converted from {unit} to {si} (x {factor:.6g})"


def _split(line, delim):
    if delim is None:
        return line.split()
    return [c.strip() for c in next(csv.reader([line], delimiter=delim))]


def _number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def _sniff(lines):
    """Choose the separator that splits the first lines into the most consistent columns."""
    sample = lines[:20]
    best, best_score = None, None
    for delim in ("\t", ";", ",", None):
        if delim is not None and not any(delim in ln for ln in sample):
            continue
        rows = [_split(ln, delim) for ln in sample]
        counts = [len(r) for r in rows]
        body = rows[1:] or rows
        numeric = np.mean([_number(c.replace(",", ".") if delim != "," else c) is not None
                           for r in body for c in r if c]) if any(body) else 0.0
        consistent = len(set(counts[1:] or counts)) == 1
        score = (consistent, max(counts) > 1, round(float(numeric), 3), max(counts))
        if best_score is None or score > best_score:
            best, best_score = delim, score
    return best


@dataclass(frozen=True, eq=False)
class Table(Mapping):
    """A text table read into float columns; a read-only mapping ``name -> array``.

    Columns are addressed by header name or by 1-based number (``table[3]``,
    ``table["3"]``), as awk and gnuplot count; a headerless file has the names
    ``"1" ... "n"``. Cells that are not numbers are NaN.

    Attributes
    ----------
    names : tuple of str
        Column names in file order.
    data : dict
        Name -> 1D float array.
    source : str
        The file name.
    encoding : str
        The text encoding that decoded the file.
    steps : tuple of str
        What the reader recognised (format, separator, decimal commas, layout).
    """

    names: tuple
    data: dict
    source: str = ""
    encoding: str = "utf-8"
    steps: tuple = ()

    def __getitem__(self, key):
        return self.data[self.resolve(key)]

    def __iter__(self):
        return iter(self.names)

    def __len__(self):
        return len(self.names)

    def resolve(self, key) -> str:
        """The column name for ``key`` (a name or a 1-based number); InputError if none."""
        if isinstance(key, str) and key in self.data:
            return key
        text = str(key).strip()
        if text in self.data:
            return text
        folded = [n for n in self.names if n.casefold() == text.casefold()]
        if len(folded) == 1:
            return folded[0]
        if isinstance(key, (int, np.integer)) or text.isdigit():
            k = int(text)
            if 1 <= k <= len(self.names):
                return self.names[k - 1]
            raise InputError(f"{self.source}: column number {k} out of range; columns count "
                             f"from 1 to {len(self.names)}")
        listing = ", ".join(self.names) if len(self.names) <= 40 else \
            ", ".join(self.names[:40]) + ", ..."
        raise InputError(f"{self.source}: no column {text!r}; available columns: {listing} "
                         "(or give a 1-based column number)")


def read_table(path, *, layout: str = "columns") -> Table:
    """Read a text table the way instruments write it into a :class:`Table`.

    Handles CSV, TSV, ``;``- and whitespace-separated text; ``#`` and ``%`` comment lines;
    an optional header line (a first line that is all numbers is data, and the columns are
    numbered ``1 ... n``); decimal commas (``1,5``, with a separator other than ``,``);
    Quantum Design PPMS/MPMS ``.dat`` exports (the lines after ``[Data]``, whose first
    line names the columns); and files that hold one quantity per row
    (``layout="rows"``, the first cell of a row naming it when it is not a number). The
    encoding is detected by :func:`weakloc.io.read_text`.

    Parameters
    ----------
    path : str or Path
        The file.
    layout : {'columns', 'rows'}
        ``'rows'`` when each line holds one quantity.

    Returns
    -------
    Table
        Float columns by name and by number, with the reading steps.
    """
    if layout not in ("columns", "rows"):
        raise InputError(f"unknown layout {layout!r}; use 'columns' or 'rows'")
    path = Path(path)
    src = path.name
    text, encoding = read_text(path)
    raw = text.splitlines()
    steps = [f"read {src} ({encoding})"]
    start = 0
    for i, ln in enumerate(raw):
        if ln.strip().casefold() == "[data]":
            start = i + 1
            steps.append("Quantum Design .dat: columns of the [Data] section")
            break
    numbered = [(i + 1, ln) for i, ln in enumerate(raw[start:], start=start)
                if ln.strip() and not ln.lstrip().startswith(_COMMENT)]
    if not numbered:
        raise InputError(f"{src}: no data lines (only blank or comment lines); check the file")
    lines = [ln for _, ln in numbered]
    delim = _sniff(lines)
    steps.append("separator " + {None: "whitespace", "\t": "tab"}.get(delim, repr(delim)))
    rows = [_split(ln, delim) for ln in lines]
    if delim != "," and any(_DECIMAL_COMMA.match(c) for r in rows[:50] for c in r):
        rows = [[c.replace(",", ".") for c in r] for r in rows]
        steps.append("decimal commas read as decimal points")
    if layout == "rows":
        names, cols = [], []
        for k, r in enumerate(rows, start=1):
            named = bool(r) and _number(r[0]) is None
            names.append(r[0] if named else str(k))
            cols.append(r[1:] if named else r)
        if len({len(c) for c in cols}) != 1:
            raise InputError(f"{src}: rows hold different numbers of values "
                             f"({sorted({len(c) for c in cols})}); check layout=...")
        steps.append(f"layout rows: {len(names)} quantities of {len(cols[0])} values")
        header_line, body = None, list(map(list, zip(*cols)))
        line_no = list(range(1, len(body) + 1))
    else:
        first = rows[0]
        if all(_number(c) is not None for c in first if c) and any(first):
            names = [str(k) for k in range(1, len(first) + 1)]
            steps.append(f"no header line: columns numbered 1..{len(names)}")
            header_line, body, line_no = None, rows, [n for n, _ in numbered]
        else:
            names = [c.strip() for c in first]
            header_line, body = numbered[0][0], rows[1:]
            line_no = [n for n, _ in numbered[1:]]
    if len(set(names)) != len(names):
        dup = sorted({n for n in names if names.count(n) > 1})
        raise InputError(f"{src}: duplicate column names {dup} in the header (line "
                         f"{header_line}); rename them or address the columns by number")
    width = len(names)
    values = np.full((len(body), width), np.nan)
    for r, (row, n) in enumerate(zip(body, line_no)):
        if len(row) != width:
            raise InputError(f"{src}: line {n} has {len(row)} cells, the header {width}")
        for c, cell in enumerate(row):
            v = _number(cell) if cell else None
            if v is not None:
                values[r, c] = v
    data = {name: values[:, k].copy() for k, name in enumerate(names)}
    return Table(names=tuple(names), data=data, source=src, encoding=encoding,
                 steps=tuple(steps))


@dataclass(frozen=True)
class Columns:
    """Named quantities pulled from a table and converted to SI (see :func:`read_columns`).

    Attributes
    ----------
    values : dict
        Role (e.g. ``"field"``) -> float array in SI.
    units : dict
        Role -> SI unit of the array (``"T"``, ``"K"``, ``"S"``, ``"Ohm"`` or ``""`` when no
        unit was given).
    names : dict
        Role -> the column's name in the file.
    source : str
        File name.
    steps : tuple of str
        Reading and conversion steps, in order.
    """

    values: dict
    units: dict
    names: dict
    source: str = ""
    steps: tuple = ()

    def __getitem__(self, role):
        return self.values[role]

    def as_dict(self) -> dict:
        """Plain-dict form (arrays as lists)."""
        return {"values": {k: v.tolist() for k, v in self.values.items()},
                "units": dict(self.units), "names": dict(self.names),
                "source": self.source, "steps": list(self.steps)}


def read_columns(path, columns: dict, *, units: dict | None = None, current=None,
                 layout: str = "columns") -> Columns:
    """Read a file and pull float columns by name or 1-based number, converted to SI.

    The reader every analysis shares (magnetoconductance, conductance fluctuations,
    ``sigma(T)``, rings): ``read_columns("run.dat", {"field": "Magnetic Field (Oe)",
    "value": 3}, units={"field": "Oe", "value": "kOhm"})``.

    Parameters
    ----------
    path : str or Path
        The file (see :func:`read_table` for the formats).
    columns : dict
        Role -> column name or 1-based number; roles whose column is None are skipped.
    units : dict, optional
        Role -> unit (a key of :data:`UNITS`); roles without a unit are returned as read.
    current : float, optional
        Excitation current in A for a role in ``V`` (four-probe lock-in voltage).
    layout : {'columns', 'rows'}
        See :func:`read_table`.

    Returns
    -------
    Columns
    """
    table = read_table(path, layout=layout)
    units = dict(units or {})
    unknown = set(units) - set(columns)
    if unknown:
        raise InputError(f"units given for {sorted(unknown)} but no such column role; "
                         f"roles are {sorted(columns)}")
    steps = list(table.steps)
    values, si_units, names = {}, {}, {}
    for role, key in columns.items():
        if key is None:
            continue
        name = table.resolve(key)
        names[role] = name
        if str(key).strip() != name:
            steps.append(f"{role}: column {key} = {name!r}")
        unit = units.get(role)
        if unit is None:
            values[role], si_units[role] = table.data[name].copy(), ""
            continue
        values[role], si_units[role], step = to_si(
            table.data[name], unit, current=current if unit in ("V",) else None, what=role)
        if step:
            steps.append(step)
    return Columns(values=values, units=si_units, names=names, source=table.source,
                   steps=tuple(steps))


def temperature_from_name(name) -> float | None:
    """Temperature in K read from a file name (``MR_1.5K.dat``, ``run_300mK.csv``,
    ``T=4p2K.txt``; ``p`` as a decimal point), or None when the name holds none or several."""
    stem = Path(str(name)).name
    found = re.findall(r"(?<![A-Za-z0-9.])(\d+(?:[.p]\d+)?)\s*(mK|K)(?![A-Za-z])", stem)
    if len(found) != 1:
        return None
    num, unit = found[0]
    return float(num.replace("p", ".")) * TEMPERATURE_UNITS[unit]
