r"""Continuous-time random walks: the classical diffusion underneath every diffuson.

A walker moves at speed :math:`v` along straight free flights whose durations are
exponential with mean :math:`\tau`; at each collision its direction turns by an angle of
mean cosine :math:`g` (isotropic for ``g = 0``; Henyey-Greenstein in 3D, wrapped Cauchy in
2D, forward/backward with probabilities :math:`(1 \pm g)/2` in 1D). The velocity memory
decays as

.. math::

    \langle \mathbf v(0)\cdot\mathbf v(t)\rangle = v^2 e^{-t/\tau_{\rm tr}},\qquad
    \tau_{\rm tr} = \frac{\tau}{1-g},\qquad
    D = \frac{1}{d}\int_0^\infty \langle \mathbf v(0)\cdot\mathbf v(t)\rangle dt
      = \frac{v^2 \tau}{d (1-g)},

and the mean square displacement is
:math:`\langle r^2\rangle = 2 d D [t - \tau_{\rm tr}(1 - e^{-t/\tau_{\rm tr}})]`.

Measured from the ensemble, each with a standard error: the VACF on a time grid and D from
its Green-Kubo integral; D from the slope of the MSD between :math:`T/2` and :math:`T`; the
return probability density :math:`P(0, t)` (walkers inside a ball around the origin divided
by the ball volume) and its power-law exponent, expected :math:`-d/2`; and, with a
dephasing time :math:`\tau_\phi`, the return probability integrated over the coherent
window, which sets the weak-localization correction
(:func:`weakloc.theory.integrated_return_probability`).

Loops in a perpendicular field (d = 2, ``field``): each walker also carries the signed area
swept about its start, :math:`A = \frac12\int (x\,dy - y\,dx)`, and a small fixed disk
around the start counts the loops that have come back, unweighted (:math:`P_{\rm loop}`)
and weighted with :math:`\cos(2 e B A/\hbar)` (:math:`P_{\rm field}`), the
Aharonov-Bohm phase difference of a loop and its time reverse (charge 2e). Their ratio is
the Cooperon's suppression by the field at every time, ballistic loops included; for
diffusive loops it tends to :math:`y/\sinh y`, :math:`y = 2 D e B t/\hbar`
(:func:`weakloc.theory.cooperon_field_factor`). The weak-localization correction removed by
the field is, for spinless electrons,

.. math::

    \delta\sigma(B) - \delta\sigma(0) = \frac{e^2}{h}\, 2D \int_0^\infty
    [P_{\rm loop}(t) - P_{\rm field}(t)]\, (e^{-t/\tau_\phi} - e^{-t/\tau_{\rm tr}})\,dt

(``wl_removed`` in units of e^2/h, positive; twice that with spin degeneracy 2), from
:math:`\delta\sigma = -(e^2/h)\, 2D \int P\, w\, dt`. Returns after fewer than two
collisions (straight out, or out and straight back) enclose no area up to the disk's size,
:math:`|A| \le \frac12 r\,|\mathbf x_1|`: they add to both densities alike and cancel in
the difference (but make :math:`P_{\rm loop}` large for :math:`t < r/v`, so
:math:`P_{\rm loop}` alone is no weak-localization correction).

Units: SI at the interface (s, m/s, m); the walk itself is scale free.

References
----------
Kubo, J. Phys. Soc. Jpn. 12, 570 (1957) (Green-Kubo); Henyey and Greenstein, ApJ 93, 70
(1941); Akkermans and Montambaux, *Mesoscopic Physics of Electrons and Photons* (2007),
ch. 4 and 7; Mardia and Jupp, *Directional Statistics* (2000) (wrapped Cauchy); loops in a
field: Minkov et al., PRB 61, 13164 (2000) (statistics of closed paths, ballistic and
diffusive); Dmitriev, Gornyi and Kachorovskii, arXiv:cond-mat/9703239 (1997) (what the
classical loop picture leaves out beyond diffusion).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments
from weakloc.errors import InputError, ResourceError

__all__ = ["WalkResult", "simulate_walks", "validate_walk", "ball_volume",
           "gaussian_ball_factor", "sweep_task"]



@dataclasses.dataclass(frozen=True)
class WalkResult:
    r"""Ensemble averages of :func:`simulate_walks` (SI units).

    Attributes
    ----------
    params : dict
        Inputs (dim, walkers, time_s, tau_s, speed_m_per_s, g, tau_phi_s, ball_fraction,
        fit_from_s, field_T, loop_radius_m) and the integer ``seed`` the streams were
        derived from.
    vacf_times, vacf, vacf_stderr : ndarray
        Time grid (s) and :math:`\langle \mathbf v(0)\cdot\mathbf v(t)\rangle` (m^2/s^2).
    times, msd, msd_stderr : ndarray
        Log-spaced grid (s) and the mean square displacement (m^2).
    p0, p0_stderr : ndarray
        Return probability density on ``times`` (m^-d).
    d_theory, d_green_kubo, d_green_kubo_stderr, d_msd, d_msd_stderr : float
        Diffusion constants (m^2/s).
    return_exponent, return_exponent_stderr : float
        Exponent of :math:`P(0,t) \propto t^{a}` fitted for ``t >= fit_from_s``.
    vacf_decay_time, vacf_decay_time_stderr : float
        Decay time (s) of the fitted exponential :math:`C(0) e^{-t/\tau_{\rm fit}}`.
    integrated, integrated_stderr, integrated_theory : float or None
        :math:`\int_0^\infty P(0,t)(e^{-t/\tau_\phi} - e^{-t/\tau_{\rm tr}}) dt` (s m^-d)
        from the walks and from the closed form, when ``tau_phi`` is given.
    events : int
        Scattering events simulated.
    loop_p0, loop_p0_stderr, loop_p0_field, loop_p0_field_stderr : ndarray or None
        With ``field``: :math:`P_{\rm loop}(t)` and :math:`P_{\rm field}(t)` on ``times``
        (m^-2), the walkers in the return disk of radius ``loop_radius`` over its area,
        unweighted and weighted with :math:`\cos(2 e B A/\hbar)`.
    suppression, suppression_stderr : ndarray or None
        :math:`P_{\rm field}/P_{\rm loop}` (dimensionless; NaN where no walker is in the
        disk) with its jackknife error over the blocks.
    suppression_diffusive : ndarray or None
        The diffusive Cooperon's :math:`y/\sinh y`, :math:`y = 2 D e B t/\hbar`, on
        ``times`` (:func:`weakloc.theory.cooperon_field_factor`).
    integrated_loop, integrated_loop_stderr : float or None
        With ``field`` and ``tau_phi``: :math:`\int P_{\rm loop}\, w\, dt` (s m^-2),
        :math:`w = e^{-t/\tau_\phi} - e^{-t/\tau_{\rm tr}}`, on the grid of ``integrated``.
    integrated_field, integrated_field_stderr : float or None
        The same with :math:`P_{\rm field}`.
    wl_removed, wl_removed_stderr : float or None
        :math:`2 D (\text{integrated\_loop} - \text{integrated\_field})`: the
        weak-localization correction the field removes, in units of e^2/h for spinless
        electrons (twice that with spin degeneracy), with its jackknife error.
    """

    params: dict
    vacf_times: np.ndarray
    vacf: np.ndarray
    vacf_stderr: np.ndarray
    times: np.ndarray
    msd: np.ndarray
    msd_stderr: np.ndarray
    p0: np.ndarray
    p0_stderr: np.ndarray
    d_theory: float
    d_green_kubo: float
    d_green_kubo_stderr: float
    d_msd: float
    d_msd_stderr: float
    return_exponent: float
    return_exponent_stderr: float
    vacf_decay_time: float
    vacf_decay_time_stderr: float
    integrated: float | None
    integrated_stderr: float | None
    integrated_theory: float | None
    events: int
    loop_p0: np.ndarray | None = None
    loop_p0_stderr: np.ndarray | None = None
    loop_p0_field: np.ndarray | None = None
    loop_p0_field_stderr: np.ndarray | None = None
    suppression: np.ndarray | None = None
    suppression_stderr: np.ndarray | None = None
    suppression_diffusive: np.ndarray | None = None
    integrated_loop: float | None = None
    integrated_loop_stderr: float | None = None
    integrated_field: float | None = None
    integrated_field_stderr: float | None = None
    wl_removed: float | None = None
    wl_removed_stderr: float | None = None


    def as_dict(self) -> dict:
        """Every field, arrays included (``weakloc.io.write_json`` writes it as JSON)."""
        return dataclasses.asdict(self)


@renamed_arguments(d="dim")
def ball_volume(r, dim):
    r"""Volume of a d-ball, :math:`V_d(r) = \pi^{d/2} r^d / \Gamma(d/2 + 1)` (m^d for r in m)."""
    d = dim
    return math.pi ** (d / 2) * np.asarray(r, dtype=float) ** d / math.gamma(d / 2 + 1)


@renamed_arguments(d="dim")
def gaussian_ball_factor(u, dim):
    r"""Mean of a centred Gaussian over a ball, relative to its value at the centre.

    For :math:`P(\mathbf r) = (4\pi D t)^{-d/2} e^{-r^2/4Dt}` and a ball of radius
    :math:`r_b` with :math:`u = r_b^2 / (4 D t)`:
    :math:`\bar P / P(0) = \gamma(d/2, u)\, \Gamma(d/2 + 1) / (\Gamma(d/2)\, u^{d/2})`
    (dimensionless; :math:`\gamma` the lower incomplete gamma function).
    """
    from scipy.special import gammainc

    d = dim
    return gammainc(d / 2, u) * math.gamma(d / 2 + 1) / u ** (d / 2)


#: default ceiling on the collisions of one run (walkers x T / tau): about ten minutes
MAX_EVENTS = 1e10


def validate_walk(dim, samples, time, tau, speed, g, tau_phi=None):
    """Check walk parameters before any work; returns them normalized (raises InputError)."""
    d = v.dimension(dim)
    n = v.positive_int("samples", samples, minimum=2)
    tau = float(v.positive("tau", tau, "s"))
    speed = float(v.speed("speed", speed))
    g = float(v.finite_array("anisotropy", g))
    if not -1.0 < g < 1.0:
        raise InputError(f"anisotropy (mean scattering cosine) must satisfy |g| < 1, "
                         f"got {g:g}")
    if time is not None:
        time = float(v.positive("time", time, "s"))
    if tau_phi is not None:
        tau_phi = float(v.positive("tau_phi", tau_phi, "s"))
        if tau_phi <= tau:
            raise InputError(f"tau_phi = {tau_phi:g} s must exceed tau = {tau:g} s: the "
                             "coherent window [tau, tau_phi] is empty (both in seconds)")
    with np.errstate(over="ignore"):
        d0 = np.float64(speed) ** 2 * tau / (1.0 - g)
    if not np.isfinite(d0) or d0 == 0:
        raise InputError(f"speed^2 tau = {speed:g}^2 x {tau:g} is out of floating-point range; "
                         "give speed in m/s and tau in s")
    return d, n, time, tau, speed, g, tau_phi


def check_events(walkers: int, time: float, tau: float, max_events: float) -> float:
    """Refuse a run of more than ``max_events`` collisions (walkers x T / tau) up front.

    Returns the expected number of collisions. The message gives the count per walker, a
    usual choice of T in seconds and how to go ahead anyway.
    """
    per_walker = time / tau
    total = walkers * per_walker
    if not math.isfinite(total) or total > max_events:
        raise ResourceError(
            f"time = {time:g} s with tau = {tau:g} s is {per_walker:.3g} collisions per walker "
            f"({total:.3g} in all, over the limit of {max_events:.3g}): time is in seconds, "
            f"not in units of tau (500 tau = {500 * tau:g} s); raise max_events=... "
            "to run it anyway")
    return total


@renamed_arguments(walkers="samples", g="anisotropy")
def simulate_walks(dim, *, samples=20000, time=None, tau=1e-13, speed=1e5, anisotropy=0.0,
                   tau_phi=None, ball_fraction=0.25, fit_from=50.0, seed=None,
                   progress=None, max_events=MAX_EVENTS, field=None,
                   loop_radius=None) -> WalkResult:
    r"""Simulate ``samples`` independent persistent random walks and measure diffusion.

    Parameters
    ----------
    dim : {1, 2, 3}
        Spatial dimension.
    samples : int
        Number of walkers (>= 2; formerly ``walkers``).
    time : float, optional
        Length of each walk T in s; default :math:`500 \tau_{\rm tr}` (and at least
        :math:`10 \tau_\phi` when ``tau_phi`` is given).
    tau : float
        Mean free time :math:`\tau` in s.
    speed : float
        Speed v in m/s.
    anisotropy : float
        Mean cosine :math:`g` of the scattering angle, :math:`|g| < 1` (dimensionless;
        ``g=`` is its deprecated name).
    tau_phi : float, optional
        Dephasing time :math:`\tau_\phi` in s: paths survive with probability
        :math:`e^{-t/\tau_\phi}` (applied as a weight, same mean as cutting them at an
        exponential time, lower variance); enables the integrated return probability.
    ball_fraction : float
        :math:`u = r_b^2/(4 D t)`: the ball radius grows as :math:`\sqrt t` so that the
        fitted exponent carries no finite-ball bias; the Gaussian ball average
        (:func:`gaussian_ball_factor`) is divided out.
    fit_from : float
        Start of the exponent fit in units of :math:`\tau_{\rm tr}` (t >> tau); the
        ballistic and non-Gaussian corrections bias the local exponent by O(tau/t).
    seed : int, SeedSequence or Generator, optional
        Root of the per-walker streams (recorded in ``params['seed']``).
    progress : bool, optional
        progress on stderr by the package rule (:mod:`weakloc.progress`): None (default)
        a bar on a terminal and log lines otherwise, False nothing.
    max_events : float
        Refuse (:class:`~weakloc.errors.ResourceError`, before any work) a run of more
        collisions than this, walkers x T / tau; default ``MAX_EVENTS``.
    field : float, optional
        Perpendicular magnetic field B in T (``dim=2`` only): measure the loops' return
        density with and without the Aharonov-Bohm weight :math:`\cos(2 e B A/\hbar)`
        (see the module docstring). ``field=0.0`` measures :math:`P_{\rm loop}` alone.
    loop_radius : float, optional
        Radius of the fixed return disk of the loops in m (with ``field`` only); default
        :math:`0.25\, l_{\rm tr}`, :math:`l_{\rm tr} = v \tau_{\rm tr}`. Small against
        :math:`l_{\rm tr}` and :math:`l_B = \sqrt{\hbar/eB}` (the disk's own area then
        changes the phase little) but large enough that enough walkers come back.

    Returns
    -------
    WalkResult
        All measured quantities with standard errors (SI).

    References
    ----------
    See the module docstring.
    """
    from weakloc.montecarlo._blocks import block_edges, block_mean, run_in_steps
    from weakloc.montecarlo._rng import walker_keys
    from weakloc.montecarlo._walkkernel import WalkRun

    d, n, time, tau, speed, g, tau_phi = validate_walk(dim, samples, time, tau, speed, anisotropy,
                                                       tau_phi)
    u_ball = float(v.in_range("ball_fraction", ball_fraction, 0.0, 4.0))
    fit_from = float(v.positive("fit_from", fit_from))
    tau_tr = tau / (1.0 - g)
    field, r_loop = _loop_inputs(d, field, loop_radius, speed * tau_tr)
    D0 = speed**2 * tau_tr / d
    if time is None:
        time = 500 * tau_tr if tau_phi is None else max(500 * tau_tr, 10 * tau_phi)
    if time < 4 * fit_from * tau_tr * (1 - 1e-12):   # 200e-13 s is 200 tau, not less
        raise InputError(f"time = {time:g} s is too short: give at least "
                         f"{4 * fit_from * tau_tr:g} s (4 x fit_from x tau_tr)")
    if tau_phi is not None and time < 8 * tau_phi:
        raise InputError(f"time must be >= 8 tau_phi = {8 * tau_phi:g} s to integrate "
                         "the return probability; raise time=... or lower tau_phi=...")
    check_events(n, time, tau, float(v.positive("max_events", max_events)))

    t_vacf = np.linspace(0.0, min(10.0 * tau_tr, time), 101)
    t_log = np.geomspace(0.05 * tau_tr, time, 90)
    t_half = 0.5 * time
    grid = np.unique(np.concatenate([t_vacf, t_log, [t_half, time]]))
    k_half = int(np.searchsorted(grid, t_half))
    i_vacf = np.searchsorted(grid, t_vacf)
    i_log = np.searchsorted(grid, t_log)
    gk_w = np.zeros(grid.size)
    dt = np.diff(t_vacf)
    np.add.at(gk_w, i_vacf[:-1], 0.5 * dt)
    np.add.at(gk_w, i_vacf[1:], 0.5 * dt)
    rball2 = np.zeros(grid.size)
    rball2[i_log] = u_ball * 4.0 * D0 * t_log

    keys, root = walker_keys(seed, n)
    run = WalkRun(keys, block_edges(n), d, speed, tau, g, grid, rball2, gk_w, k_half,
                  loop_radius=r_loop, field=0.0 if field is None else field)
    # a bounded number of collisions per compiled call: Ctrl-C is seen between two calls
    run_in_steps(run, total=round(n * time / tau), desc=f"walks d={d}", unit="collision",
                 progress=progress)
    C1, C2, R1, R2, P1, scal, events = run.sums()
    counts = run.counts
    nblocks = counts.size

    vacf, vacf_se = block_mean(C1[:, i_vacf], C2[:, i_vacf], n)
    msd, msd_se = block_mean(R1[:, i_log], R2[:, i_log], n)
    d_gk, d_gk_se = block_mean(scal[:, 0], scal[:, 1], n)
    d_msd, d_msd_se = block_mean(scal[:, 2], scal[:, 3], n)

    vol = ball_volume(np.sqrt(rball2[i_log]), d) * gaussian_ball_factor(u_ball, d)
    Pc = P1[:, i_log]

    def p0_of(pc_sum, m):
        return pc_sum / m / vol

    p0 = p0_of(Pc.sum(0), n)
    frac = Pc.sum(0) / n
    p0_se = np.sqrt(frac * (1 - frac) / n) / vol

    fit_mask = (t_log >= fit_from * tau_tr) & (Pc.sum(0) >= 10)
    if fit_mask.sum() < 3:
        raise InputError("too few walkers come back to fit P(0,t); raise samples or "
                         "ball_fraction")
    lt = np.log(t_log[fit_mask])

    def exponent(pc_sum, m):
        p = p0_of(pc_sum, m)[fit_mask]
        w = pc_sum[fit_mask]  # Poisson weights for ln(count)
        return float(np.polyfit(lt, np.log(p), 1, w=np.sqrt(w))[0])

    vmask = (t_vacf > 0) & (t_vacf <= 3 * tau_tr)
    tv = t_vacf[vmask]

    # weighted fit of ln C: weights C / stderr(C), fixed from the full sample
    wv = np.where(vacf_se[vmask] > 0, np.abs(vacf[vmask]) / np.maximum(vacf_se[vmask], 1e-300),
                  0.0)

    def decay(c_sum, m):
        c = c_sum[i_vacf][vmask] / m
        ok = (c > 0) & (wv > 0)
        return float(-1.0 / np.polyfit(tv[ok], np.log(c[ok]), 1, w=wv[ok])[0])

    def integrated(pc_sum, m):
        p = p0_of(pc_sum, m)
        w = np.exp(-t_log / tau_phi) - np.exp(-t_log / tau_tr)
        return float(np.trapezoid(p * w, t_log))

    tot_P = Pc.sum(0)
    tot_C = C1.sum(0)
    a = exponent(tot_P, n)
    tdec = decay(tot_C, n)
    jack_a, jack_t, jack_i = [], [], []
    for b in range(nblocks):
        m = n - counts[b]
        jack_a.append(exponent(tot_P - Pc[b], m))
        jack_t.append(decay(tot_C - C1[b], m))
        if tau_phi is not None:
            jack_i.append(integrated(tot_P - Pc[b], m))

    def jk_err(vals):
        vals = np.asarray(vals)
        return float(np.sqrt((nblocks - 1) / nblocks * np.sum((vals - vals.mean()) ** 2)))

    integ = integ_se = integ_th = None
    if tau_phi is not None:
        from weakloc.theory import integrated_return_probability

        integ = integrated(tot_P, n)
        integ_se = jk_err(jack_i)
        integ_th = float(integrated_return_probability(tau_tr, tau_phi, D0, d,
                                                       cutoff="exponential"))
    params = {"dim": d, "samples": n, "time_s": time, "tau_s": tau, "speed_m_per_s": speed,
              "anisotropy": g, "tau_phi_s": tau_phi, "ball_fraction": u_ball,
              "fit_from_s": fit_from * tau_tr, "field_T": field, "loop_radius_m": r_loop,
              "seed": root}
    loops = {}
    if field is not None:
        w = None if tau_phi is None else np.exp(-t_log / tau_phi) - np.exp(-t_log / tau_tr)
        loops = _loop_results(run.loop_sums(), i_log, counts, r_loop, field, D0, t_log, w)
    return WalkResult(
        params=params, vacf_times=t_vacf, vacf=vacf, vacf_stderr=vacf_se, times=t_log,
        msd=msd, msd_stderr=msd_se, p0=p0, p0_stderr=p0_se, d_theory=D0,
        d_green_kubo=float(d_gk), d_green_kubo_stderr=float(d_gk_se), d_msd=float(d_msd),
        d_msd_stderr=float(d_msd_se), return_exponent=a,
        return_exponent_stderr=jk_err(jack_a), vacf_decay_time=tdec,
        vacf_decay_time_stderr=jk_err(jack_t), integrated=integ, integrated_stderr=integ_se,
        integrated_theory=integ_th, events=int(events.sum()), **loops,
    )


def _loop_inputs(d, field, loop_radius, l_tr):
    """Validated (field in T or None, loop radius in m or None)."""
    if field is None:
        if loop_radius is not None:
            raise InputError("loop_radius needs field=... (tesla; field=0.0 for the "
                             "zero-field loops)")
        return None, None
    field = v.finite_array("field", field)
    if field.ndim != 0:
        raise InputError("field must be one number in tesla; run one simulation per field "
                         "(the same seed gives the same walks)")
    if d != 2:
        raise InputError(f"field needs dim=2 (the loop area is planar), got dim={d}; use "
                         "dim=2 or drop field=")
    r = 0.25 * l_tr if loop_radius is None else float(v.positive("loop_radius", loop_radius,
                                                                  "m"))
    return float(field), r


def _loop_results(sums, idx, counts, r_loop, field, D0, t_log, w):
    """The loop fields of :class:`WalkResult` from the kernel's per-block loop sums."""
    from weakloc.montecarlo._blocks import block_mean, jackknife
    from weakloc.theory import cooperon_field_factor

    N, S1, S2 = (a[:, idx] for a in sums)
    n = counts.sum()
    area = math.pi * r_loop**2
    p_loop, p_loop_se = block_mean(N, N, n)   # an indicator: its square is itself
    p_field, p_field_se = block_mean(S1, S2, n)

    def ratio(nm, sm):
        return np.where(nm > 0, sm / np.where(nm > 0, nm, 1.0), np.nan)

    out = {"loop_p0": p_loop / area, "loop_p0_stderr": p_loop_se / area,
           "loop_p0_field": p_field / area, "loop_p0_field_stderr": p_field_se / area,
           "suppression": ratio(N.sum(0), S1.sum(0)),
           "suppression_stderr": jackknife(ratio, (N, S1), counts),
           "suppression_diffusive": cooperon_field_factor(t_log, D0, field)}
    if w is not None:
        def integral(mean):
            return float(np.trapezoid(mean / area * w, t_log))

        def removed(nm, sm):
            return 2.0 * D0 * (integral(nm) - integral(sm))

        out.update(integrated_loop=integral(p_loop),
                   integrated_loop_stderr=jackknife(integral, (N,), counts),
                   integrated_field=integral(p_field),
                   integrated_field_stderr=jackknife(integral, (S1,), counts),
                   wl_removed=removed(p_loop, p_field),
                   wl_removed_stderr=jackknife(removed, (N, S1), counts))
    return out


_SWEEP_KEYS = {"dim", "samples", "walkers", "time", "tau", "speed", "anisotropy", "g", "tau_phi",
               "ball_fraction", "fit_from", "field", "loop_radius"}


def sweep_task(params: dict, rng: np.random.Generator) -> dict[str, float]:
    """One ensemble task: run :func:`simulate_walks` from a parameter dict.

    Parameters
    ----------
    params : dict
        Keys ``dim`` (required), ``samples`` (walkers; ``walkers`` is accepted as its
        older name), ``time`` (s), ``tau`` (s), ``speed`` (m/s),
        ``anisotropy`` (``g`` accepted as its older name), ``tau_phi`` (s),
        ``ball_fraction``, ``fit_from`` (units of tau_tr), ``field`` (T, dim 2) and
        ``loop_radius`` (m); unknown keys raise :class:`~weakloc.errors.InputError`.
    rng : numpy.random.Generator
        The task's stream; the walker streams are derived from it.

    Returns
    -------
    dict of str to float
        ``d_green_kubo``, ``d_green_kubo_stderr``, ``d_msd``, ``d_msd_stderr``,
        ``d_theory`` (m^2/s), ``return_exponent``, ``return_exponent_stderr``,
        ``return_exponent_theory`` (-d/2), ``vacf_decay_time`` (s), ``events``, and with
        ``tau_phi`` ``integrated`` / ``integrated_stderr`` / ``integrated_theory`` (s m^-d);
        with ``field`` also ``field_T`` and ``loop_radius_m``, and with ``field`` and
        ``tau_phi`` ``integrated_loop``, ``integrated_field`` (s m^-2), ``wl_removed``
        (e^2/h, spinless) and their ``*_stderr``.
    """
    if not isinstance(params, dict) or "dim" not in params:
        raise InputError("params must be a dict with at least 'dim'")
    unknown = sorted(set(params) - _SWEEP_KEYS)
    if unknown:
        raise InputError(f"unknown random-walk parameter {unknown[0]!r}; use "
                         f"{', '.join(sorted(_SWEEP_KEYS))}")
    if not isinstance(rng, np.random.Generator):
        raise InputError("rng must be a numpy.random.Generator (e.g. weakloc.seeding.stream)")
    kw = dict(params)
    if "walkers" in kw:   # the older name of the key, still read from sweep files
        if "samples" in kw:
            raise InputError("give 'samples' only ('walkers' is its older name)")
        kw["samples"] = kw.pop("walkers")
    if "g" in kw:   # likewise
        if "anisotropy" in kw:
            raise InputError("give 'anisotropy' only ('g' is its older name)")
        kw["anisotropy"] = kw.pop("g")
    res = simulate_walks(kw.pop("dim"), seed=rng, **kw)
    out = {
        "d_green_kubo": res.d_green_kubo, "d_green_kubo_stderr": res.d_green_kubo_stderr,
        "d_msd": res.d_msd, "d_msd_stderr": res.d_msd_stderr, "d_theory": res.d_theory,
        "return_exponent": res.return_exponent,
        "return_exponent_stderr": res.return_exponent_stderr,
        "return_exponent_theory": -res.params["dim"] / 2,
        "vacf_decay_time": res.vacf_decay_time, "events": float(res.events),
    }
    if res.integrated is not None:
        out.update(integrated=res.integrated, integrated_stderr=res.integrated_stderr,
                   integrated_theory=res.integrated_theory)
    if res.params["field_T"] is not None:
        out.update(field_T=res.params["field_T"], loop_radius_m=res.params["loop_radius_m"])
    if res.wl_removed is not None:
        for key in ("integrated_loop", "integrated_field", "wl_removed"):
            out[key] = getattr(res, key)
            out[f"{key}_stderr"] = getattr(res, f"{key}_stderr")
    return out
