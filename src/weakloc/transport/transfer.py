r"""Localization lengths of quasi-1D strips and bars by the transfer-matrix method.

MacKinnon and Kramer, Phys. Rev. Lett. 47, 1546 (1981); Z. Phys. B 53, 1 (1983).

With ``V_x = H[x+1, x]`` (the convention of :mod:`weakloc.lattice`) the Schroedinger
equation of slice ``x`` gives the ``2n x 2n`` transfer matrix

.. math::

    \begin{pmatrix}\psi_{x+1}\\ \psi_x\end{pmatrix} = T_x
    \begin{pmatrix}\psi_x\\ \psi_{x-1}\end{pmatrix}, \qquad
    T_x = \begin{pmatrix} (V_x^\dagger)^{-1}(E - H_x) & -(V_x^\dagger)^{-1} V_{x-1} \\
    1 & 0 \end{pmatrix}.

A ``2n x n`` block is propagated through the product of the ``T_x`` of an infinitely long
bar and re-orthonormalized by a Householder QR every ``q`` slices; the sums of
``ln |R_jj|`` divided by the number of slices converge to the ``n`` positive Lyapunov
exponents ``gamma_1 > ... > gamma_n`` (in units of ``1/a``). The localization length is
``xi = 1/gamma_n`` (in lattice constants ``a``) and ``Lambda = xi/M`` with ``M`` the
width. The statistical error comes from the spread of batch estimates of ``gamma_n``
(batch means over consecutive stretches of the bar), and the run stops at the requested
relative precision or at the slice budget, whichever comes first.

The bar is unbounded: :attr:`Lattice.length <weakloc.lattice.Lattice.length>` is
irrelevant here, the slices come from :func:`weakloc.lattice.slices.draw_slice_chunk`.
Everything is in lattice units (``t = 1``, ``a = 1``; on the zigzag honeycomb ribbon, whose
two layers per period ``sqrt(3)`` are the transfer-matrix slices, lengths are in ``a_cc``
and ``Lambda = xi / N`` with ``N`` the number of zigzag chains).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.lattice import Lattice
from weakloc.lattice.slices import draw_slice_chunk, slice_structure
from weakloc.progress import progress_bar
from weakloc.seeding import as_generator, root_entropy, stream

__all__ = [
    "LocalizationResult", "localization_length", "localization_lengths", "sweep_task",
    "lyapunov_stderr", "localization_estimate",
]

#: number of batches for the batch-means error estimate
N_BATCHES = 32
#: chunks needed before the precision is trusted (and the run may stop)
MIN_CHUNKS = 16
DEFAULT_MAX_SLICES = 1_000_000
#: largest growth ``(gamma_1 - gamma_n) q`` allowed between two QRs (condition ~ e^18)
_MAX_GROWTH = 18.0
#: seconds per real floating-point operation (one core at about 10 GFLOP/s, as measured
#: in BENCHMARKS.md, "Localization") and the fixed cost of a slice, for the time estimate
_SECONDS_PER_FLOP = 1e-10
_SECONDS_PER_SLICE = 2e-7


@dataclass(frozen=True)
class LocalizationResult:
    """Outcome of :func:`localization_length` (lattice units: lengths in ``a``).

    Attributes
    ----------
    lambda_ : float
        ``Lambda = xi / M``, dimensionless (``M`` = width).
    lambda_stderr : float
        Its standard error.
    xi : float
        Localization length ``1/gamma_min`` in lattice constants.
    xi_stderr : float
        Its standard error.
    slices : int
        Slices that entered the estimate (after the discarded warm-up).
    precision_reached : float
        Relative standard error of ``gamma_min`` at the end of the run.
    converged : bool
        Whether ``precision_reached <= precision`` (the requested one).
    symmetry : str
        Wigner-Dyson class of the lattice.
    seed : int or None
        Root seed (None when a Generator was passed).
    exponents : ndarray or None
        All ``n`` positive Lyapunov exponents (``1/a``), largest first, when asked for.
    precision : float
        The requested relative precision.
    qr_interval : int
        Slices between two re-orthonormalizations.
    """

    lambda_: float
    lambda_stderr: float
    xi: float
    xi_stderr: float
    slices: int
    precision_reached: float
    converged: bool
    symmetry: str
    seed: int | None
    exponents: np.ndarray | None = None
    precision: float = 0.01
    qr_interval: int = 8

    def as_dict(self) -> dict:
        """Plain dict (``lambda_`` as ``lambda``), ready for JSON."""
        d = dataclasses.asdict(self)
        d["lambda"] = d.pop("lambda_")
        if d["exponents"] is None:
            d.pop("exponents")
        return d


def lyapunov_stderr(chunk_logs, chunk_slices, n_batches: int = N_BATCHES):
    r"""Batch-means estimate of a Lyapunov exponent and its standard error.

    .. math::

        \gamma = \frac{\sum_c \ell_c}{\sum_c n_c}, \qquad
        \sigma_\gamma^2 = \frac{\sum_b n_b (\gamma_b - \gamma)^2}{(B - 1) \sum_b n_b},

    with ``ell_c`` the summed ``ln |R_jj|`` of chunk ``c`` of ``n_c`` slices and
    ``gamma_b`` the estimate of batch ``b`` (``B`` batches of consecutive chunks).

    Parameters
    ----------
    chunk_logs, chunk_slices : array_like
        Per-chunk sums of ``ln |R_jj|`` and numbers of slices.
    n_batches : int
        Number of batches ``B`` (at most the number of chunks).

    Returns
    -------
    (float, float)
        ``gamma`` (``1/a``) and its standard error.
    """
    logs = np.asarray(chunk_logs, dtype=float)
    lens = np.asarray(chunk_slices, dtype=float)
    total = lens.sum()
    gamma = logs.sum() / total
    nb = min(n_batches, logs.size)
    if nb < 2:
        return float(gamma), math.inf
    bl = np.array([x.sum() for x in np.array_split(logs, nb)])
    bn = np.array([x.sum() for x in np.array_split(lens, nb)])
    var = np.sum(bn * (bl / bn - gamma) ** 2) / ((nb - 1) * total)
    return float(gamma), float(np.sqrt(var))


def _chunk_target(n: int, q: int) -> int:
    target = int(np.clip(16384 // max(n, 1), 64, 2048))
    return q * max(1, round(target / q))


class _Bar:
    """State of one infinitely long bar being propagated."""

    def __init__(self, lattice: Lattice, energy: float, rng: np.random.Generator,
                 start: str = "random"):
        self.lattice = lattice
        self.energy = float(energy)
        self.rng = rng
        st = slice_structure(lattice)
        self.struct = st
        self.dtype = np.float64 if st.real else np.complex128
        n = lattice.n
        self.n = n
        self.state = np.zeros((2, n, n), dtype=self.dtype)
        if start == "identity":
            self.state[0] = np.eye(n)
        else:
            # a fixed dense orthonormal start, not drawn from the disorder stream (so the
            # slices do not depend on it); it is forgotten during the warm-up
            a = np.random.default_rng(20261201).standard_normal((2 * n, n))
            qm = np.linalg.qr(a)[0]
            self.state[0] = qm[:n]
            self.state[1] = qm[n:]
        self.cur = 0
        self.drawn = 0    # slices drawn so far (the layer of the next one, if layered)
        s = st.spin
        self.static_bonds = self._cast(st.bond_blocks)
        self.static_x = self._cast(st.x_blocks)
        self.xprev = np.zeros((lattice.sites_per_slice, s, s), dtype=self.dtype)
        if self.static_x is not None:
            self.xprev[:] = self.static_x[0]
        else:
            self.xprev[:] = np.eye(s)

    def _cast_chunk(self, blocks):
        blocks = blocks.real if self.dtype == np.float64 else blocks
        return np.ascontiguousarray(blocks, dtype=self.dtype)

    def _cast(self, blocks):
        if blocks is None:
            return None
        blocks = blocks.real if self.dtype == np.float64 else blocks
        return np.ascontiguousarray(blocks[None], dtype=self.dtype)

    def advance(self, count: int, q: int) -> np.ndarray:
        """Propagate ``count`` (a multiple of ``q``) slices; return the summed ``ln R_jj``."""
        from weakloc.transport._tmkernel import run_chunk

        raw = draw_slice_chunk(self.lattice, self.rng, count, self.drawn)
        self.drawn += count
        bonds = self.static_bonds
        if bonds is None:
            bonds = self._cast_chunk(raw["bond_blocks"])
        xb = self.static_x
        if xb is None:
            xb = self._cast_chunk(raw["x_blocks"])
        logs = np.zeros(self.n)
        st = self.struct
        self.cur = run_chunk(self.state, self.cur, np.ascontiguousarray(raw["onsite"]),
                             bonds, xb, self.xprev, self.energy, float(st.hopping), int(q),
                             st.frm, st.to, int(st.spin), logs)
        return logs


def localization_estimate(lattice: Lattice, precision: float = 0.01,
                      max_slices: int = DEFAULT_MAX_SLICES) -> tuple[float, float]:
    """Rough memory (bytes) and time (s, one core) of :func:`localization_length`.

    With ``n`` orbitals per slice the block is ``2n x n``: a QR every ``q ~ 8`` slices
    costs about ``6.7 n^3 / q`` real flops per slice and the slice step ``20 n^2`` (four
    times as many for complex arithmetic: a field or spin-orbit). The number of slices is
    ``M / p^2`` for a precision ``p`` and a width ``M`` (the variance of a Lyapunov exponent
    is about ``c gamma / L`` with ``c`` of order one, and ``xi = 1/gamma`` is of order
    ``M`` near a transition; a 10 x 10 bar at 0.5 % and an 8-wide strip at 1 % took 0.23
    and 1.2 times this), at least the warm-up and ``MIN_CHUNKS`` chunks, at most
    ``max_slices``: an order of magnitude, not a forecast.
    """
    n = lattice.n
    real = lattice.symmetry == "orthogonal"
    chunk = _chunk_target(n, 8)
    slices = min(float(max_slices),
                 max(lattice.width / precision**2, (MIN_CHUNKS + 1) * chunk))
    flops = (6.7 * n**3 / 8 + 20.0 * n**2) * (1 if real else 4)
    seconds = slices * (flops * _SECONDS_PER_FLOP + _SECONDS_PER_SLICE)
    item = 8 if real else 16
    need = 10.0 * n * n * item + chunk * lattice.sites_per_slice * item * 8
    return need, seconds


def _check_inputs(lattice, energy, precision, max_slices, qr_interval):
    if not isinstance(lattice, Lattice):
        raise InputError("lattice must be a weakloc.lattice.Lattice; build one with "
                         "Lattice(dim=..., width=..., disorder=...)")
    energy = float(v.finite_array("energy", energy))
    precision = float(v.in_range("precision", precision, 0.0, 1.0))
    max_slices = v.positive_int("max_slices", max_slices)
    if qr_interval is not None:
        qr_interval = v.positive_int("qr_interval", qr_interval)
        if qr_interval > 64:
            raise InputError(f"qr_interval must be <= 64 (got {qr_interval}); larger "
                             "intervals lose the smallest exponent to round-off")
    q_min = qr_interval or 1
    if max_slices < 2 * MIN_CHUNKS * q_min:
        raise InputError(f"max_slices must be at least {2 * MIN_CHUNKS * q_min} "
                         f"(warm-up plus {MIN_CHUNKS} chunks of qr_interval slices)")
    n = lattice.n
    mem = 8 * n * n * (2 if lattice.symmetry == "orthogonal" else 4) * 4
    if mem > 8e9:
        from weakloc.errors import ResourceError

        raise ResourceError(f"a cross-section of {n} states needs ~{mem / 1e9:.0f} GB for the "
                            "transfer-matrix block; use a smaller width or height")
    return energy, precision, max_slices, qr_interval


def localization_length(lattice: Lattice, energy: float, *, seed=None, precision: float = 0.01,
                        max_slices: int = DEFAULT_MAX_SLICES, qr_interval: int | None = None,
                        spectrum: bool = False, progress: bool | None = None,
                        force: bool = False) -> LocalizationResult:
    r"""Localization length of an infinitely long strip or bar (MacKinnon-Kramer).

    .. math::

        \gamma_n = \lim_{L\to\infty} \frac{1}{L} \sum_{\text{QR steps}} \ln |R_{nn}|,
        \qquad \xi = 1/\gamma_n, \qquad \Lambda = \xi / M,

    with ``gamma_n`` the smallest positive Lyapunov exponent of the product of transfer
    matrices (MacKinnon and Kramer, Z. Phys. B 53, 1 (1983)).

    Parameters
    ----------
    lattice : Lattice
        Cross-section (``width`` M, ``height``), disorder, field, spin-orbit model and
        transverse boundary; ``length`` is irrelevant (the bar is infinitely long).
    energy : float
        Fermi energy in units of ``t``.
    seed : int, numpy.random.SeedSequence, numpy.random.Generator or None
        Source of the disorder; the root seed is recorded in the result.
    precision : float
        Requested relative standard error of ``gamma_n`` (and so of ``xi``), in (0, 1).
    max_slices : int
        Slice budget. When it is spent first the result has ``converged = False`` and
        ``precision_reached`` says how far the run got (no exception).
    qr_interval : int, optional
        Slices between QR re-orthonormalizations; by default chosen after the warm-up so
        that the block's condition number stays below about ``e^18``.
    spectrum : bool
        Also return all ``n`` positive exponents.
    progress : bool, optional
        Progress on stderr by the package rule (:mod:`weakloc.progress`): ``None``
        (default) a bar on a terminal and log lines otherwise, ``False`` nothing.
    force : bool
        Run even when :func:`localization_estimate` says the run needs more memory than is
        free or more than an hour (:data:`weakloc.resources.TIME_LIMIT`); without it such
        a run is refused up front (:class:`~weakloc.errors.ResourceError`, with the
        estimate). A run of over a minute is announced on stderr unless ``progress=False``.

    Returns
    -------
    LocalizationResult
        ``xi`` and ``lambda_`` with standard errors from batch means.

    Notes
    -----
    The first chunk of slices (a few hundred to a few thousand, depending on the
    cross-section) is a warm-up, discarded so the block forgets its initial condition.
    An orthogonal model (no field, no spin-orbit or ``S = 0``) runs in real arithmetic.
    """
    energy, precision, max_slices, qr_interval = _check_inputs(
        lattice, energy, precision, max_slices, qr_interval)
    _check_resources(lattice, precision, max_slices, force, progress)
    root = None
    if seed is None or isinstance(seed, (int, np.integer)):
        root = root_entropy(seed)
        rng = as_generator(root)
    else:
        rng = as_generator(seed)
    # numba's QR calls scipy's LAPACK: load it first so that the limit below reaches it
    # (a multithreaded QR of these small blocks is many times slower on a busy machine)
    import scipy.linalg.cython_lapack  # noqa: F401
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _run(lattice, energy, rng, root, precision, max_slices, qr_interval, spectrum,
                    progress)


def _check_resources(lattice, precision, max_slices, force, progress):
    """Refuse a run over the memory or time limit up front (see :func:`localization_estimate`)."""
    from weakloc.resources import check_memory, check_time

    need, seconds = localization_estimate(lattice, precision, max_slices)
    what = (f"a localization length of a cross-section of {lattice.n} orbitals to precision "
            f"{precision:g} (up to {max_slices} slices)")
    check_memory(need, what, force=force)
    check_time(seconds, what, force=force, stream=False if progress is False else None)


def _run(lattice, energy, rng, root, precision, max_slices, qr_interval, spectrum, progress):
    bar = _Bar(lattice, energy, rng)
    n = bar.n
    cap = max(1, max_slices // (2 * MIN_CHUNKS))
    # warm-up (discarded); it also measures the spread of exponents to choose q
    q = qr_interval or 4
    warm = min(_chunk_target(n, q), cap // q * q)
    wlogs = bar.advance(warm, q)
    if qr_interval is None:
        spread = max((wlogs[0] - wlogs[-1]) / warm, 1e-12)
        q = int(np.clip(_MAX_GROWTH // spread, 1, 16))
    chunk = max(q, min(_chunk_target(n, q), cap // q * q))
    budget = max_slices - warm
    logs_min, lens, total = [], [], np.zeros(n)
    done = 0
    rel = math.inf
    gamma = math.nan
    err = math.inf
    with progress_bar(progress, total=budget, unit="slice",
                      desc=f"xi M={lattice.width}") as bar_:
        while budget - done >= q:
            c = min(chunk, (budget - done) // q * q)
            lg = bar.advance(c, q)
            logs_min.append(lg[-1])
            lens.append(c)
            total += lg
            done += c
            bar_.update(c)
            if len(lens) >= MIN_CHUNKS:
                gamma, err = lyapunov_stderr(logs_min, lens)
                rel = err / gamma if gamma > 0 else math.inf
                bar_.set_postfix(precision=f"{rel:.2e}")
                if rel <= precision:
                    break
    # slices (layers) per unit length: 1 on the square and cubic lattices, 2/sqrt(3) per
    # a_cc on the zigzag honeycomb ribbon (two layers per period sqrt(3))
    model = lattice.slice_model()
    scale = model.slice_length / model.p
    if gamma > 0:
        xi = scale / gamma
        xi_err = xi * rel
    else:
        xi, xi_err = math.inf, math.inf
    m = lattice.width
    exps = np.sort(total / done / scale)[::-1] if spectrum else None
    return LocalizationResult(
        lambda_=xi / m, lambda_stderr=xi_err / m, xi=xi, xi_stderr=xi_err, slices=int(done),
        precision_reached=float(rel), converged=bool(rel <= precision),
        symmetry=lattice.symmetry, seed=root, exponents=exps, precision=precision,
        qr_interval=int(q))


def _one(args):
    lattice, energy, key, kwargs = args
    return localization_length(lattice, energy, seed=stream(*key), **kwargs)


def localization_lengths(lattices, energies, *, seed=None, workers: int = 1, **kwargs) -> list:
    """Many independent bars (lattices x energies), spread over ``workers`` processes.

    Bar ``i`` (in the order of the flattened ``lattices x energies`` grid) gets the random
    stream ``weakloc.seeding.stream(seed, i)``, so the results do not depend on ``workers``.

    Parameters
    ----------
    lattices : Lattice or sequence of Lattice
        Cross-sections and disorders.
    energies : float or sequence of float
        Energies in units of ``t``.
    seed : int or None
        Root seed (recorded; drawn from the OS when None).
    workers : int
        Processes to use (1: in this process).
    **kwargs
        Passed to :func:`localization_length` (``precision``, ``max_slices``, ...).

    Returns
    -------
    list of LocalizationResult
        One per (lattice, energy), lattices outermost.
    """
    lats = [lattices] if isinstance(lattices, Lattice) else list(lattices)
    ens = np.atleast_1d(v.finite_array("energies", energies)).ravel().tolist()
    workers = v.positive_int("workers", workers)
    root = root_entropy(seed)
    jobs = [(lat, e, (root, i), kwargs)
            for i, (lat, e) in enumerate((lat, e) for lat in lats for e in ens)]
    if not jobs:
        raise InputError("no lattices given; pass at least one Lattice")
    for lat, e, _, kw in jobs[:1]:
        _check_inputs(lat, e, kw.get("precision", 0.01), kw.get("max_slices",
                      DEFAULT_MAX_SLICES), kw.get("qr_interval"))
    for lat in lats:
        _check_resources(lat, kwargs.get("precision", 0.01),
                         kwargs.get("max_slices", DEFAULT_MAX_SLICES),
                         kwargs.get("force", False), False)
    if workers == 1 or len(jobs) == 1:
        out = [_one(j) for j in jobs]
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as ex:
            out = list(ex.map(_one, jobs))
    return [dataclasses.replace(r, seed=root) for r in out]


_TASK_KEYS = ("energy", "precision", "max_slices", "qr_interval")


def sweep_task(params: dict, rng: np.random.Generator) -> dict[str, float]:
    """One localization-length task for the ensemble layer.

    Parameters
    ----------
    params : dict
        :class:`~weakloc.lattice.Lattice` fields (``dim``, ``width``, ``height``,
        ``disorder``, ``flux``, ``spin_orbit``, ``soc``, ``boundary``, ...; ``length`` is
        ignored) plus ``energy`` (units of ``t``, default 0), ``precision`` (default 0.01),
        ``max_slices`` and optionally ``qr_interval``.
    rng : numpy.random.Generator
        The task's own random stream.

    Returns
    -------
    dict
        ``lambda`` (= xi/M), ``lambda_stderr``, ``xi`` (lattice constants), ``slices``
        and ``converged`` (1.0 or 0.0).
    """
    p = dict(params)
    kw = {k: p.pop(k) for k in _TASK_KEYS if k in p}
    fields = {f.name for f in dataclasses.fields(Lattice)}
    unknown = sorted(set(p) - fields)
    if unknown:
        raise InputError(f"unknown localization parameter {unknown[0]!r}; use Lattice fields "
                         f"or {', '.join(_TASK_KEYS)}")
    energy = kw.pop("energy", 0.0)
    # a task runs what it is given: the memory and time limits are checked up front,
    # where the grid is made (lambda_grid, ``weakloc scaling --force``), so that forcing a
    # run needs no task parameter (one would change the random streams)
    res = localization_length(Lattice(**p), energy, seed=rng, progress=False, force=True,
                              max_slices=kw.pop("max_slices", DEFAULT_MAX_SLICES), **kw)
    return {"lambda": float(res.lambda_), "lambda_stderr": float(res.lambda_stderr),
            "xi": float(res.xi), "slices": float(res.slices),
            "converged": float(res.converged)}
