r"""Measured magnetotransport -> magnetoconductance curves ready for a fit.

Reading: CSV, TSV or whitespace-separated text with one header line (``#`` comment lines
before it are skipped); columns are chosen by name. Preparation, each step optional and
listed in :attr:`Curve.steps`:

1. field to tesla (``field_unit`` among T, mT, G, Oe, kOe); a warning when the fields look
   implausible for the unit (``|B| > 50 T`` read as tesla);
2. drop non-finite rows (a :class:`DataWarning` counts them);
3. value to the model's conductivity: ``resistance`` (with ``aspect``), ``sheet-resistance``,
   ``conductance`` (with ``aspect``), ``sheet-conductance`` or the ready ``dsigma``; with a
   Hall column the resistivity tensor is inverted,
   :math:`\sigma_{xx} = \rho_{xx}/(\rho_{xx}^2 + \rho_{xy}^2)`;
4. symmetrize on a common grid of ``|B|``: :math:`\rho_{xx}(B) \to [\rho_{xx}(B) +
   \rho_{xx}(-B)]/2` (this removes an antisymmetric Hall pickup),
   :math:`\rho_{xy} \to [\rho_{xy}(B) - \rho_{xy}(-B)]/2`;
5. subtract :math:`\sigma(B = 0)` (interpolated at zero field);
6. keep :math:`|B| \le B_{max}`.

The geometric factor ``aspect`` turns a conductance ``G`` into the model's quantity:
``aspect = L/W`` for a 2D bar (sheet conductance ``G L / W`` in S), the wire length ``L``
in m for the wire model (``G L`` in S m), ``L/A`` in 1/m for a 3D sample (``G L / A`` in
S/m). A resistance ``R`` is read as ``1/G`` with the same factor: ``R_sheet = R / aspect``.
"""

from __future__ import annotations

import csv
import warnings
from dataclasses import dataclass
from dataclasses import field as _dc_field
from pathlib import Path

import numpy as np

from weakloc.errors import InputError
from weakloc.units import FIELD_UNITS, field_to_tesla

__all__ = ["Curve", "DataWarning", "QUANTITIES", "read_table", "prepare_curve", "load_curves"]

#: Quantities a value column can hold (SI).
QUANTITIES = ("resistance", "sheet-resistance", "conductance", "sheet-conductance", "dsigma")

_PLAUSIBLE_TESLA = 50.0


class DataWarning(UserWarning):
    """Something in the data was changed or looks suspicious; the message says what."""


@dataclass(frozen=True)
class Curve:
    """One magnetoconductance curve ready for a fit.

    Attributes
    ----------
    field : ndarray
        Field in T (``>= 0`` after symmetrization, else signed), sorted.
    dsigma : ndarray
        ``sigma(B) - sigma(0)`` (or ``sigma(B)`` when the subtraction was skipped) in the
        model's unit: S per square in 2D, S m for a wire, S/m in 3D.
    temperature : float or None
        Temperature in K, when known.
    source : str
        Where the curve came from (file name and selection).
    steps : tuple of str
        The preparation steps applied, in order, in plain words.
    sigma0 : float or None
        The subtracted zero-field conductivity (same unit as ``dsigma``).
    """

    field: np.ndarray
    dsigma: np.ndarray
    temperature: float | None = None
    source: str = ""
    steps: tuple = _dc_field(default_factory=tuple)
    sigma0: float | None = None

    @property
    def points(self) -> int:
        """Number of points."""
        return int(self.field.size)

    @property
    def field_window(self) -> tuple:
        """``(min |B|, max |B|)`` in T."""
        b = np.abs(self.field)
        return (float(b.min()), float(b.max())) if b.size else (0.0, 0.0)


def _sniff_delimiter(header: str):
    if "\t" in header:
        return "\t"
    if "," in header:
        return ","
    if ";" in header:
        return ";"
    return None  # whitespace


def read_table(path) -> dict:
    """Read a delimited text table with a header line into ``{column: float array}``.

    Parameters
    ----------
    path : str or Path
        CSV, TSV, semicolon- or whitespace-separated file; lines starting with ``#`` before
        the header are skipped. Cells that are not numbers become NaN.

    Returns
    -------
    dict
        Column name -> 1D float array, in file order.
    """
    path = Path(path)
    with open(path, newline="") as fh:
        lines = [ln for ln in fh.read().splitlines() if ln.strip()]
    while lines and lines[0].lstrip().startswith("#"):
        lines.pop(0)
    if not lines:
        raise InputError(f"{path}: no header line found; the first line must name the columns")
    delim = _sniff_delimiter(lines[0])
    if delim is None:
        rows = [ln.split() for ln in lines]
    else:
        rows = list(csv.reader(lines, delimiter=delim))
    names = [n.strip() for n in rows[0]]
    if len(set(names)) != len(names):
        raise InputError(f"{path}: duplicate column names in the header {names}")
    cols = {n: [] for n in names}
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(names):
            raise InputError(f"{path}: line {i} has {len(row)} cells, the header {len(names)}")
        for n, cell in zip(names, row):
            try:
                cols[n].append(float(cell))
            except ValueError:
                cols[n].append(np.nan)
    return {n: np.asarray(v, dtype=float) for n, v in cols.items()}


def _column(table: dict, name: str, source: str) -> np.ndarray:
    if name not in table:
        raise InputError(
            f"{source}: no column {name!r}; available columns: {', '.join(table)}"
        )
    return table[name]


def _symmetric_grid(B, points):
    bmax = min(B.max(), -B.min())
    if not bmax > 0:
        raise InputError(
            "symmetrization needs fields of both signs; measure B < 0 too or pass "
            "symmetrize=False (--no-symmetrize)"
        )
    if points:
        return np.linspace(0.0, bmax, int(points))
    # default: the measured non-negative fields, so that a mirrored sweep needs no
    # interpolation (linear interpolation across the sharp low-field cusp would bias L_phi)
    grid = np.unique(B[(B >= 0) & (B <= bmax)])
    return grid if grid.size >= 8 else np.linspace(0.0, bmax, 8)


def _interp(B, y, grid):
    order = np.argsort(B, kind="stable")
    Bs, ys = B[order], y[order]
    Bu, idx = np.unique(Bs, return_inverse=True)
    yu = np.bincount(idx, weights=ys) / np.bincount(idx)  # repeated fields averaged
    return np.interp(grid, Bu, yu)


def prepare_curve(B, value, *, hall=None, quantity="dsigma", aspect=None, field_unit="T",
                  symmetrize=True, subtract_zero=True, bmax=None, grid_points=None,
                  temperature=None, source="data") -> Curve:
    """Turn raw columns into a :class:`Curve` (each step optional, all reported).

    Parameters
    ----------
    B : array_like
        Field in ``field_unit``.
    value : array_like
        Measured quantity in SI: Ohm (``resistance``, ``sheet-resistance``), S
        (``conductance``, ``sheet-conductance``) or the model's unit (``dsigma``).
    hall : array_like, optional
        Hall resistance ``R_xy`` in Ohm (with a resistance quantity) for the tensor
        inversion.
    quantity : str
        One of :data:`QUANTITIES`.
    aspect : float, optional
        Geometric factor (``L/W`` for a 2D bar; see the module docstring); required for
        ``resistance`` and ``conductance``.
    field_unit : {'T', 'mT', 'G', 'Oe', 'kOe'}
        Unit of ``B``.
    symmetrize : bool
        Average ``B`` and ``-B`` on a common grid of ``|B|`` (default True).
    subtract_zero : bool
        Subtract ``sigma(0)`` (default True; not for ``dsigma``, already a difference).
    bmax : float, optional
        Keep ``|B| <= bmax`` (T).
    grid_points : int, optional
        Points of an evenly spaced symmetrization grid; default: the measured fields
        ``B >= 0`` within the range covered by both signs (exact for a mirrored sweep).
    temperature : float, optional
        Temperature in K, recorded in the curve.
    source : str
        Label of the data in messages.

    Returns
    -------
    Curve
    """
    if quantity not in QUANTITIES:
        raise InputError(f"unknown quantity {quantity!r}; use one of {', '.join(QUANTITIES)}")
    if field_unit not in FIELD_UNITS:
        raise InputError(f"unknown field unit {field_unit!r}; use one of {', '.join(FIELD_UNITS)}")
    B = np.asarray(B, dtype=float).ravel()
    y = np.asarray(value, dtype=float).ravel()
    hx = None if hall is None else np.asarray(hall, dtype=float).ravel()
    if B.shape != y.shape or (hx is not None and hx.shape != B.shape):
        raise InputError(f"{source}: field, value and Hall columns differ in length")
    steps = []
    finite = np.isfinite(B) & np.isfinite(y)
    if hx is not None:
        finite &= np.isfinite(hx)
    if not np.any(finite):
        raise InputError(f"{source}: no row with finite field and value; check the columns "
                         "and the number format")
    dropped = int(np.sum(~finite))
    if dropped:
        warnings.warn(f"{source}: dropped {dropped} of {B.size} rows with non-finite values",
                      DataWarning, stacklevel=2)
        steps.append(f"dropped {dropped} non-finite rows")
        B, y = B[finite], y[finite]
        hx = None if hx is None else hx[finite]
    B = field_to_tesla(B, field_unit)
    if field_unit != "T":
        steps.append(f"field converted from {field_unit} to T")
    if np.max(np.abs(B)) > _PLAUSIBLE_TESLA:
        warnings.warn(f"{source}: fields up to {np.max(np.abs(B)):.3g} T read as "
                      f"{field_unit}; is the unit right? (pass --field-unit mT|G|Oe|kOe)",
                      DataWarning, stacklevel=2)
        steps.append(f"warning: |B| up to {np.max(np.abs(B)):.3g} T is implausible")
    if hx is not None and quantity not in ("resistance", "sheet-resistance"):
        raise InputError("a Hall column needs --quantity resistance or sheet-resistance "
                         "(the tensor is inverted from resistivities)")
    if quantity in ("resistance", "conductance"):
        if aspect is None:
            raise InputError(f"quantity {quantity!r} needs the geometric factor: pass "
                             "--aspect L_OVER_W (see the docs for wires and 3D)")
        if not (np.isfinite(aspect) and aspect > 0):
            raise InputError(f"aspect must be positive, got {aspect!r}")
    resistive = quantity in ("resistance", "sheet-resistance")
    if resistive:
        rho = y / aspect if quantity == "resistance" else y
        if quantity == "resistance":
            steps.append(f"R -> R_sheet = R / {aspect:g}")
            if hx is not None:
                steps.append("R_xy taken as the Hall resistivity (no geometric factor)")
        if np.any(rho <= 0):
            raise InputError(f"{source}: non-positive resistances; check --quantity")
    else:
        sig = y * aspect if quantity == "conductance" else y
        if quantity == "conductance":
            steps.append(f"G -> sigma = G * {aspect:g}")

    if symmetrize:
        grid = _symmetric_grid(B, grid_points)
        if resistive:
            rho = 0.5 * (_interp(B, rho, grid) + _interp(B, rho, -grid))
            if hx is not None:
                hx = 0.5 * (_interp(B, hx, grid) - _interp(B, hx, -grid))
        else:
            sig = 0.5 * (_interp(B, sig, grid) + _interp(B, sig, -grid))
        steps.append(f"symmetrized on {grid.size} points, 0 <= B <= {grid[-1]:.4g} T")
        B = grid
    if resistive:
        if hx is not None:
            sig = rho / (rho**2 + hx**2)
            steps.append("tensor inversion sigma_xx = rho_xx / (rho_xx^2 + rho_xy^2)")
        else:
            sig = 1.0 / rho
            steps.append("sigma = 1 / rho (no Hall column)")
    order = np.argsort(B, kind="stable")
    B, sig = B[order], sig[order]
    sigma0 = None
    if subtract_zero and quantity != "dsigma":
        if B.min() > 0 or B.max() < 0:
            sigma0 = float(sig[np.argmin(np.abs(B))])
            steps.append(f"subtracted sigma at the smallest |B| = {np.abs(B).min():.3g} T")
        else:
            sigma0 = float(_interp(B, sig, np.array([0.0]))[0])
            steps.append(f"subtracted sigma(0) = {sigma0:.6g}")
        sig = sig - sigma0
    if bmax is not None:
        if not bmax > 0:
            raise InputError(f"bmax must be positive (T), got {bmax!r}")
        keep = np.abs(B) <= bmax
        steps.append(f"kept {int(keep.sum())} of {B.size} points with |B| <= {bmax:g} T")
        B, sig = B[keep], sig[keep]
    return Curve(field=B, dsigma=sig, temperature=temperature, source=source,
                 steps=tuple(steps), sigma0=sigma0)


def _temperature_groups(T, rtol):
    """Label rows by temperature: sorted values split where the gap exceeds ``rtol T``."""
    labels = np.full(T.shape, -1)
    ok = np.flatnonzero(np.isfinite(T))
    order = ok[np.argsort(T[ok], kind="stable")]
    Ts = T[order]
    breaks = np.flatnonzero(np.diff(Ts) > rtol * np.abs(Ts[1:]))
    labels[order] = np.searchsorted(breaks, np.arange(Ts.size), side="left")
    return labels


def load_curves(paths, *, field, value, temperature=None, hall=None, temperature_rtol=0.02,
                **options) -> list:
    """Read files and prepare one :class:`Curve` per file (or per temperature).

    Parameters
    ----------
    paths : str, Path or list of them
        Data files (see :func:`read_table`).
    field, value : str
        Names of the field and value columns.
    temperature : str, optional
        Name of a temperature column (K): the file splits into one curve per temperature;
        rows whose sorted temperatures differ by less than ``temperature_rtol`` (relative)
        belong to the same curve, so a drifting thermometer reading does not split a sweep.
    hall : str, optional
        Name of a Hall-resistance column (Ohm).
    temperature_rtol : float
        Relative gap between sorted temperatures that starts a new curve (default 0.02).
    **options
        Passed to :func:`prepare_curve` (``quantity``, ``aspect``, ``field_unit``,
        ``symmetrize``, ``subtract_zero``, ``bmax``, ``grid_points``).

    Returns
    -------
    list of Curve
        Sorted by temperature when known.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    curves = []
    for path in paths:
        table = read_table(path)
        src = Path(path).name
        B = _column(table, field, src)
        y = _column(table, value, src)
        hx = _column(table, hall, src) if hall else None
        if temperature:
            T = _column(table, temperature, src)
            if not np.any(np.isfinite(T)):
                raise InputError(f"{src}: temperature column {temperature!r} has no numbers")
            labels = _temperature_groups(T, temperature_rtol)
            for g in np.unique(labels[labels >= 0]):
                sel = labels == g
                t = float(np.round(np.mean(T[sel]), 9))
                curves.append(prepare_curve(
                    B[sel], y[sel], hall=None if hx is None else hx[sel], temperature=t,
                    source=f"{src} (T = {t:g} K)", **options))
        else:
            curves.append(prepare_curve(B, y, hall=hx, source=src, **options))
    if all(c.temperature is not None for c in curves):
        curves.sort(key=lambda c: c.temperature)
    return curves
