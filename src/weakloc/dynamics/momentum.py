r"""Disorder-averaged momentum distributions and coherent backscattering (CBS) in k-space.

A state launched with momentum ``k0`` into the disordered torus is evolved to the times
``t_j`` and Fourier transformed, ``n(k, t) = sum_s |psi_s(k, t)|^2`` with
``psi(k) = N^{-1} sum_r e^{-i k.r} psi(r)`` (so ``sum_k n = 1``), averaged over
realizations, each drawn from its own stream ``weakloc.seeding.stream(seed, i)``.

Observables (lattice units, ``t = a = hbar = 1``):

* **CBS contrast** ``C = <n(-k0)>/<n_bg> - 1``. The background ``n_bg`` is taken at the two
  mirror images of ``-k0`` on the same ring, ``(kx, -ky)`` and ``(-kx, ky)``: they lie at the
  same energy and at the same distance from ``+k0``'s reflections, so the diffusive
  (ladder) background there equals the one at ``-k0`` exactly by the square lattice's
  mirror symmetry (also with a field, which only smears the ring along ``kx``), while the
  crossed (Cooperon) term peaks only at ``-k0``. Standard error from the realization
  spread (delta method on the ratio of means).
* **forward contrast** (coherent forward scattering, Karpiuk et al., PRL 109, 190601
  (2012)): the same at ``+k0`` after removing the coherent (unscattered) part
  ``|<psi(k0)>|^2``.
* **peak width**: ``sigma`` of a Gaussian ``A exp(-q^2/(2 sigma^2))`` fitted to the excess
  ``n(-k0 + q) - n_mirror(q)`` (weighted by the mirror ladder), in ``1/a``; the diffusive
  Cooperon predicts ``sigma = 1/sqrt(2 D t)``.
* **ring anisotropy**: ``|sum n(k) e^{i(theta_k - theta_0)}| / sum n(k)`` over the shell
  ``|eps(k) - eps(k0)| < delta``: 1 when all weight sits at ``k0``, 0 for an isotropic ring.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.progress import progress_bar
from weakloc.seeding import root_entropy, stream

__all__ = ["momentum_distribution", "CBSResult", "cbs_momentum", "mirror_indices",
           "ratio_with_stderr", "fit_peak_width"]


def momentum_distribution(psi) -> np.ndarray:
    """``n(k) = sum_s |psi_s(k)|^2`` on the FFT grid (numpy order; ``k = 2 pi j / N``)."""
    psi = np.asarray(psi)
    n = psi.shape[0]
    f = np.fft.fft2(psi, axes=(0, 1)) / n
    a = np.abs(f) ** 2
    return a if a.ndim == 2 else a.sum(axis=2)


def mirror_indices(k0_index, size: int):
    """FFT indices of ``-k0``, ``+k0`` and the two mirrors ``(kx, -ky)``, ``(-kx, ky)``.

    Raises :class:`InputError` when a mirror coincides with ``+-k0`` (``k0`` on an axis or
    at the zone edge), since the background would then not be independent of the peak.
    """
    jx, jy = k0_index
    minus = ((-jx) % size, (-jy) % size)
    plus = (jx % size, jy % size)
    mirrors = [(jx % size, (-jy) % size), ((-jx) % size, jy % size)]
    if any(m in (minus, plus) for m in mirrors):
        raise InputError(
            "k0 lies on a lattice axis or the zone edge, so its mirror images coincide with "
            "+-k0; choose kx and ky both non-zero and different from -pi"
        )
    return minus, plus, mirrors


def ring_arc_mask(k0, size: int, inner: float, outer: float):
    """Pixels on the clean shell of ``-k0`` at ``inner <= |k + k0| / dk <= outer``.

    The shell is ``|eps(k) - eps(k0)| < 0.6 |grad eps(k0)| dk`` (about one pixel wide);
    the two arcs on either side of ``-k0`` give a local ring background that follows a
    ring distorted by a field (``dk = 2 pi/N``).
    """
    dk = 2 * np.pi / size
    kk = 2 * np.pi * np.fft.fftfreq(size)
    kx, ky = np.meshgrid(kk, kk, indexing="ij")
    ek = -2.0 * (np.cos(kx) + np.cos(ky))
    e0 = -2.0 * (np.cos(k0[0]) + np.cos(k0[1]))
    grad = 2.0 * np.hypot(np.sin(k0[0]), np.sin(k0[1]))
    dx = (kx + k0[0] + np.pi) % (2 * np.pi) - np.pi
    dy = (ky + k0[1] + np.pi) % (2 * np.pi) - np.pi
    dist = np.hypot(dx, dy) / dk
    mask = (np.abs(ek - e0) < 0.6 * grad * dk) & (dist >= inner) & (dist <= outer)
    if mask.sum() < 2:
        raise InputError("too few ring pixels for the background; use a larger lattice")
    return mask


def ratio_with_stderr(num, den):
    """``mean(num)/mean(den)`` over axis 0 and its delta-method standard error."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    s = num.shape[0]
    mn, md = num.mean(axis=0), den.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = mn / md
        if s > 1:
            resid = num - r * den
            err = np.sqrt(resid.var(axis=0, ddof=1) / s) / np.abs(md)
        else:
            err = np.full_like(r, np.nan)
    return r, err


def fit_peak_width(image, minus, mirrors, size: int, radius: int = 8) -> tuple:
    """Gaussian width (``1/a``) and height of the CBS excess around ``-k0`` in ``<n(k)>``.

    The excess ``e(q) = n(-k0 + q) - m(q)`` with ``m`` the mirror-reflected neighbourhoods
    is fitted by ``m(q) A exp(-|q|^2/(2 sigma^2))`` over ``|q| <= radius`` pixels.
    Returns ``(sigma, A)``: ``A`` is a contrast estimate that uses every pixel of the peak
    (less noisy than the single pixel at ``-k0`` when the peak spans several pixels).
    NaNs when the fit does not converge.
    """
    import warnings

    from scipy.optimize import OptimizeWarning, curve_fit

    dk = 2 * np.pi / size
    qs = np.arange(-radius, radius + 1)
    qx, qy = np.meshgrid(qs, qs, indexing="ij")
    keep = qx**2 + qy**2 <= radius**2
    qx, qy = qx[keep], qy[keep]
    peak = image[(minus[0] + qx) % size, (minus[1] + qy) % size]
    m1 = image[(mirrors[0][0] - qx) % size, (mirrors[0][1] + qy) % size]
    m2 = image[(mirrors[1][0] + qx) % size, (mirrors[1][1] - qy) % size]
    ladder = 0.5 * (m1 + m2)
    excess = peak - ladder
    q2 = (qx**2 + qy**2) * dk * dk

    def model(q2_, amp, sigma):
        return ladder * amp * np.exp(-q2_ / (2 * sigma * sigma))

    centre = qx.size // 2
    amp0 = excess[centre] / ladder[centre] if ladder[centre] > 0 else 0.5
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OptimizeWarning)
            popt, _ = curve_fit(model, q2, excess, p0=(amp0, 2 * dk), maxfev=4000)
    except (RuntimeError, ValueError):
        return float("nan"), float("nan")
    sigma = abs(float(popt[1]))
    if not (np.isfinite(sigma) and sigma < radius * dk * 2):
        return float("nan"), float("nan")
    return sigma, float(popt[0])


@dataclass(frozen=True, eq=False)
class CBSResult:
    """Disorder-averaged momentum distribution and CBS observables (lattice units).

    Attributes
    ----------
    times : ndarray
        Times in units of ``hbar/t``.
    n_k : ndarray, shape (times, N, N)
        ``<n(k, t)>`` on the FFT grid (``k = 2 pi j/N``, numpy order; use
        ``numpy.fft.fftshift`` for images).
    contrast, contrast_stderr : ndarray
        CBS contrast at ``-k0`` and its standard error.
    forward_contrast, forward_stderr : ndarray
        Coherent-forward-scattering contrast at ``+k0`` (coherent part removed).
    coherent_weight : ndarray
        ``|<psi(k0, t)>|^2``, the unscattered weight.
    peak_width : ndarray
        Gaussian width of the CBS peak (``1/a``), NaN where the fit failed.
    peak_fit_contrast : ndarray
        Height of that Gaussian relative to the ladder (a contrast from the whole peak).
    ring_anisotropy : ndarray
        First angular harmonic of the shell's weight (1: all at ``k0``; 0: isotropic).
    norm_error : float
        Largest ``| ||psi(t)|| - 1 |`` met.
    inputs : dict
        Every parameter, including the root ``seed``.
    peak_weight : ndarray or None
        ``<n(-k0, t)>``, the mean weight at ``-k0``.
    background : ndarray or None
        ``<n_bg(t)>``, the mean diffusive background (mirror pixels or ring arcs), so
        that ``contrast = peak_weight/background - 1``.
    """

    times: np.ndarray
    n_k: np.ndarray = dataclasses.field(repr=False)
    contrast: np.ndarray
    contrast_stderr: np.ndarray
    forward_contrast: np.ndarray
    forward_stderr: np.ndarray
    coherent_weight: np.ndarray
    peak_width: np.ndarray
    peak_fit_contrast: np.ndarray
    ring_anisotropy: np.ndarray
    norm_error: float
    symmetry: str
    inputs: dict
    peak_weight: np.ndarray | None = None
    background: np.ndarray | None = None

    def as_dict(self, images: bool = False) -> dict:
        """Result document (JSON-ready); ``images=True`` includes ``n_k``."""
        doc = {
            "times": self.times, "contrast": self.contrast,
            "contrast_stderr": self.contrast_stderr, "peak_width": self.peak_width,
            "forward_contrast": self.forward_contrast, "forward_stderr": self.forward_stderr,
            "coherent_weight": self.coherent_weight,
            "peak_fit_contrast": self.peak_fit_contrast, "ring_anisotropy": self.ring_anisotropy,
            "norm_error": self.norm_error, "symmetry": self.symmetry, "inputs": self.inputs,
            "units": {"time": "hbar/t", "momentum": "1/a", "energy": "t",
                      "peak_width": "1/a", "flux": "h/e per plaquette"},
        }
        if images:
            doc["n_k"] = self.n_k
        return doc


def cbs_momentum(lattice, k0, times, *, samples: int = 16, seed=None, energy=None,
                 filter_width=None, spin=None, tol: float = 1e-10, n_moments=None,
                 shell_width=None, background: str = "auto", packet_width=None,
                 progress: bool | None = None, streams=None) -> CBSResult:
    """Disorder-averaged ``n(k, t)`` and CBS observables for a plane wave (or packet) ``k0``.

    Parameters
    ----------
    lattice : TorusLattice
        The lattice description (size, disorder W, flux, spin-orbit).
    k0 : sequence of 2 float
        Launch momentum (``1/a``) on the ``2 pi/N`` grid, inside ``[-pi, pi)^2``, with
        both components non-zero (see :func:`mirror_indices`).
    times : sequence of float
        Increasing times (``hbar/t``), ``>= 0``.
    samples : int
        Number of disorder realizations; realization ``i`` uses ``stream(seed, i)``.
    seed : int or None
        Root seed (recorded; drawn from the OS when None).
    energy : float, optional
        Energy-filter the plane wave to a Gaussian shell of the disordered ``H`` centred
        here (``t``); None launches the bare plane wave (a quench).
    filter_width : float, optional
        Filter width ``sigma`` (``t``); default ``hbar/tau`` from the Born rate.
    spin : sequence of 2 complex, optional
        Initial spinor (spin-orbit lattices; default spin up).
    tol : float
        Chebyshev accuracy per time step (2-norm).
    n_moments : int, optional
        Force the number of Chebyshev moments (error when too few for ``tol``).
    shell_width : float, optional
        Energy half-width (``t``) of the shell for the ring anisotropy; default
        ``max(hbar/(2 tau), 2 v 2 pi/N)``.
    packet_width : float, optional
        Launch a Gaussian packet of this rms width (``a``) centred on the torus instead of
        a plane wave; its momentum spread ``1/(2 width)`` smears the CBS peak.
    background : {'auto', 'mirror', 'ring'}
        Where the diffusive background of the contrast is read: 'mirror' the two mirror
        images of ``-k0`` (exact by symmetry without a field), 'ring' the arcs of the ring
        next to ``-k0`` (beyond the peak; follows the ring's distortion by a field);
        'auto' is 'mirror' at zero flux and 'ring' otherwise.
    progress : bool, optional
        Progress on stderr by the package rule (:mod:`weakloc.progress`): ``None``
        (default) a bar on a terminal and log lines otherwise, ``False`` nothing.
    streams : sequence of numpy.random.Generator, optional
        One random stream per realization, used instead of ``stream(seed, i)`` (``samples``
        is then their number; ``seed`` is only recorded). With
        ``[weakloc.ensemble.task_rng(seed, params, r) for r in range(R)]`` this recomputes,
        images included, the realizations of a ``"cbs-momentum"`` sweep point
        (:func:`weakloc.dynamics.sweep.sweep_task`).

    Notes
    -----
    The realizations run one after another in this process. For many realizations or a
    grid of fluxes, disorders or sizes, run the ``"cbs-momentum"`` observable through the
    ensemble layer (:func:`weakloc.ensemble.run_sweep`, any executor): it carries the
    per-realization peak, background and contrast, and
    :func:`weakloc.dynamics.sweep.sweep_contrast` forms this function's contrast from them
    (the images ``n_k`` and the peak-width fit need this function).
    """
    from weakloc.dynamics import born
    from weakloc.dynamics.chebyshev import evolve, moments_needed
    from weakloc.dynamics.states import (
        check_energy,
        clean_dispersion,
        energy_filtered,
        gaussian_packet,
        grid_index,
        plane_wave,
    )

    k0 = np.asarray(v.finite_array("k0", k0), dtype=float)
    size = lattice.size
    idx = grid_index(k0, size)
    minus, plus, mirrors = mirror_indices(idx, size)
    times = v.finite_array("times", times)
    if times.ndim != 1 or np.any(times < 0) or np.any(np.diff(times) <= 0):
        raise InputError("times must be strictly increasing and >= 0 (units of hbar/t)")
    if streams is not None:
        streams = list(streams)
        samples = len(streams)
    samples = v.positive_int("samples", samples)
    if packet_width is not None:
        packet_width = float(v.positive("packet_width", packet_width))
    v.choice("background", background, ("auto", "mirror", "ring"))
    if background == "auto":
        background = "mirror" if lattice.flux == 0.0 else "ring"
    root = root_entropy(seed)
    eps0 = float(clean_dispersion(k0))
    if getattr(lattice, "disorder_kind", "box") != "box":
        raise InputError("cbs_momentum's Born scales are those of box disorder; for a "
                         f"{lattice.disorder_kind} potential evolve the states with "
                         "weakloc.dynamics.evolve and average momentum_distribution")
    e_ref = eps0 if energy is None else check_energy(energy, lattice.disorder)
    tau = None
    if abs(e_ref) < 4.0 and lattice.disorder > 0:
        tau = float(born.scattering_time(e_ref, lattice.disorder))
    if energy is not None:
        if filter_width is None:
            filter_width = 1.0 / tau if tau is not None else 0.5
        filter_width = float(v.positive("filter_width", filter_width))
    if n_moments is not None:   # validate before any heavy work
        w = lattice.spectral_bound() * 1.001
        dt = np.diff(np.concatenate([[0.0], times])).max()
        need = moments_needed(w * dt, tol)
        if int(n_moments) < need:
            raise InputError(
                f"n_moments={n_moments} is too few for tol={tol:g} over a time step "
                f"{dt:g} hbar/t: need at least {need} (or raise tol, or shorten steps)"
            )
    # shell for the ring anisotropy
    kk = 2 * np.pi * np.fft.fftfreq(size)
    kx, ky = np.meshgrid(kk, kk, indexing="ij")
    ek = -2.0 * (np.cos(kx) + np.cos(ky))
    vmax = 2.0 * np.sqrt(2.0)
    if shell_width is None:
        shell_width = max(0.5 / tau if tau else 0.0, 2 * vmax * 2 * np.pi / size)
    shell = np.abs(ek - eps0) < float(shell_width)
    phase = np.exp(1j * (np.arctan2(ky, kx) - np.arctan2(k0[1], k0[0])))[shell]

    arcs = None
    if background == "ring":
        dcoef = born.born_diffusion_constant(e_ref, lattice.disorder) if tau else None
        arcs = []
        for t in times:
            inner = 3.0
            if dcoef and t > 0:
                inner = max(3.0, 2.5 / (np.sqrt(2 * dcoef * t) * 2 * np.pi / size))
            arcs.append(ring_arc_mask(k0, size, inner, inner + 5.0))

    nt = times.size
    peak = np.empty((samples, nt))
    fwd = np.empty((samples, nt))
    bg = np.empty((samples, nt))
    amp = np.empty((samples, nt, lattice.spin), dtype=complex)
    n_sum = np.zeros((nt, size, size))
    norm_err = 0.0
    for i in progress_bar(progress, range(samples), desc="realizations",
                          unit="realization"):
        real = lattice.realize(stream(root, i) if streams is None else streams[i])
        if packet_width is None:
            psi0 = plane_wave(lattice, k0, spin)
        else:
            psi0 = gaussian_packet(lattice, k0, packet_width, spin=spin)
        if energy is not None:
            psi0, _ = energy_filtered(real, psi0, energy, filter_width)
        states = evolve(real, psi0, times, tol=tol, n_moments=n_moments)
        for j, psi in enumerate(states):
            norm_err = max(norm_err, abs(np.sqrt(np.vdot(psi, psi).real) - 1.0))
            f = np.fft.fft2(psi, axes=(0, 1)) / size
            nk = np.abs(f) ** 2
            if nk.ndim == 3:
                nk = nk.sum(axis=2)
            n_sum[j] += nk
            peak[i, j] = nk[minus]
            fwd[i, j] = nk[plus]
            if arcs is None:
                bg[i, j] = 0.5 * (nk[mirrors[0]] + nk[mirrors[1]])
            else:
                bg[i, j] = nk[arcs[j]].mean()
            amp[i, j] = f[plus]
    n_avg = n_sum / samples
    ratio, err = ratio_with_stderr(peak, bg)
    coh = (np.abs(amp.mean(axis=0)) ** 2).sum(axis=1)
    fratio, ferr = ratio_with_stderr(fwd - coh[None, :], bg)
    fits = np.array([fit_peak_width(n_avg[j], minus, mirrors, size) for j in range(nt)])
    ring = n_avg[:, shell]
    aniso = np.abs(ring @ phase) / ring.sum(axis=1)
    inputs = {
        "lattice": lattice.as_dict(), "k0": k0, "k0_index": idx, "times": times,
        "samples": samples, "seed": root,
        "streams": "stream(seed, i)" if streams is None else "given",
        "energy": energy, "filter_width": filter_width,
        "clean_energy_of_k0": eps0, "packet_width": packet_width, "tol": tol,
        "n_moments": n_moments,
        "shell_width": float(shell_width),
        "born_tau": tau, "background": background,
    }
    return CBSResult(times=times, n_k=n_avg, contrast=ratio - 1.0, contrast_stderr=err,
                     forward_contrast=fratio - 1.0, forward_stderr=ferr,
                     coherent_weight=coh, peak_width=fits[:, 0],
                     peak_fit_contrast=fits[:, 1], ring_anisotropy=aniso,
                     norm_error=float(norm_err), symmetry=lattice.symmetry, inputs=inputs,
                     peak_weight=peak.mean(axis=0), background=bg.mean(axis=0))

