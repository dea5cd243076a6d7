r"""Classical diffusion: the baseline on which every interference correction is built.

Elastic scattering with mean free time :math:`\tau` turns ballistic motion at the Fermi
velocity into diffusion on scales :math:`L \gg l`, :math:`t \gg \tau`. The functions here give
the classical quantities (mean free path, diffusion constant, Drude conductivity, return
probability, phase-coherence length), the Green-Kubo integral of any velocity
autocorrelation function, and a check of the diffusive regime.

All arguments and results are SI (m, s, J, S). Dimension ``d`` is 1, 2 or 3.

References
----------
Akkermans and Montambaux, *Mesoscopic Physics of Electrons and Photons* (Cambridge, 2007),
chapters 4 and 7; Kubo, J. Phys. Soc. Jpn. 12, 570 (1957) for the Green-Kubo relation.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments
from weakloc.errors import ConvergenceError, InputError
from weakloc.units import E_CHARGE, HBAR

__all__ = [
    "mean_free_path", "diffusion_constant", "green_kubo_diffusion", "free_electron_dos",
    "drude_conductivity", "return_probability", "phase_coherence_length",
    "RegimeCheck", "diffusive_regime",
]


def mean_free_path(v_fermi, tau):
    r"""Elastic mean free path :math:`l = v_F \tau`.

    Parameters
    ----------
    v_fermi : array_like
        Fermi velocity :math:`v_F` in m/s, positive and below the speed of light.
    tau : array_like
        Elastic (transport) scattering time :math:`\tau` in s, positive.

    Returns
    -------
    ndarray
        Mean free path in m.

    References
    ----------
    Drude model; e.g. Ashcroft and Mermin, *Solid State Physics*, ch. 1.
    """
    v_fermi = v.speed("v_fermi", v_fermi)
    tau = v.positive("tau", tau, "s")
    return v_fermi * tau


@renamed_arguments(d="dim")
def diffusion_constant(v_fermi, tau, dim):
    r"""Classical diffusion constant :math:`D_0 = v_F^2 \tau / d = v_F l / d`.

    Parameters
    ----------
    v_fermi : array_like
        Fermi velocity in m/s, positive and below the speed of light.
    tau : array_like
        Elastic (transport) scattering time in s, positive.
    dim : {1, 2, 3}
        Spatial dimension.

    Returns
    -------
    ndarray
        :math:`D_0` in m^2/s.

    Notes
    -----
    Follows from the Green-Kubo relation with the isotropic-scattering autocorrelation
    :math:`\langle \mathbf v(0)\cdot \mathbf v(t)\rangle = v_F^2 e^{-t/\tau}`
    (see :func:`green_kubo_diffusion`).

    References
    ----------
    Akkermans and Montambaux (2007), ch. 4.
    """
    d = v.dimension(dim)
    v_fermi = v.speed("v_fermi", v_fermi)
    tau = v.positive("tau", tau, "s")
    return v_fermi**2 * tau / d


def _time_scale(vacf, c0: float) -> float:
    """First time on a log grid (1e-18 s .. 1e6 s) at which |C(t)| < |C(0)|/e."""
    for t in np.logspace(-18, 6, 97):
        if abs(float(vacf(t))) < abs(c0) / math.e:
            return float(t)
    raise InputError(
        "the VACF does not decay below C(0)/e before 1e6 s; give t_max or a decaying VACF"
    )


def _quad(func, a, b, points=None):
    from scipy.integrate import IntegrationWarning, quad

    with warnings.catch_warnings():
        warnings.simplefilter("error", IntegrationWarning)
        try:
            if points is not None and np.isfinite(b):
                val, err = quad(func, a, b, points=points, limit=500)
            else:
                val, err = quad(func, a, b, limit=500)
        except IntegrationWarning as exc:
            raise ConvergenceError(
                f"Green-Kubo quadrature did not converge ({str(exc).splitlines()[0]}); "
                "give t_max or sample the VACF and pass arrays"
            ) from None
    return val, err


@renamed_arguments(d="dim")
def green_kubo_diffusion(vacf, dim, *, times=None, t_max=None, method="simpson",
                         tail="exponential", details=False):
    r"""Diffusion constant from a velocity autocorrelation function (Green-Kubo).

    .. math::

        D = \frac{1}{d} \int_0^{\infty} \langle \mathbf v(0)\cdot\mathbf v(t)\rangle \, dt

    Parameters
    ----------
    vacf : callable, array_like or tuple
        Either a callable ``C(t)`` returning :math:`\langle \mathbf v(0)\cdot\mathbf v(t)
        \rangle` in m^2/s^2 for a scalar time ``t`` in s (the full dot product, summed over
        the ``d`` components), or samples ``C(t_i)`` in m^2/s^2 at the times ``times``, or a
        pair ``(times, samples)``.
    dim : {1, 2, 3}
        Spatial dimension.
    times : array_like, optional
        Sample times in s (strictly increasing, starting at 0), required with sampled
        ``vacf`` and not allowed with a callable.
    t_max : float, optional
        Upper limit of the integral in s. Default: infinity. For a callable the integral is
        done by :func:`scipy.integrate.quad` (split at a decay time found by probing the
        VACF); for samples it cuts the data at ``t_max``.
    method : {'simpson', 'trapezoid'}
        Rule for sampled data.
    tail : {'exponential', 'none'}
        For sampled data without ``t_max``: estimate the integral beyond the last sample by
        an exponential :math:`C(t_N) \tau_{\rm tail}` with :math:`\tau_{\rm tail}` fitted
        to the last quarter of the samples (only when they decay monotonically with one
        sign; otherwise the tail is 0).
    details : bool
        Return a dict with ``D`` (m^2/s), ``integral`` (m^2/s), ``tail`` (m^2/s, part of the
        integral from the tail estimate) and ``abserr`` (m^2/s, quadrature estimate or the
        difference between Simpson and trapezoid rules) instead of a float.

    Returns
    -------
    float or dict
        Diffusion constant in m^2/s.

    Examples
    --------
    >>> import numpy as np
    >>> vf, tau = 1e5, 1e-13
    >>> D = green_kubo_diffusion(lambda t: vf**2 * np.exp(-t / tau), 2)
    >>> bool(np.isclose(D, vf**2 * tau / 2))
    True

    References
    ----------
    Kubo, J. Phys. Soc. Jpn. 12, 570 (1957); Green, J. Chem. Phys. 22, 398 (1954).
    """
    d = v.dimension(dim)
    method = v.choice("method", method, ("simpson", "trapezoid"))
    tail = v.choice("tail", tail, ("exponential", "none"))
    if t_max is not None:
        t_max = float(v.positive("t_max", t_max, "s"))
    if isinstance(vacf, tuple) and len(vacf) == 2 and times is None:
        times, vacf = vacf
    if callable(vacf):
        if times is not None:
            raise InputError("times is only for sampled VACF arrays; drop it for a callable")
        integral, abserr, tail_part = _gk_callable(vacf, t_max)
    else:
        if times is None:
            raise InputError("sampled VACF needs times=...; pass the sample times in s")
        integral, abserr, tail_part = _gk_sampled(vacf, times, t_max, method, tail)
    D = integral / d
    if details:
        return {"D": D, "integral": integral, "tail": tail_part, "abserr": abserr,
                "d": d, "unit": "m^2/s"}
    return D


def _gk_callable(vacf, t_max):
    def f(t):
        return float(vacf(t))

    c0 = f(0.0)
    if not math.isfinite(c0):
        raise InputError("VACF(0) is not finite; give a VACF that is finite at t = 0")
    if t_max is not None:
        val, err = _quad(f, 0.0, t_max)
        return val, err, 0.0
    if c0 == 0.0:
        raise InputError("VACF(0) = 0: cannot find its decay time; give t_max")
    ts = _time_scale(f, c0)
    # integrate in reduced time s = t/ts so quad sees an O(1) scale
    def g(s):
        return f(s * ts)

    a1, e1 = _quad(g, 0.0, 50.0, points=[1.0, 5.0])
    a2, e2 = _quad(g, 50.0, np.inf)
    return (a1 + a2) * ts, (e1 + e2) * ts, 0.0


def _gk_sampled(vacf, times, t_max, method, tail):
    from scipy.integrate import simpson, trapezoid

    c = v.finite_array("vacf", vacf)
    t = v.finite_array("times", times)
    if c.ndim != 1 or t.shape != c.shape:
        raise InputError(
            f"vacf and times must be 1-D of equal length, got {c.shape} and {t.shape}"
        )
    if c.size < 3:
        raise InputError("give at least 3 VACF samples")
    if np.any(np.diff(t) <= 0):
        raise InputError("times must be strictly increasing; sort the samples")
    if t[0] != 0.0:
        raise InputError(f"times must start at 0 (the VACF at t = 0), got {t[0]:g} s")
    if t_max is not None:
        keep = t <= t_max
        if keep.sum() < 3:
            raise InputError("fewer than 3 samples below t_max; raise t_max")
        t, c = t[keep], c[keep]
    s = float(simpson(c, x=t))
    tr = float(trapezoid(c, x=t))
    integral = s if method == "simpson" else tr
    abserr = abs(s - tr)
    tail_part = 0.0
    if t_max is None and tail == "exponential":
        n = len(c)
        k = max(3, n // 4)
        tt, cc = t[-k:], c[-k:]
        same_sign = np.all(cc > 0) or np.all(cc < 0)
        if same_sign and np.all(np.diff(np.abs(cc)) < 0):
            slope = np.polyfit(tt, np.log(np.abs(cc)), 1)[0]
            if slope < 0:
                tail_part = float(c[-1] / -slope)
    return integral + tail_part, abserr, tail_part


@renamed_arguments(d="dim")
def free_electron_dos(mass, fermi_energy, dim, *, spin_degeneracy=2):
    r"""Density of states at the Fermi level of free electrons, per volume and energy.

    .. math::

        \nu_{1D} = \frac{g_s}{\pi \hbar v_F},\qquad
        \nu_{2D} = \frac{g_s m}{2 \pi \hbar^2},\qquad
        \nu_{3D} = \frac{g_s m k_F}{2 \pi^2 \hbar^2},\qquad
        k_F = \sqrt{2 m E_F}/\hbar,\ v_F = \hbar k_F / m

    Parameters
    ----------
    mass : array_like
        (Effective) mass in kg, positive.
    fermi_energy : array_like
        Fermi energy measured from the band bottom in J, positive.
    dim : {1, 2, 3}
        Spatial dimension.
    spin_degeneracy : {1, 2}
        Number of spin states :math:`g_s` counted in the DOS (2 for spin-degenerate
        electrons).

    Returns
    -------
    ndarray
        :math:`\nu` in J^-1 m^-d, summed over the ``spin_degeneracy`` spin states.

    References
    ----------
    Ashcroft and Mermin, *Solid State Physics*, ch. 2.
    """
    d = v.dimension(dim)
    m = v.positive("mass", mass, "kg")
    ef = v.positive("fermi_energy", fermi_energy, "J")
    gs = v.choice("spin_degeneracy", spin_degeneracy, (1, 2))
    kf = np.sqrt(2 * m * ef) / HBAR
    if d == 1:
        return gs * m / (np.pi * HBAR**2 * kf)
    if d == 2:
        return gs * m / (2 * np.pi * HBAR**2) * np.ones_like(kf)
    return gs * m * kf / (2 * np.pi**2 * HBAR**2)


def drude_conductivity(dos, diffusion, *, spin_degeneracy=1):
    r"""Drude (Einstein) conductivity :math:`\sigma_0 = g_s e^2 \nu D_0`.

    Parameters
    ----------
    dos : array_like
        Density of states at the Fermi level :math:`\nu` in J^-1 m^-d, positive. With the
        default ``spin_degeneracy=1`` this is the total DOS (all spin states, the convention
        of :func:`free_electron_dos`); with ``spin_degeneracy=g_s`` it is the DOS per spin
        state and is multiplied by :math:`g_s`.
    diffusion : array_like
        Diffusion constant :math:`D_0` in m^2/s, positive.
    spin_degeneracy : int
        Multiplier :math:`g_s` of a per-spin ``dos`` (1 when ``dos`` is already the total).

    Returns
    -------
    ndarray
        Conductivity in S m^(2-d): S m in d = 1 (conductance times length), S (sheet
        conductance) in d = 2, S/m in d = 3.

    References
    ----------
    Einstein relation; Akkermans and Montambaux (2007), eq. (7.22).
    """
    nu = v.positive("dos", dos, "J^-1 m^-d")
    D = v.positive("diffusion", diffusion, "m^2/s")
    gs = v.positive_int("spin_degeneracy", spin_degeneracy)
    return gs * E_CHARGE**2 * nu * D


@renamed_arguments(d="dim")
def return_probability(t, diffusion, dim):
    r"""Classical return probability density :math:`P(0, t) = (4 \pi D t)^{-d/2}`.

    Parameters
    ----------
    t : array_like
        Time in s, positive.
    diffusion : array_like
        Diffusion constant in m^2/s, positive.
    dim : {1, 2, 3}
        Spatial dimension.

    Returns
    -------
    ndarray
        Probability density to be back at the origin, in m^-d.

    References
    ----------
    Solution of the diffusion equation in free space; Akkermans and Montambaux (2007),
    eq. (4.22).
    """
    d = v.dimension(dim)
    t = v.positive("t", t, "s")
    D = v.positive("diffusion", diffusion, "m^2/s")
    return (4 * np.pi * D * t) ** (-d / 2)


def phase_coherence_length(diffusion, tau_phi):
    r"""Phase-coherence length :math:`L_\phi = \sqrt{D \tau_\phi}`.

    Parameters
    ----------
    diffusion : array_like
        Diffusion constant in m^2/s, positive.
    tau_phi : array_like
        Phase-coherence time in s, positive.

    Returns
    -------
    ndarray
        :math:`L_\phi` in m.

    References
    ----------
    Altshuler and Aronov, in *Electron-Electron Interactions in Disordered Systems*
    (North-Holland, 1985); Bergmann, Phys. Rep. 107, 1 (1984).
    """
    D = v.positive("diffusion", diffusion, "m^2/s")
    tp = v.positive("tau_phi", tau_phi, "s")
    return np.sqrt(D * tp)


@dataclasses.dataclass(frozen=True)
class RegimeCheck:
    """Outcome of :func:`diffusive_regime`.

    Attributes
    ----------
    ok : bool
        True when every checked condition holds with the requested margin.
    ratios : dict
        Condition -> smallest ratio (dimensionless) that must exceed ``threshold``:
        ``'L >> l'`` -> L/l, ``'t >> tau'`` -> t/tau, ``'omega tau << 1'`` -> 1/(omega tau).
    failing : tuple of str
        The conditions whose ratio is below ``threshold``.
    threshold : float
        The margin used.
    """

    ok: bool
    ratios: dict
    failing: tuple
    threshold: float

    def __bool__(self) -> bool:
        return self.ok


    def as_dict(self) -> dict:
        """Every field, arrays included (``weakloc.io.write_json`` writes it as JSON)."""
        return dataclasses.asdict(self)


def diffusive_regime(*, size=None, mean_free_path=None, time=None, tau=None, omega=None,
                     threshold=10.0):
    r"""Check the conditions of the diffusive regime and report which ones fail.

    The conditions are :math:`L \gg l`, :math:`t \gg \tau` and :math:`\omega\tau \ll 1`;
    each is counted as satisfied when its ratio :math:`L/l`, :math:`t/\tau`,
    :math:`1/(\omega\tau)` is at least ``threshold``. Only the conditions whose inputs are
    given are checked; arrays are allowed and the smallest ratio counts.

    Parameters
    ----------
    size : array_like, optional
        Sample size or observation length L in m, positive (needs ``mean_free_path``).
    mean_free_path : array_like, optional
        Elastic mean free path l in m, positive.
    time : array_like, optional
        Observation time t in s, positive (needs ``tau``).
    tau : array_like, optional
        Elastic scattering time in s, positive.
    omega : array_like, optional
        Angular frequency of the probe in rad/s, non-negative (needs ``tau``).
    threshold : float
        Margin meaning "much greater than", > 1. Default 10.

    Returns
    -------
    RegimeCheck
        ``ok``, the ratios and the failing conditions.

    References
    ----------
    Akkermans and Montambaux (2007), ch. 4; Lee and Ramakrishnan, Rev. Mod. Phys. 57, 287
    (1985).
    """
    threshold = float(v.in_range("threshold", threshold, 1.0, np.inf))
    ratios = {}
    if size is not None or mean_free_path is not None:
        if size is None or mean_free_path is None:
            raise InputError("the L >> l check needs both size and mean_free_path (m)")
        L = v.positive("size", size, "m")
        l_e = v.positive("mean_free_path", mean_free_path, "m")
        ratios["L >> l"] = float(np.min(L / l_e))
    if time is not None or omega is not None:
        if tau is None:
            raise InputError("the t >> tau and omega tau << 1 checks need tau (s)")
    if tau is not None:
        tau_a = v.positive("tau", tau, "s")
        if time is None and omega is None:
            raise InputError("tau given alone; add time=... and/or omega=...")
        if time is not None:
            t = v.positive("time", time, "s")
            ratios["t >> tau"] = float(np.min(t / tau_a))
        if omega is not None:
            w = v.nonnegative("omega", omega, "rad/s")
            with np.errstate(divide="ignore"):
                ratios["omega tau << 1"] = float(np.min(1.0 / (w * tau_a)))
    if not ratios:
        raise InputError("nothing to check; give size and mean_free_path, or time/omega and tau")
    failing = tuple(name for name, r in ratios.items() if r < threshold)
    return RegimeCheck(ok=not failing, ratios=ratios, failing=failing, threshold=threshold)
