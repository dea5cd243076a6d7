"""Input checks shared by every module; each raises :class:`InputError` naming the fix."""

from __future__ import annotations

import numpy as np

from weakloc.errors import InputError

__all__ = [
    "positive", "nonnegative", "finite_array", "choice", "dimension", "positive_int",
    "in_range", "speed", "lattice_value", "flux_value",
]

#: largest energy or disorder (units of the hopping t) a lattice computation accepts: far
#: beyond any physical model (band width 4d t), small enough that sums and squares of it
#: stay finite and meaningful in double precision
LATTICE_LIMIT = 1e6

#: speed of light in vacuum, m/s (exact, SI 2019)
C_LIGHT = 299_792_458.0


def finite_array(name: str, value, *, allow_empty: bool = False) -> np.ndarray:
    """``value`` as a float array; rejects NaN/inf and (unless allowed) empty input."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be numeric, got {value!r}") from None
    if arr.size == 0 and not allow_empty:
        raise InputError(f"{name} is empty; give at least one value")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} contains NaN or infinite values; remove or replace them")
    return arr


def positive(name: str, value, unit: str = "") -> np.ndarray:
    """``value`` as a float array, every element finite and > 0."""
    arr = finite_array(name, value)
    if np.any(arr <= 0):
        bad = arr[arr <= 0].ravel()[0]
        u = f" {unit}" if unit else ""
        raise InputError(f"{name} must be positive, got {bad:g}{u}")
    return arr


def nonnegative(name: str, value, unit: str = "") -> np.ndarray:
    """``value`` as a float array, every element finite and >= 0."""
    arr = finite_array(name, value)
    if np.any(arr < 0):
        bad = arr[arr < 0].ravel()[0]
        u = f" {unit}" if unit else ""
        raise InputError(f"{name} must be non-negative, got {bad:g}{u}")
    return arr


def in_range(name: str, value, lo: float, hi: float, *, closed: bool = False) -> np.ndarray:
    """``value`` inside (lo, hi), or [lo, hi] when ``closed``."""
    arr = finite_array(name, value)
    bad = (arr < lo) | (arr > hi) if closed else (arr <= lo) | (arr >= hi)
    if np.any(bad):
        br = "[]" if closed else "()"
        raise InputError(
            f"{name} must lie in {br[0]}{lo:g}, {hi:g}{br[1]}, got {arr[bad].ravel()[0]:g}"
        )
    return arr


def positive_int(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)):
        raise InputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        iv = int(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be an integer >= {minimum}, got {value!r}") from None
    if iv != value or iv < minimum:
        raise InputError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return iv


def dimension(value, allowed=(1, 2, 3)) -> int:
    """A spatial dimension among ``allowed``."""
    if isinstance(value, (bool, np.bool_)) or value not in allowed:
        raise InputError(
            f"dimension must be one of {', '.join(map(str, allowed))}, got {value!r}"
        )
    return int(value)


def choice(name: str, value, options) -> str:
    """``value`` among ``options``."""
    if value not in options:
        raise InputError(f"{name} must be one of {', '.join(map(str, options))}, got {value!r}")
    return value


def speed(name: str, value) -> np.ndarray:
    """A particle speed in m/s: finite, > 0 and below the speed of light."""
    arr = positive(name, value, "m/s")
    if np.any(arr >= C_LIGHT):
        raise InputError(f"{name} = {arr.max():g} m/s is not below the speed of light "
                         f"({C_LIGHT:g} m/s); give a speed in m/s")
    return arr


def lattice_value(name: str, value, limit: float = LATTICE_LIMIT) -> np.ndarray:
    """An energy-like lattice number (units of t): finite and at most ``limit`` in size."""
    arr = finite_array(name, value)
    if np.any(np.abs(arr) > limit):
        raise InputError(f"{name} = {np.abs(arr).max():g} t is beyond {limit:g} t; lattice "
                         "energies and disorder are in units of the hopping t (the band is "
                         "4d t wide)")
    return arr


def flux_value(name: str, value) -> np.ndarray:
    """A flux per plaquette in units of h/e, within [-1, 1] (it is periodic with period 1)."""
    arr = finite_array(name, value)
    if np.any(np.abs(arr) > 1):
        raise InputError(f"{name} = {np.abs(arr).max():g} h/e per plaquette: the flux is "
                         "periodic with period 1 h/e; give a value in [-1, 1]")
    return arr
