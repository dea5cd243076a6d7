r"""Simple random walks on the hypercubic lattice: recurrence (Polya) by Monte Carlo and exactly.

A walker on :math:`\mathbb Z^d` hops to one of its :math:`2d` neighbours with equal
probability each step. :math:`u_n` is the probability to be at the origin after :math:`n`
steps, :math:`f_n` the probability of the *first* return at step :math:`n`, and
:math:`F(n) = \sum_{k \le n} f_k` the probability to have returned by step :math:`n`. The
renewal equation :math:`u_n = \sum_{k=1}^{n} f_k u_{n-k}` (:math:`u_0 = 1`) links them, and
Polya's theorem says :math:`F(\infty) = 1` in d = 1, 2 (recurrent) and
:math:`F(\infty) = 1 - 1/u(1) = 0.340537...` in d = 3, with Watson's
:math:`u(1) = \sum_n u_n = 1.516386...`.

Finite walks see only :math:`F(n)`. In 3D the missing tail is known from the local central
limit theorem: :math:`u_n \simeq 2 (d/2\pi n)^{d/2}` for even n and
:math:`f_n \simeq u_n (1 - F_\infty)^2`, so

.. math::

    F_\infty - F(n) \simeq (1 - F_\infty)^2\, 2 \left(\frac{3}{2\pi}\right)^{3/2} n^{-1/2},

which :func:`polya_extrapolate` solves for :math:`F_\infty` (a quadratic). In 1D
:math:`1 - F(2m) = \binom{2m}{m} 4^{-m} \simeq 1/\sqrt{\pi m}`; in 2D
:math:`1 - F(n) \simeq \pi / \ln n`: both go to zero, the 2D one very slowly.

Lattice units: lattice constant a = 1, one step per unit time.

References
----------
Polya, Math. Ann. 84, 149 (1921); Watson, Q. J. Math. 10, 266 (1939); Montroll, Proc. Symp.
Appl. Math. 16, 193 (1964); Feller, *An Introduction to Probability Theory*, vol. 1, ch. XIII
(renewal equation).
"""

from __future__ import annotations

import dataclasses
import math

import numba as nb
import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments
from weakloc.errors import InputError
from weakloc.montecarlo._rng import next_u64, seed_state

__all__ = ["POLYA_3D", "LatticeReturn", "lattice_return", "exact_return",
           "polya_extrapolate", "tail_coefficient"]

#: Polya's return probability of the simple cubic lattice, 1 - 1/u(1) (Watson 1939).
POLYA_3D = 0.3405373296


@dataclasses.dataclass(frozen=True)
class LatticeReturn:
    r"""Monte Carlo first-return statistics of :func:`lattice_return`.

    Attributes
    ----------
    params : dict
        dim, walkers, steps and the integer ``seed``.
    n : ndarray
        Checkpoints (steps).
    returned, stderr : ndarray
        :math:`F(n)` (fraction of walkers back at the origin at least once by step n) and
        its binomial standard error.
    exact : ndarray
        :math:`F(n)` from the renewal equation (:func:`exact_return`).
    extrapolated, extrapolated_stderr : float or None
        3D only: :math:`F_\infty` from :func:`polya_extrapolate` at the last checkpoint.
    """

    params: dict
    n: np.ndarray
    returned: np.ndarray
    stderr: np.ndarray
    exact: np.ndarray
    extrapolated: float | None
    extrapolated_stderr: float | None

    def as_dict(self) -> dict:
        """Every field, arrays included (``weakloc.io.write_json`` writes it as JSON)."""
        return dataclasses.asdict(self)


@nb.njit(cache=True, parallel=True)
def _first_returns(keys, d, steps):
    n = keys.shape[0]
    out = np.zeros(n, dtype=np.int64)
    two_d = np.uint64(2 * d)
    for w in nb.prange(n):
        s = np.empty(4, dtype=np.uint64)
        seed_state(keys[w], s)
        x = np.zeros(3, dtype=np.int64)
        for k in range(1, steps + 1):
            r = ((next_u64(s) >> np.uint64(32)) * two_d) >> np.uint64(32)
            axis = int(r) >> 1
            x[axis] += 1 if (int(r) & 1) else -1
            if x[0] == 0 and x[1] == 0 and x[2] == 0:
                out[w] = k
                break
    return out


@renamed_arguments(walkers="samples")
def lattice_return(dim, *, samples=20000, steps=2000, checkpoints=None, seed=None):
    """Monte Carlo probability of having returned to the origin by step n.

    Parameters
    ----------
    dim : {1, 2, 3}
        Lattice dimension.
    samples : int
        Number of independent walkers (formerly ``walkers``).
    steps : int
        Length of each walk (steps, lattice units).
    checkpoints : array_like of int, optional
        Steps at which F(n) is reported; default 12 log-spaced values up to ``steps``.
    seed : int, SeedSequence or Generator, optional
        Root of the per-walker streams.

    Returns
    -------
    LatticeReturn
        F(n) with binomial errors, the exact F(n), and (3D) the extrapolated Polya constant.
    """
    from weakloc.montecarlo._rng import walker_keys

    d = v.dimension(dim)
    n_w = v.positive_int("samples", samples, minimum=2)
    steps = v.positive_int("steps", steps, minimum=2)
    if checkpoints is None:
        checkpoints = np.unique(np.geomspace(2, steps, 12).astype(int) // 2 * 2)
    cp = np.asarray(checkpoints, dtype=int)
    if cp.ndim != 1 or cp.size == 0 or cp.min() < 1 or cp.max() > steps:
        raise InputError(f"checkpoints must lie in 1..steps = {steps}")
    keys, root = walker_keys(seed, n_w)
    first = _first_returns(keys, d, steps)
    back = first > 0
    F = np.array([np.mean(back & (first <= c)) for c in cp])
    se = np.sqrt(F * (1 - F) / n_w)
    exact = exact_return(d, steps)[cp]
    ext = ext_se = None
    if d == 3:
        ext, ext_se = polya_extrapolate(F[-1], cp[-1], se[-1])
    return LatticeReturn(params={"dim": d, "samples": n_w, "steps": steps, "seed": root},
                         n=cp, returned=F, stderr=se, exact=exact, extrapolated=ext,
                         extrapolated_stderr=ext_se)


def exact_return(dim, steps) -> np.ndarray:
    r"""Exact :math:`F(n)`, n = 0..steps, from :math:`u_n` and the renewal equation.

    :math:`u_n` follows from the 1D values :math:`u^{(1)}_{2m} = \binom{2m}{m} 4^{-m}` by
    splitting the n steps among the d axes (multinomial convolution, done in log space):
    :math:`u_n = d^{-n} n! \sum_{n_1 + \dots + n_d = n} \prod_i u^{(1)}_{n_i} / n_i!`.

    Parameters
    ----------
    dim : {1, 2, 3}
        Lattice dimension.
    steps : int
        Largest n (cost O(steps^2)).

    Returns
    -------
    ndarray
        F(0..steps), dimensionless.
    """
    d = v.dimension(dim)
    N = v.positive_int("steps", steps, minimum=1)
    k = np.arange(N + 1)
    lg = np.array([math.lgamma(i + 1) for i in k])
    lb = np.full(N + 1, -np.inf)
    ev = k[::2]
    lb[::2] = lg[ev] - 2 * lg[ev // 2] - ev * math.log(2.0) - lg[ev]  # log(u1(k)/k!)
    lc = lb.copy()
    for _ in range(d - 1):
        new = np.full(N + 1, -np.inf)
        for n in range(N + 1):
            terms = lc[: n + 1] + lb[n::-1]
            m = terms.max()
            if np.isfinite(m):
                new[n] = m + math.log(np.exp(terms - m).sum())
        lc = new
    u = np.exp(lc + lg - k * math.log(d))
    u[0] = 1.0
    f = np.zeros(N + 1)
    for n in range(1, N + 1):
        f[n] = u[n] - np.dot(f[1:n], u[n - 1:0:-1])
    return np.cumsum(f)


def tail_coefficient(n, dim=3) -> float:
    r"""Tail coefficient :math:`c(n) = 2 (3/2\pi)^{3/2} n^{-1/2}` of the 3D walk.

    From :math:`f_k \simeq 2 (3/2\pi k)^{3/2} (1 - F_\infty)^2` for even k, summed over the
    even :math:`k > n` (an integral over all k): :math:`F_\infty - F(n) \simeq c(n)
    (1 - F_\infty)^2`. Dimensionless; n in steps.
    """
    if dim != 3:
        raise InputError("the Polya tail correction applies to the transient d = 3 walk")
    return 2.0 * (3.0 / (2 * math.pi)) ** 1.5 / math.sqrt(n)


def polya_extrapolate(F_n, n, stderr=0.0):
    r"""Polya's constant from a finite-time return probability :math:`F(n)` (3D).

    Solves :math:`F_\infty = F(n) + c\,(1 - F_\infty)^2` with :math:`c` from
    :func:`tail_coefficient`; the error is propagated from ``stderr``.

    Parameters
    ----------
    F_n : float
        Return probability by step n.
    n : int
        Number of steps (even, >> 1).
    stderr : float
        Standard error of ``F_n``.

    Returns
    -------
    tuple of float
        :math:`F_\infty` and its standard error.
    """
    c = tail_coefficient(n)
    root = math.sqrt(1 + 4 * c * (1 - F_n))
    y = (root - 1) / (2 * c)
    return 1 - y, stderr / root
