r"""The scaling function ``beta(g) = d<ln g>/d ln L`` from Landauer conductances.

* :func:`beta_from_conductance` measures it from disorder-averaged Landauer conductances
  of squares (2D) or cubes (3D) of growing side ``L``;
* :func:`beta_numeric` is the finite-difference step on its own, for any table of
  ``<ln g>(L)``.

Lattice units throughout (``t = 1``, lengths in lattice constants ``a``); conductances in
units of ``e^2/h`` summed over the spin states the model has. The closed form to compare
with is :func:`weakloc.theory.beta_function`.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.seeding import root_entropy, stream

__all__ = ["BetaResult", "beta_numeric", "beta_from_conductance"]


@dataclass(frozen=True)
class BetaResult:
    """``beta(ln g)`` measured from ``<ln g>(L)`` (see :func:`beta_from_conductance`).

    Attributes
    ----------
    lengths : ndarray
        Sides ``L`` of the squares or cubes (lattice constants).
    ln_g, ln_g_err : ndarray
        ``<ln g>`` (g in units of ``e^2/h``) and its standard error, per ``L``.
    ln_g_mid, beta, beta_err : ndarray
        Midpoints ``(<ln g>_i + <ln g>_{i+1})/2`` and
        ``beta = d<ln g>/d ln L`` by finite differences, with errors.
    dim, symmetry : int, str
        Dimension and class.
    samples : int
        Realizations per size.
    seed : int or None
        Root seed: size ``i``, sample ``j`` used ``stream(seed, i, j)``.
    four_terminal : bool
        Whether the contact resistance ``1/N`` was subtracted.
    """

    lengths: np.ndarray
    ln_g: np.ndarray
    ln_g_err: np.ndarray
    ln_g_mid: np.ndarray
    beta: np.ndarray
    beta_err: np.ndarray
    dim: int = 2
    symmetry: str = "orthogonal"
    samples: int = 0
    seed: int | None = None
    four_terminal: bool = True

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def beta_numeric(lengths, mean_ln_g, stderr=None):
    r"""Finite-difference scaling function from a table of ``<ln g>`` against ``L``.

    .. math::

        \beta_{i+1/2} = \frac{\langle\ln g\rangle_{i+1} - \langle\ln g\rangle_i}
                             {\ln L_{i+1} - \ln L_i}

    at ``ln g_{i+1/2} = (<ln g>_i + <ln g>_{i+1})/2``, errors added in quadrature for
    independent sizes.

    Parameters
    ----------
    lengths : array_like
        Increasing sizes ``L`` (any length unit).
    mean_ln_g : array_like
        ``<ln g>`` at each ``L`` (g dimensionless, e.g. in units of ``e^2/h``).
    stderr : array_like, optional
        Standard errors of ``<ln g>``.

    Returns
    -------
    (ndarray, ndarray, ndarray)
        ``ln g`` midpoints, ``beta`` and its standard error (NaN without ``stderr``).
    """
    ls = v.positive("lengths", lengths).ravel()
    lg = v.finite_array("mean_ln_g", mean_ln_g).ravel()
    if ls.size != lg.size or ls.size < 2:
        raise InputError("beta_numeric needs at least two sizes and one <ln g> per size")
    if np.any(np.diff(ls) <= 0):
        raise InputError("lengths must be strictly increasing")
    se = np.full(ls.size, np.nan) if stderr is None else v.nonnegative(
        "stderr", stderr).ravel()
    dl = np.diff(np.log(ls))
    beta = np.diff(lg) / dl
    berr = np.sqrt(se[1:] ** 2 + se[:-1] ** 2) / dl
    return 0.5 * (lg[1:] + lg[:-1]), beta, berr


def beta_from_conductance(lattice, lengths, energy: float, *, samples: int, seed=None,
                          four_terminal: bool = True, progress: bool | None = None
                          ) -> BetaResult:
    r"""Scaling function ``beta(g)`` from Landauer conductances of squares or cubes.

    For each side ``L`` the lattice is resized to ``width = length = L`` (and ``height =
    L`` in 3D), ``samples`` realizations are solved by
    :func:`weakloc.transport.landauer.conductance_ensemble` and ``<ln g>`` is averaged (the
    typical conductance ``exp <ln g>``). With ``four_terminal`` the contact resistance of
    the ``N`` open lead channels is removed, ``1/g_4 = 1/g - 1/N`` (Buttiker), which is what
    the bulk scaling theory describes; it matters only for ``g`` comparable to ``N``.
    Then ``beta = d<ln g>/d ln L`` (:func:`beta_numeric`), to be compared with
    :func:`weakloc.theory.beta_function` (Abrahams et al., PRL 42, 673 (1979)).

    Parameters
    ----------
    lattice : weakloc.lattice.Lattice
        Disorder, class and boundary; ``width``, ``length`` and ``height`` are replaced.
    lengths : array_like of int
        Increasing sides ``L`` (lattice constants).
    energy : float
        Fermi energy in units of ``t``.
    samples : int
        Realizations per size.
    seed : int or None
        Root seed; size ``i`` uses the root ``stream(seed, i)``-derived integer.
    four_terminal : bool
        Subtract the contact resistance.
    progress : bool, optional
        Progress bars on stderr (default: when stderr is a terminal).

    Returns
    -------
    BetaResult
    """
    from weakloc.transport.landauer import conductance_ensemble

    ls = np.asarray(lengths)
    if ls.ndim != 1 or ls.size < 2:
        raise InputError("lengths must list at least two sizes L")
    ls = np.array([v.positive_int("lengths", x) for x in ls.tolist()])
    if np.any(np.diff(ls) <= 0):
        raise InputError("lengths must be strictly increasing")
    samples = v.positive_int("samples", samples, minimum=2)
    root = root_entropy(seed)
    lng, lng_err = [], []
    for i, side in enumerate(ls):
        side = int(side)
        lat = lattice.with_(width=side, length=side,
                            height=side if lattice.dim == 3 else None)
        sub = int(stream(root, i).integers(2**63))
        res = conductance_ensemble(lat, energy, samples=samples, seed=sub, method="caroli",
                                   progress=progress, workers=1)
        g = np.asarray(res.values, float)
        if four_terminal:
            g = 1.0 / np.clip(1.0 / g - 1.0 / res.open_channels, 1e-300, None)
        lg = np.log(g)
        lng.append(lg.mean())
        lng_err.append(lg.std(ddof=1) / math.sqrt(samples))
    lng, lng_err = np.array(lng), np.array(lng_err)
    mid, beta, berr = beta_numeric(ls, lng, lng_err)
    return BetaResult(lengths=ls, ln_g=lng, ln_g_err=lng_err, ln_g_mid=mid, beta=beta,
                      beta_err=berr, dim=lattice.dim, symmetry=lattice.symmetry,
                      samples=samples, seed=root, four_terminal=bool(four_terminal))
