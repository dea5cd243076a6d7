r"""Two-terminal Landauer conductance by the recursive Green's function method.

For one disorder realization of a :class:`weakloc.lattice.Lattice` attached to clean leads,
the dimensionless conductance (Landauer; Fisher and Lee, Phys. Rev. B 23, 6851 (1981)) is

.. math::

   g = \mathrm{Tr}\, t^\dagger t
     = \mathrm{Tr}\,[\Gamma_R G_{N0} \Gamma_L G_{N0}^\dagger]
     = \mathrm{Tr}\,[\Gamma_R A_{NN}] - \mathrm{Tr}\,[\Gamma_R G_{NN} \Gamma_R G_{NN}^\dagger],

in units of ``e^2/h`` **per spin channel summed**: a spinless model counts each orbital
channel once (multiply by 2 yourself for a spin-degenerate electron gas), a model with spin
(``spin_orbit='su2'`` or ``'ando'``) already counts both spins. ``Gamma = i(Sigma -
Sigma^+)`` are the lead broadenings (exact, :mod:`weakloc.transport.leads`), ``A = i(G -
G^+) = G (Gamma_L + Gamma_R) G^+`` the spectral function. The last form (``method=
'unitarity'``, the default) needs only the Green's function of the last slice, so the sweep
is one complex inversion per slice; ``method='caroli'`` carries ``G_{N0}`` as well and keeps
full relative precision for exponentially small ``g`` (deeply localized samples).

Energies are in units of the hopping ``t``, fluxes per plaquette in units of ``h/e``.
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import os
import threading
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from weakloc._validate import finite_array, positive_int
from weakloc.errors import InputError, ResourceError
from weakloc.lattice import Lattice, Realization
from weakloc.lattice.spin import SpinDegenerate
from weakloc.progress import progress_bar
from weakloc.seeding import root_entropy, stream
from weakloc.transport import leads as _leads
from weakloc.transport.leads import (
    check_open,
    closed_form_self_energy,
    lead_modes,
    self_energies,
    transverse_modes,
)
from weakloc.transport.rgf import SliceStream, sweep

__all__ = [
    "conductance", "conductance_batch", "conductance_ensemble", "ConductanceResult",
    "sweep_task", "open_channels", "memory_estimate",
]

_METHODS = ("unitarity", "caroli")


def _energy(energy) -> float:
    e = np.asarray(energy, dtype=float) if not isinstance(energy, str) else None
    if e is None or e.ndim != 0 or not np.isfinite(e):
        raise InputError(f"energy must be one finite number (units of t), got {energy!r}")
    return float(e)


def memory_estimate(lattice: Lattice, batch: int = 1, workers: int = 1) -> int:
    """Bytes a conductance sweep of ``lattice`` needs (independent of its length).

    ``batch`` (energies x fluxes swept together; :func:`conductance_batch` splits larger
    batches into groups of about 1 GiB) Green's functions, self-energies and temporaries of
    ``n x n`` complex, the lead eigenproblem of ``2n x 2n``, and one chunk of slices,
    per worker.
    """
    n = lattice.n
    per = 16 * n * n * (4 * batch + 3) + 16 * (2 * n) ** 2 * 6
    if lattice.spin_physics.random:
        per += min(8_000_000, 16 * n * n * lattice.length) * 2
    return int(per * workers)


def _check_memory(lattice: Lattice, batch: int, workers: int) -> None:
    need = memory_estimate(lattice, batch, workers)
    try:
        import psutil

        free = psutil.virtual_memory().available
    except ImportError:  # pragma: no cover - psutil comes with distributed
        return
    if need > free:
        raise ResourceError(
            f"a cross-section of {lattice.n} orbitals needs about {need / 2**30:.2f} GiB but "
            f"only {free / 2**30:.2f} GiB is free; reduce width/height, the number of "
            "fluxes or energies, or the workers"
        )


class _BlasSingleThread:
    """Re-entrant, thread-safe "BLAS on one thread" region (workers parallelize instead).

    At the matrix sizes of a slice (``n`` ~ 10-500) a threaded BLAS gains little and, on a
    shared machine, loses a lot; realizations run in parallel threads instead.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._depth = 0
        self._ctx = None
        self._controller = None

    def __enter__(self):
        with self._lock:
            if self._depth == 0:
                if self._controller is None:
                    # load scipy's LAPACK (what the numba kernel calls) before listing
                    import scipy.linalg.cython_lapack  # noqa: F401
                    from threadpoolctl import ThreadpoolController

                    self._controller = ThreadpoolController()
                self._ctx = self._controller.limit(limits=1, user_api="blas")
            self._depth += 1
        return self

    def __exit__(self, *exc):
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._ctx is not None:
                self._ctx.restore_original_limits()
                self._ctx = None
        return False


_blas_single = _BlasSingleThread()


def _single_blas(fn):
    """Run ``fn`` with BLAS on one thread (see :class:`_BlasSingleThread`)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _blas_single:
            return fn(*args, **kwargs)

    return wrapper


def _lead_key(lattice: Lattice, flux: float) -> Lattice:
    """The part of a lattice its leads depend on (cross-section, spin, fields, hopping)."""
    spin = lattice.spin
    return Lattice(dim=lattice.dim, width=lattice.width, length=1, height=lattice.height,
                   flux=flux, spin_model=SpinDegenerate(spin) if spin > 1 else None,
                   boundary=lattice.boundary, hopping=lattice.hopping,
                   lattice=lattice.lattice, edge=lattice.edge,
                   cylinder_flux=lattice.cylinder_flux)


def _layered_self_energies(model, energy: float):
    """Self-energies on the first and last layer of a layered sample (honeycomb).

    The lead is reduced to an invertible chain (:meth:`SliceModel.reduced_lead`), whose
    self-energies come from :func:`~weakloc.transport.leads.self_energies`; the eliminated
    sites between lead and sample add ``W G_OO W^+`` on the left, and the right lead's first
    slice is closed with its own onsite block.
    """
    red = model.reduced_lead(energy)
    sv = np.linalg.svd(red["v_eff"], compute_uv=False)
    if sv.size and sv[-1] <= 1e-10 * max(sv[0], 1e-300):
        raise InputError(
            f"the reduced lead of this ribbon has a singular hopping at energy {energy:g} "
            f"(flux {model.flux:g}, cylinder flux {model.cylinder_flux:g}): a transverse "
            "mode decouples between slices; shift the energy or the flux slightly")
    modes = lead_modes(red["h_eff"], red["v_eff"], energy)
    s_l, s_r, n_open = self_energies(red["h_eff"], red["v_eff"], energy, modes)
    n = model.n
    inn, out, w = red["inn"], red["out"], red["w"]
    sig_l = np.zeros((n, n), dtype=complex)
    sig_l[np.ix_(inn, inn)] = red["left_extra"] + s_l
    g_first = np.linalg.inv(energy * np.eye(inn.size) - red["right_onsite"] - s_r)
    sig_r = np.zeros((n, n), dtype=complex)
    sig_r[np.ix_(out, out)] = w.conj().T @ g_first @ w
    return sig_l, sig_r, n_open


@functools.lru_cache(maxsize=4)   # up to 32 MiB each (a 32 x 32 cross-section with spin)
def _transverse_cached(key: Lattice):
    """Transverse eigenbasis of a separable lead, once per lead (None if not separable)."""
    return transverse_modes(*key.lead())


def _gamma_factor(sigma: np.ndarray) -> np.ndarray:
    """``P`` with ``Gamma = i(Sigma - Sigma^+) = P P^+``, open channels only."""
    gam = 1j * (sigma - sigma.conj().T)
    ev, vec = np.linalg.eigh(0.5 * (gam + gam.conj().T))
    keep = ev > 1e-12 * max(1.0, ev.max())
    return vec[:, keep] * np.sqrt(ev[keep])


def _lead_compute(key: Lattice, energy: float):
    model = key.slice_model()
    modes = _transverse_cached(key) if model.p == 1 else None
    if model.p != 1:        # a layered lead (honeycomb): reduced to an invertible chain
        sig_l, sig_r, n_open = _layered_self_energies(model, energy)
        p_l, p_r = _gamma_factor(sig_l), _gamma_factor(sig_r)
    elif modes is not None:   # closed form: Sigma_L = Sigma_R, one Gamma factor
        sig_l, n_open, p_l = closed_form_self_energy(modes, energy)
        sig_r, p_r = sig_l, p_l
    else:                   # mode matching (a lead in a field)
        h0, v0 = key.lead()
        sig_l, sig_r, n_open = self_energies(h0, v0, energy, transverse=None)
        p_l, p_r = _gamma_factor(sig_l), _gamma_factor(sig_r)
    out = _LeadData(sig_l, sig_r, p_l, p_r, key.x_phases(), n_open)
    for arr in out[:5]:
        arr.setflags(write=False)
    return out


class _LeadData(NamedTuple):
    """Both leads at one energy and flux (units of t; ``Gamma = P P^+``, open channels)."""

    sigma_left: np.ndarray
    sigma_right: np.ndarray
    p_left: np.ndarray
    p_right: np.ndarray
    phases: np.ndarray   # Peierls factors of the x-bonds of a slice
    n_open: int

    @property
    def nbytes(self) -> int:
        return sum({id(a): a.nbytes for a in self[:5]}.values())


class _LeadCache:
    """Self-energies keyed by (lead, energy), least recently used first out, bounded in bytes.

    A 32 x 32 cross-section has 16 MiB per self-energy, so the bound is on memory rather
    than on the number of entries. A lock makes concurrent workers compute a lead once.
    """

    def __init__(self, max_bytes: int = 512 * 2**20):
        self.max_bytes = max_bytes
        self._data = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._compute = threading.Lock()

    def _get(self, k):
        with self._lock:
            hit = self._data.get(k)
            if hit is not None:
                self._data.move_to_end(k)
            return hit

    def get(self, key: Lattice, energy: float) -> _LeadData:
        k = (key, energy)
        hit = self._get(k)
        if hit is not None:
            return hit
        with self._compute:
            hit = self._get(k)
            if hit is not None:
                return hit
            out = _lead_compute(key, energy)
            with self._lock:
                self._data[k] = out
                self._bytes += out.nbytes
                while self._bytes > self.max_bytes and len(self._data) > 1:
                    _, old = self._data.popitem(last=False)
                    self._bytes -= old.nbytes
            return out

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0


_lead_cache = _LeadCache()


def _lead_data(lattice: Lattice, energy: float, flux: float) -> _LeadData:
    return _lead_cache.get(_lead_key(lattice, flux), float(energy))


def open_channels(lattice: Lattice, energy: float) -> int:
    """Number of propagating lead modes in one direction at ``energy`` (spin included).

    :func:`weakloc.transport.leads.open_channels` for one-layer slices; for layered ones
    (the honeycomb lattice) counted on the reduced lead (:meth:`SliceModel.reduced_lead`).
    ``N`` is the conductance of the clean sample in units of ``e^2/h``.
    """
    if lattice.slice_model().p == 1:
        return _leads.open_channels(lattice, energy)
    return int(_lead_data(lattice, _energy(energy), lattice.flux).n_open)


def _check_open(lattice: Lattice, energy: float) -> int:
    """Open lead channels at ``energy``; InputError (naming the band) when there are none."""
    if lattice.slice_model().p == 1:
        return check_open(lattice, energy)
    n_open = _lead_data(lattice, energy, lattice.flux).n_open
    if n_open == 0:
        raise InputError(f"energy {float(energy):g} has no open channel in the leads (a gap "
                         "of the ribbon); choose an energy inside a band")
    return n_open


@_single_blas
def conductance_batch(realization: Realization, energies, fluxes=None, *,
                      method: str = "unitarity") -> np.ndarray:
    """Conductances of one realization on a grid of energies and fluxes (same disorder).

    Parameters
    ----------
    realization : weakloc.lattice.Realization
        The sample; its own flux is replaced by each of ``fluxes`` when they are given.
    energies : array_like of float
        Energies in units of ``t``, shape (nE,).
    fluxes : array_like of float, optional
        Fluxes per plaquette in units of ``h/e``, shape (nF,); default the realization's.
    method : {'unitarity', 'caroli'}
        See the module docstring.

    Returns
    -------
    ndarray, shape (nE, nF)
        ``g = Tr t^+ t`` in units of ``e^2/h`` (spin summed where there is spin).
    """
    if method not in _METHODS:
        raise InputError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    lat = realization.lattice
    es = np.atleast_1d(np.asarray(energies, dtype=float))
    if es.ndim != 1 or not np.all(np.isfinite(es)):
        raise InputError("energies must be a 1D list of finite numbers (units of t)")
    fs = [lat.flux] if fluxes is None else [float(f) for f in np.atleast_1d(fluxes)]
    lats = [lat.with_(flux=f) for f in fs]   # validates flux quantization with periodic walls
    _check_memory(lat, _group_size(lat.n, es.size * len(fs)), 1)
    members = []
    for e in es:
        for lf in lats:
            data = _lead_data(lat, e, lf.flux)
            if data.n_open == 0:
                _check_open(lf, e)   # raises, naming the band
            members.append((e, data))
    group = _group_size(lat.n, len(members))
    out = np.concatenate([_solve_members(realization, members[i:i + group], method == "caroli")
                          for i in range(0, len(members), group)])
    return out.reshape(es.size, len(fs))


_GROUP_BYTES = 1 << 30   # member data of one sweep; a larger batch is swept in groups


def _group_size(n: int, members: int) -> int:
    """Members per sweep: Green's function, two self-energies and a temporary each."""
    return int(max(1, min(members, _GROUP_BYTES // (4 * 16 * n * n))))


def _solve_members(realization: Realization, members, caroli: bool) -> np.ndarray:
    """One sweep over the slices for a group of ``(energy, _LeadData)`` members."""
    n = realization.lattice.n
    p_left = widths = None
    if caroli:   # carry G_{x0} P_L: only the open channels' columns
        widths = np.array([d.p_left.shape[1] for _, d in members])
        p_left = np.zeros((len(members), n, widths.max()), dtype=complex)
        for b, (_, d) in enumerate(members):
            p_left[b, :, : widths[b]] = d.p_left
    stream_ = SliceStream(realization.with_flux(0.0))
    sig_l = np.array([d.sigma_left for _, d in members])
    # closed-form leads: Sigma_L is Sigma_R, one stacked array
    same = all(d.sigma_left is d.sigma_right for _, d in members)
    sig_r = sig_l if same else np.array([d.sigma_right for _, d in members])
    g_nn, x_car = sweep(stream_, np.array([e for e, _ in members]),
                        np.array([d.phases for _, d in members]), sig_l, sig_r, p_left,
                        widths)
    out = np.empty(len(members))
    for b, (_, d) in enumerate(members):
        p_r = d.p_right
        if caroli:   # g = ||P_R^+ G_{N0} P_L||^2: no cancellation, full relative precision
            z = p_r.conj().T @ x_car[b, :, : widths[b]]
            out[b] = np.vdot(z, z).real
        else:
            # with Z = P_R^+ G_NN P_R: Tr(Gamma_R A) = -2 Im Tr Z, Tr(Gamma G Gamma G^+) = ||Z||^2
            z = p_r.conj().T @ (g_nn[b] @ p_r)
            out[b] = -2.0 * np.trace(z).imag - np.vdot(z, z).real
    _check_bounds(out, members)
    return out


def _check_bounds(g: np.ndarray, members) -> None:
    """Refuse a conductance outside ``[0, n_open]``: a lead solved too close to a subband
    edge, where a mode's velocity vanishes and the self-energy is ill-conditioned."""
    for value, (energy, data) in zip(g, members):
        tol = 1e-6 * (1.0 + data.n_open)
        if not (-tol <= value <= data.n_open + tol):
            raise InputError(
                f"energy {float(energy):g} sits too close to a subband edge of the leads "
                f"(g = {value:.3g} outside [0, {data.n_open}] open channels); shift the "
                "energy by a small amount, e.g. 1e-3")


def conductance(realization: Realization, energy: float, *, method: str = "unitarity") -> float:
    """Two-terminal conductance ``g = Tr t^+ t`` of one realization.

    Parameters
    ----------
    realization : weakloc.lattice.Realization
        A realized sample (``Lattice(...).realize(seed)``), with its own flux.
    energy : float
        Fermi energy in units of ``t``, inside the band of the leads.
    method : {'unitarity', 'caroli'}
        ``'unitarity'`` (fast) or ``'caroli'`` (full relative precision for tiny g).

    Returns
    -------
    float
        ``g`` in units of ``e^2/h``, summed over spin where the model has spin.

    Raises
    ------
    InputError
        If no lead channel is open at ``energy`` (the message names the band).
    ResourceError
        If the estimated memory exceeds what is free.
    """
    return float(conductance_batch(realization, [_energy(energy)], method=method)[0, 0])


@dataclass(frozen=True)
class ConductanceResult:
    """Ensemble of conductances, ``g`` in units of ``e^2/h``.

    Attributes
    ----------
    mean, std, stderr : float or ndarray
        Sample mean, standard deviation (ddof = 1; NaN for one sample) and standard error
        of the mean; arrays over the energies of a scan, the fluxes and the cylinder fluxes
        when given (shape ``values.shape[1:]``).
    samples : int
        Number of realizations.
    values : ndarray
        Shape ``(samples, [nE], [nF], [nC])``, an axis only where a scan gives it (energies,
        ``fluxes``, ``cylinder_fluxes``); row ``i`` is realization ``i``, drawn from
        ``weakloc.seeding.stream(seed, i)``, the same disorder for every energy and flux.
    unit : str
        ``'e2_over_h'`` (spin summed where the model has spin).
    symmetry : str
        Wigner-Dyson class of the lattice at its own flux; for a flux sweep, at zero field
        when the sweep includes it (the class whose WL/WAL the sweep shows), else at the
        first flux.
    seed : int
        Root seed.
    streams : list of int
        Stream keys of the realizations.
    energy : float or ndarray
        Energy in units of ``t`` (an array for an energy scan).
    fluxes : ndarray or None
        Fluxes per plaquette in units of ``h/e``.
    lattice : dict
        The lattice description.
    open_channels : int or list of int
        Number of open lead channels (spin included) at the first flux (per energy for
        a scan).
    cylinder_fluxes : ndarray or None
        Aharonov-Bohm fluxes through the cylinder (units of ``h/e``) of a
        ``cylinder_fluxes`` sweep.
    """

    mean: float | np.ndarray
    std: float | np.ndarray
    stderr: float | np.ndarray
    samples: int
    values: np.ndarray
    unit: str = "e2_over_h"
    symmetry: str = "orthogonal"
    seed: int = 0
    streams: list = field(default_factory=list)
    energy: float | np.ndarray = 0.0
    fluxes: np.ndarray | None = None
    lattice: dict = field(default_factory=dict)
    open_channels: int | list = 0
    cylinder_fluxes: np.ndarray | None = None

    @property
    def var(self):
        """Sample variance (ddof = 1) in units of ``(e^2/h)^2``."""
        return np.asarray(self.std) ** 2

    def to_dict(self) -> dict:
        """Deprecated name of :meth:`as_dict`."""
        from weakloc._deprecate import warn_renamed

        warn_renamed("ConductanceResult.to_dict()", "as_dict()")
        return self.as_dict()

    def as_dict(self) -> dict:
        """Plain dict for JSON (see :func:`weakloc.io.write_json`)."""
        return {
            "mean": self.mean, "std": self.std, "stderr": self.stderr,
            "samples": self.samples, "unit": self.unit, "values": self.values,
            "symmetry": self.symmetry, "seed": self.seed, "streams": self.streams,
            "energy": self.energy, "fluxes": self.fluxes, "lattice": self.lattice,
            "open_channels": self.open_channels, "cylinder_fluxes": self.cylinder_fluxes,
        }


def _stats(values: np.ndarray):
    n = values.shape[0]
    mean = values.mean(axis=0)
    if n > 1:
        std = values.std(axis=0, ddof=1)
        se = std / np.sqrt(n)
    else:
        std = np.full_like(mean, np.nan)
        se = np.full_like(mean, np.nan)
    if values.ndim == 1:
        return float(mean), float(std), float(se)
    return mean, std, se


@_single_blas
def conductance_ensemble(lattice: Lattice, energy: float, *, samples: int, seed=None,
                         fluxes=None, progress=None, workers: int | None = None,
                         onsite=None, method: str = "unitarity",
                         cylinder_fluxes=None) -> ConductanceResult:
    """Disorder ensemble of conductances, optionally as a magnetoconductance sweep.

    Parameters
    ----------
    lattice : weakloc.lattice.Lattice
        System description.
    energy : float or array_like of float
        Fermi energy in units of ``t``; a 1D array is an energy scan, solved in the same
        sweep over each realization's slices (see :func:`conductance_batch`).
    samples : int
        Number of realizations; realization ``i`` uses ``weakloc.seeding.stream(seed, i)``.
    seed : int or None
        Root seed (None draws one; the result records it).
    fluxes : array_like of float, optional
        Fluxes per plaquette (units of ``h/e``); every realization is solved at each of them
        on the same disorder.
    progress : bool, optional
        Progress on stderr by the package rule (:mod:`weakloc.progress`): ``None``
        (default) a bar on a terminal and log lines otherwise, ``False`` nothing.
    workers : int, optional
        Threads (the inner loop releases the GIL); default ``min(2, cpu_count)``. Results
        do not depend on it.
    onsite : array_like, optional
        Explicit onsite energies for a single sample (``samples`` must be 1).
    method : {'unitarity', 'caroli'}
        See :func:`conductance`.
    cylinder_fluxes : array_like of float, optional
        Aharonov-Bohm fluxes through the cylinder in units of ``h/e`` (a lattice with
        ``boundary='periodic'``; :attr:`weakloc.lattice.Lattice.cylinder_flux`); every
        realization is solved at each of them on the same disorder, one sweep over its
        slices per cylinder flux (the transverse bonds change with it). Adds the last axis
        of ``values``.

    Returns
    -------
    ConductanceResult
    """
    samples = positive_int("samples", samples)
    root = root_entropy(seed)
    scan = not isinstance(energy, str) and np.ndim(energy) == 1
    es = finite_array("energy", energy) if scan else np.array([_energy(energy)])
    fl = None if fluxes is None else np.atleast_1d(finite_array("fluxes", fluxes))
    cyl = (None if cylinder_fluxes is None
           else np.atleast_1d(finite_array("cylinder_fluxes", cylinder_fluxes)).ravel())
    clist = [lattice.cylinder_flux] if cyl is None else list(cyl)
    cyl_lats = [lattice.with_(cylinder_flux=c) for c in clist]   # validates the boundary
    if onsite is not None and samples != 1:
        raise InputError("an explicit onsite array is one sample; use samples=1")
    workers = min(2, os.cpu_count() or 1) if workers is None else positive_int("workers", workers)
    workers = min(workers, samples)
    flist = [lattice.flux] if fl is None else list(fl)
    lats = [lattice.with_(flux=f) for f in flist]
    _check_memory(lattice, _group_size(lattice.n, es.size * len(flist)), workers)
    opens = []
    for e in es:
        for cl in cyl_lats:
            for lf in lats:
                k = _lead_data(cl, e, lf.flux).n_open   # cached for the sweeps
                if k == 0:
                    _check_open(cl.with_(flux=lf.flux), e)   # raises, naming the band
                opens.append(k)
    per_energy = len(lats) * len(cyl_lats)
    n_open = opens[::per_energy] if scan else opens[0]

    def one(i):
        real = lattice.realize(stream(root, i), onsite=onsite)
        return np.stack([conductance_batch(real.with_flux(real.lattice.flux, c), es, flist,
                                           method=method) for c in clist], axis=-1)

    values = np.empty((samples, es.size, len(flist), len(clist)))
    bar = progress_bar(progress, total=samples, desc="conductance", unit="realization")
    try:
        if workers == 1:
            for i in range(samples):
                values[i] = one(i)
                bar.update()
        else:
            with concurrent.futures.ThreadPoolExecutor(workers) as pool:
                futures = {pool.submit(one, i): i for i in range(samples)}
                for fut in concurrent.futures.as_completed(futures):
                    values[futures[fut]] = fut.result()
                    bar.update()
    finally:
        bar.close()
    # keep an axis only where a scan gives it: (samples, [nE], [nF], [nC])
    values = values.squeeze(axis=tuple(ax for ax, kept in
                                       ((1, scan), (2, fl is not None), (3, cyl is not None))
                                       if not kept))
    mean, std, se = _stats(values)
    sym = lattice.symmetry
    if fl is not None:   # a sweep probes the class at zero field when it includes it
        sym = lattice.with_(flux=0.0 if np.any(fl == 0) else float(fl[0])).symmetry
    if cyl is not None:  # ... and a cylinder sweep the class at zero cylinder flux
        sym = lattice.with_(flux=0.0 if fl is None or np.any(fl == 0) else float(fl[0]),
                            cylinder_flux=0.0).symmetry
    return ConductanceResult(
        mean=mean, std=std, stderr=se, samples=samples, values=values, symmetry=sym,
        seed=root, streams=list(range(samples)), energy=es if scan else float(es[0]),
        fluxes=fl,
        lattice=lattice.as_dict(), open_channels=n_open, cylinder_fluxes=cyl,
    )


_LATTICE_KEYS = ("dim", "width", "length", "height", "disorder", "disorder_kind", "flux",
                 "spin_orbit", "soc", "boundary", "hopping", "cylinder_flux")


def sweep_task(params: dict, rng: np.random.Generator) -> dict[str, float]:
    """One realization for the ensemble layer: ``{"conductance": g}`` in units of ``e^2/h``.

    Parameters
    ----------
    params : dict
        :class:`weakloc.lattice.Lattice` fields (``dim``, ``width``, ``length``, ``height``,
        ``disorder``, ``flux``, ``spin_orbit``, ``soc``, ``boundary``, ...) plus ``energy``
        (units of ``t``).
    rng : numpy.random.Generator
        The realization's random stream.

    Returns
    -------
    dict
        ``{"conductance": g}``.
    """
    params = dict(params)
    if "energy" not in params:
        raise InputError("sweep_task needs an 'energy' parameter (units of t)")
    energy = params.pop("energy")
    unknown = sorted(set(params) - set(_LATTICE_KEYS))
    if unknown:
        raise InputError(
            f"unknown parameter {unknown[0]!r} for the conductance task; use "
            f"{', '.join(_LATTICE_KEYS)} and 'energy'"
        )
    lat = Lattice(**params)
    return {"conductance": conductance(lat.realize(rng), energy)}
