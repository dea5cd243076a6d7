r"""Measured magnetotransport -> magnetoconductance curves ready for a fit.

Reading is :mod:`weakloc.fitting.table` (shared by every analysis; its names are also
importable from here): headerless files, columns by name or 1-based number, decimal
commas, PPMS ``.dat`` exports, value units. Preparation, each step optional and listed in
:attr:`Curve.steps`:

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
5. subtract :math:`\sigma(B = 0)`, by default from a local fit :math:`a + b B^2` through
   the points nearest zero field (see ``zero``);
6. keep :math:`|B| \le B_{max}`.

The geometric factor ``aspect`` turns a conductance ``G`` into the model's quantity:
``aspect = L/W`` for a 2D bar (sheet conductance ``G L / W`` in S), the wire length ``L``
in m for the wire model (``G L`` in S m), ``L/A`` in 1/m for a 3D sample (``G L / A`` in
S/m). A resistance ``R`` is read as ``1/G`` with the same factor: ``R_sheet = R / aspect``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from dataclasses import field as _dc_field
from pathlib import Path

import numpy as np

from weakloc.errors import InputError
from weakloc.fitting.table import (  # noqa: F401 - re-exported: the reader's first home
    TEMPERATURE_UNITS,
    UNITS,
    VALUE_UNITS,
    Columns,
    Table,
    read_columns,
    read_table,
    temperature_from_name,
    to_si,
)
from weakloc.units import FIELD_UNITS, field_to_tesla

__all__ = ["Curve", "DataWarning", "QUANTITIES", "ZERO_CHOICES", "prepare_curve",
           "load_curves"]

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
        The subtracted zero-field conductivity (same unit as ``dsigma``); None when the
        input was already a difference (then no offset is fitted by default).
    sigma0_choices : dict
        ``sigma(0)`` by each choice of :data:`ZERO_CHOICES` (for the systematic scan).
    full_field, full_dsigma : ndarray or None
        The curve before the ``bmax`` cut (None: same as ``field``/``dsigma``), so that a
        systematic scan can widen the field window.
    """

    field: np.ndarray
    dsigma: np.ndarray
    temperature: float | None = None
    source: str = ""
    steps: tuple = _dc_field(default_factory=tuple)
    sigma0: float | None = None
    sigma0_choices: dict = _dc_field(default_factory=dict)
    full_field: np.ndarray | None = None
    full_dsigma: np.ndarray | None = None

    def window(self, bmax: float) -> Curve:
        """The same curve cut (or widened, as far as :attr:`full_field` reaches) to
        ``|B| <= bmax`` (T)."""
        B = self.field if self.full_field is None else self.full_field
        y = self.dsigma if self.full_dsigma is None else self.full_dsigma
        keep = np.abs(B) <= bmax
        return replace(self, field=B[keep], dsigma=y[keep],
                       steps=self.steps + (f"field window |B| <= {bmax:.4g} T",))

    def with_sigma0(self, choice: str) -> Curve:
        """The same curve with ``sigma(0)`` taken by another choice (see
        :data:`ZERO_CHOICES`)."""
        if self.sigma0 is None or choice not in self.sigma0_choices:
            return self
        shift = self.sigma0 - self.sigma0_choices[choice]
        full = None if self.full_dsigma is None else self.full_dsigma + shift
        return replace(self, dsigma=self.dsigma + shift, full_dsigma=full,
                       sigma0=self.sigma0_choices[choice],
                       steps=self.steps + (f"sigma(0) by the {choice!r} choice",))

    @property
    def points(self) -> int:
        """Number of points."""
        return int(self.field.size)

    @property
    def field_window(self) -> tuple:
        """``(min |B|, max |B|)`` in T."""
        b = np.abs(self.field)
        return (float(b.min()), float(b.max())) if b.size else (0.0, 0.0)


def _symmetric_grid(B, points):
    bmax = min(B.max(), -B.min())
    if not bmax > 0:
        raise InputError(
            "symmetrization needs fields of both signs; measure B < 0 too or pass "
            "symmetrize=False")
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


def _measured_near(B, x, gap_factor=3.0):
    """True where ``x`` is a measured field or lies between two measured fields no farther
    apart than ``gap_factor`` times the typical spacing (no interpolation across a gap)."""
    Bu = np.unique(B)
    if Bu.size < 2:
        return np.isin(x, Bu)
    typical = float(np.median(np.diff(Bu)))
    i = np.clip(np.searchsorted(Bu, x), 1, Bu.size - 1)
    lo, hi = Bu[i - 1], Bu[i]
    exact = np.isclose(x, lo, rtol=0, atol=1e-9 * typical) | \
        np.isclose(x, hi, rtol=0, atol=1e-9 * typical)
    inside = (x >= Bu[0]) & (x <= Bu[-1])
    return exact | (inside & (hi - lo <= gap_factor * typical))


def _sigma_zero(B, sig, method):
    """sigma(0): ``'point'`` interpolates at B = 0 (or takes the smallest |B|); ``'local'``
    fits ``a + b B^2`` to the points at the three smallest distinct ``|B|`` and returns
    ``a`` (all the points near zero field vote, not one noisy reading), unless those
    points depart from the parabola by over four times the point-to-point noise (the
    low-field cusp is sharper than the field steps resolve): then the point at B = 0."""
    from weakloc.fitting.quality import noise_estimate

    babs = np.abs(B)
    if method == "local" and np.unique(babs).size >= 3:
        cut = np.unique(babs)[2]
        sel = babs <= cut
        X = np.stack([np.ones(int(sel.sum())), B[sel] ** 2], axis=1)
        coef = np.linalg.lstsq(X, sig[sel], rcond=None)[0]
        misfit = float(np.max(np.abs(sig[sel] - X @ coef)))
        noise = noise_estimate(B, sig)
        if not misfit > 4.0 * noise:
            return float(coef[0]), (f"sigma(0) from a + b B^2 through the {int(sel.sum())} "
                                    f"points with |B| <= {cut:.3g} T")
        point, how = _sigma_zero(B, sig, "point")
        return point, how + " (the cusp is sharper than the field steps: no local fit)"
    if B.min() > 0 or B.max() < 0:
        return float(sig[np.argmin(babs)]), f"sigma at the smallest |B| = {babs.min():.3g} T"
    return float(_interp(B, sig, np.array([0.0]))[0]), "sigma(0) interpolated at B = 0"


#: Choices of sigma(0) (see :func:`prepare_curve`).
ZERO_CHOICES = ("local", "point")


def prepare_curve(B, value, *, hall=None, quantity="dsigma", aspect=None, field_unit="T",
                  value_unit=None, current=None, symmetrize=True, subtract_zero=True,
                  bmax=None, grid_points=None, temperature=None, source="data",
                  read_steps=(), zero="local") -> Curve:
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
    value_unit : str, optional
        Unit of ``value`` (and of ``hall``), a key of :data:`VALUE_UNITS`: ``S mS uS e2/h
        2e2/h G0`` for conductances, ``Ohm kOhm MOhm`` or ``V`` (with ``current``) for
        resistances; default SI as above.
    current : float, optional
        Excitation current in A for ``value_unit='V'`` (``R = V / I``).
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
    read_steps : sequence of str
        Steps already taken while reading the file (listed first in :attr:`Curve.steps`).
    zero : {'local', 'point'}
        How ``sigma(0)`` is taken: ``'local'`` (default) fits ``a + b B^2`` through the
        points at the three smallest ``|B|`` (robust to one noisy reading, and exact for
        the quadratic low-field start of every model); ``'point'`` interpolates the
        measured value at ``B = 0``. Both are kept in :attr:`Curve.sigma0_choices` for the
        systematic scan of :func:`weakloc.fitting.fit.fit_curve`.

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
    steps = list(read_steps)
    if value_unit is not None or current is not None:
        y, kind, step = to_si(y, value_unit or "S", current=current, what="value")
        if kind == "Ohm" and quantity not in ("resistance", "sheet-resistance"):
            raise InputError(f"value unit {value_unit} is a resistance: pass quantity='resistance' "
                             "or 'sheet-resistance'")
        if kind == "S" and quantity in ("resistance", "sheet-resistance"):
            raise InputError(f"value unit {value_unit} is a conductance: pass "
                             "quantity='conductance' or 'sheet-conductance' or 'dsigma'")
        if hx is not None:
            hx = to_si(hx, value_unit, current=current, what="Hall value")[0]
        if step:
            steps.append(step + (" (Hall column too)" if hx is not None else ""))
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
                      f"{field_unit}; is the unit right? (pass field_unit=... with mT, G, Oe "
                      "or kOe)",
                      DataWarning, stacklevel=2)
        steps.append(f"warning: |B| up to {np.max(np.abs(B)):.3g} T is implausible")
    if hx is not None and quantity not in ("resistance", "sheet-resistance"):
        raise InputError("a Hall column needs quantity='resistance' or 'sheet-resistance' "
                         "(the tensor is inverted from resistivities)")
    if quantity in ("resistance", "conductance"):
        if aspect is None:
            raise InputError(f"quantity {quantity!r} needs the geometric factor: pass "
                             "aspect=... (length over width; see the docs for wires and 3D)")
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
            raise InputError(f"{source}: non-positive resistances; check quantity=...")
    else:
        sig = y * aspect if quantity == "conductance" else y
        if quantity == "conductance":
            steps.append(f"G -> sigma = G * {aspect:g}")

    if symmetrize and (B.min() >= 0 or B.max() <= 0):
        if B.max() <= 0:
            B = -B
        steps.append("only one field sign measured: taken as already symmetrized, "
                     "|B| used")
    elif symmetrize:
        grid = _symmetric_grid(B, grid_points)
        ok = _measured_near(B, grid) & _measured_near(B, -grid)
        if not np.all(ok):
            lost = grid[~ok]
            text = (f"{source}: {lost.size} of {grid.size} fields between "
                    f"{lost.min():.3g} and {lost.max():.3g} T dropped: the sweep has a gap at "
                    "+B or -B there and is not interpolated across it")
            warnings.warn(text, DataWarning, stacklevel=2)
            steps.append(text.split(": ", 1)[1])
            grid = grid[ok]
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
    if zero not in ZERO_CHOICES:
        raise InputError(f"unknown sigma(0) choice {zero!r}; use one of "
                         f"{', '.join(ZERO_CHOICES)}")
    sigma0, choices = None, {}
    if subtract_zero and quantity != "dsigma":
        for z in ZERO_CHOICES:
            choices[z], how = _sigma_zero(B, sig, z)
            if z == zero:
                sigma0 = choices[z]
                steps.append(f"subtracted {how}: {sigma0:.6g}")
        sig = sig - sigma0
    full_B, full_sig = B, sig
    if bmax is not None:
        if not bmax > 0:
            raise InputError(f"bmax must be positive (T), got {bmax!r}")
        keep = np.abs(B) <= bmax
        steps.append(f"kept {int(keep.sum())} of {B.size} points with |B| <= {bmax:g} T")
        B, sig = B[keep], sig[keep]
    return Curve(field=B, dsigma=sig, temperature=temperature, source=source,
                 steps=tuple(steps), sigma0=sigma0, sigma0_choices=choices,
                 full_field=full_B, full_dsigma=full_sig)


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
                layout="columns", **options) -> list:
    """Read files and prepare one :class:`Curve` per file (or per temperature).

    Parameters
    ----------
    paths : str, Path or list of them
        Data files (see :func:`read_table` for the formats).
    field, value : str or int
        Field and value columns, by header name or 1-based number.
    temperature : str or int, optional
        Temperature column (K): the file splits into one curve per temperature;
        rows whose sorted temperatures differ by less than ``temperature_rtol`` (relative)
        belong to the same curve, so a drifting thermometer reading does not split a sweep.
        Rows without a finite temperature and temperatures ``<= 0`` are refused.
    hall : str or int, optional
        Hall column (in the value's unit; Ohm by default).
    temperature_rtol : float
        Relative gap between sorted temperatures that starts a new curve (default 0.02).
    layout : {'columns', 'rows'}
        See :func:`read_table`.
    **options
        Passed to :func:`prepare_curve` (``quantity``, ``aspect``, ``field_unit``,
        ``value_unit``, ``current``, ``symmetrize``, ``subtract_zero``, ``bmax``,
        ``grid_points``).

    Returns
    -------
    list of Curve
        Sorted by temperature when known.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    curves = []
    for path in paths:
        cols = read_columns(path, {"field": field, "value": value, "hall": hall,
                                   "temperature": temperature}, layout=layout)
        src, read_steps = cols.source, cols.steps
        B, y = cols["field"], cols["value"]
        hx = cols.values.get("hall")
        if temperature is not None:
            T = cols["temperature"]
            bad = np.flatnonzero(~np.isfinite(T))
            if bad.size:
                raise InputError(
                    f"{src}: {bad.size} of {T.size} rows have no temperature in column "
                    f"{cols.names['temperature']!r} (first: data row {bad[0] + 1}); fill or "
                    "remove them, a curve is never dropped silently")
            if np.any(T <= 0):
                raise InputError(f"{src}: temperatures <= 0 K in column "
                                 f"{cols.names['temperature']!r}; temperatures are in K")
            labels = _temperature_groups(T, temperature_rtol)
            for g in np.unique(labels):
                sel = labels == g
                t = float(np.round(np.mean(T[sel]), 9))
                curves.append(prepare_curve(
                    B[sel], y[sel], hall=None if hx is None else hx[sel], temperature=t,
                    source=f"{src} (T = {t:g} K)", read_steps=read_steps, **options))
        else:
            curves.append(prepare_curve(B, y, hall=hx, source=src, read_steps=read_steps,
                                        **options))
    if all(c.temperature is not None for c in curves):
        curves.sort(key=lambda c: c.temperature)
    return curves
