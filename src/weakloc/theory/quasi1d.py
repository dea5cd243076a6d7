r"""Quasi-1D wires: the Drude mean free path and the DMPK localization length.

``xi = (beta N + 2 - beta) l`` (Dorokhov-Mello-Pereyra-Kumar), with ``l`` the length of
``<g> = N l/L`` fitted from the Ohmic growth of the resistance. Lengths in any unit (the
result comes in the unit of the input; lattice constants for weakloc's wires), conductances
in units of ``e^2/h``.
"""

from __future__ import annotations

import math

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError

__all__ = ["drude_mean_free_path", "quasi1d_localization_length"]


def drude_mean_free_path(lengths, mean_g, stderr, channels: int):
    r"""Mean free path from the Ohmic growth of the resistance of a diffusive wire.

    .. math::

        \frac{1}{\langle g\rangle} = \frac{L + L_0}{N\, l},

    a weighted straight-line fit of ``1/<g>`` against ``L`` (``L_0`` absorbs the contact
    resistance and the leads' mismatch); ``l = 1/(N * slope)``. This ``l`` is the one of
    random-matrix theory, ``<g> = N l/L`` for ``l << L << N l`` (Beenakker, Rev. Mod. Phys.
    69, 731 (1997)): ``(pi/2) l_tr`` in 2D, ``(4/3) l_tr`` in 3D. Fit a broken-time-reversal
    (unitary) ensemble, which has no weak-localization correction, for the cleanest ``l``.

    Parameters
    ----------
    lengths : array_like
        Wire lengths ``L`` (lattice constants).
    mean_g, stderr : array_like
        ``<g>`` (units of ``e^2/h``) and its standard error per length.
    channels : int
        ``N``: the channels ``g`` counts (spin-resolved when ``g`` is summed over spin).

    Returns
    -------
    (float, float)
        ``l`` and its standard error (lattice constants).
    """
    ls = v.positive("lengths", lengths).ravel()
    g = v.positive("mean_g", mean_g).ravel()
    se = v.positive("stderr", stderr).ravel()
    channels = v.positive_int("channels", channels)
    if not (ls.size == g.size == se.size) or ls.size < 2:
        raise InputError("drude_mean_free_path needs at least two lengths, one <g> and one "
                         "stderr per length")
    y = 1.0 / g
    wgt = (g**2 / se) ** 2
    a = np.vstack([np.ones_like(ls), ls]).T
    cov = np.linalg.inv(a.T @ (a * wgt[:, None]))
    p = cov @ (a.T @ (wgt * y))
    slope, slope_err = p[1], math.sqrt(cov[1, 1])
    if slope <= 0:
        raise InputError("1/<g> does not grow with L: the wires are not diffusive; use longer "
                         "wires or stronger disorder")
    mfp = 1.0 / (channels * slope)
    return float(mfp), float(mfp * slope_err / slope)


def quasi1d_localization_length(beta: int, channels, mfp):
    r"""Localization length of a quasi-1D wire, ``xi = (beta N + 2 - beta) l``.

    Dorokhov-Mello-Pereyra-Kumar theory (Beenakker, Rev. Mod. Phys. 69, 731 (1997),
    eq. (5.7)), for ``N >> 1``: ``(N + 1) l`` orthogonal, ``2 N l`` unitary, ``(4N - 2) l``
    symplectic, where for ``beta = 4`` ``N`` counts Kramers-degenerate channel pairs.

    Parameters
    ----------
    beta : {1, 2, 4}
        Dyson index.
    channels : array_like
        ``N`` (for a spinful unitary wire, every spin channel counts).
    mfp : array_like
        ``l`` of :func:`drude_mean_free_path` (any length unit).

    Returns
    -------
    ndarray
        ``xi`` in the unit of ``mfp``.
    """
    beta = int(v.choice("beta", beta, (1, 2, 4)))
    n = v.positive("channels", channels)
    mfp = v.positive("mfp", mfp)
    return (beta * n + 2 - beta) * mfp
