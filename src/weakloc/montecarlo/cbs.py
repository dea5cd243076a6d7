r"""Coherent backscattering (CBS) of light from a disordered half-space or slab.

Scalar waves, point scatterers with scattering mean free path :math:`l` (isotropic, or
Henyey-Greenstein with mean cosine :math:`g`, transport mean free path
:math:`l_{\rm tr} = l/(1-g)`), a plane wave of wave number :math:`k` incident at angle
:math:`\theta_i` on the surface z = 0. Photon paths :math:`r_1, \dots, r_n` are sampled
by Monte Carlo; at every scattering event a next-event (escape) estimate toward each
detector direction :math:`\hat f` is added:

.. math::

    I_L(\hat f) = \Big\langle \sum_j p(\hat e_{j-1}\cdot\hat f)\,
        e^{-z_j/|\mu_f|} \Big\rangle,\qquad
    I_C(\hat f) = \Big\langle \sum_{j\ge 2} \sqrt{W_j W'_j}/p_j\,
        \cos[(\mathbf k_i + \mathbf k_f)\cdot(\mathbf r_1 - \mathbf r_j)] \Big\rangle,

where :math:`W'_j` is the weight of the time-reversed path (entering at :math:`r_j`,
leaving from :math:`r_1`). Single scattering (j = 1) is tallied apart: it has no distinct
reversed partner. Intensities are the reflected power per steradian per incident photon
(sr^-1, the bistatic coefficient divided by :math:`4\pi\mu_i`). At exact backscattering
reciprocity makes :math:`I_C = I_L`, so the enhancement is 2 without single scattering.

For comparison, the diffusion approximation of Akkermans, Wolf and Maynard (AWM) for a
half-space at normal incidence,

.. math::

    \alpha_C(\theta) = \frac{3}{8\pi}\,\frac{1}{(1 + q l_{\rm tr})^2}
    \left[1 + \frac{1 - e^{-2 q z_0}}{q l_{\rm tr}}\right],
    \qquad q = k \sin\theta,\quad z_0 = 0.7104\, l_{\rm tr},

(sr^-1, exact backscattering value :math:`(3/8\pi)(1 + 2 z_0/l_{\rm tr})`). The line
shape follows from sources and detectors distributed as :math:`e^{-z/l}` and the
image-source diffusion propagator :math:`[e^{-q|z-z'|} - e^{-q(z+z'+2z_0)}]/2q`
(derived in :func:`awm_crossed`); the exact (Milne) extrapolation length of the isotropic
half-space is :math:`z_0 = 0.7104\,l`, the simplest diffusion boundary condition gives
:math:`2l/3`.

The exact radiative-transfer albedo of the isotropic half-space, single plus ladder, is
Chandrasekhar's :math:`\frac{1}{4\pi}\frac{\mu H(\mu) H(\mu_i)}{\mu + \mu_i}`
(:func:`chandrasekhar_h`), an independent check of the Monte Carlo ladder.

References
----------
Akkermans, Wolf and Maynard, PRL 56, 1471 (1986); van Albada and Lagendijk, PRL 55, 2692
(1985); Wolf and Maret, PRL 55, 2696 (1985); van der Mark, van Albada and Lagendijk, PRB 37,
3575 (1988); Chandrasekhar, *Radiative Transfer* (1950), ch. V; Akkermans and Montambaux,
*Mesoscopic Physics of Electrons and Photons* (2007), ch. 8.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from weakloc import _validate as v
from weakloc._deprecate import renamed_arguments, warn_renamed
from weakloc.errors import InputError
from weakloc.theory.cone import Z0_MILNE, crossed_profile

__all__ = ["Z0_MILNE", "CBSConeResult", "simulate_cbs", "awm_crossed", "awm_ladder",
           "chandrasekhar_h", "exact_albedo", "milne_tail", "cone_fwhm", "validate_cbs",
           "run_time_estimate", "check_run_time", "SECONDS_PER_EVENT_DETECTOR"]


@dataclasses.dataclass(frozen=True)
class CBSConeResult:
    r"""Monte Carlo backscattering cone of :func:`simulate_cbs`.

    Attributes
    ----------
    params : dict
        Inputs (kl, photons, g, mean_free_path_m, thickness_m, incidence_rad, max_orders)
        and the integer ``seed``.
    angles_rad : ndarray
        Detector angles measured from exact backscattering, in the plane of incidence.
    single, ladder, crossed : ndarray
        Reflected power per steradian per incident photon (sr^-1).
    single_stderr, ladder_stderr, crossed_stderr : ndarray
        Their standard errors.
    enhancement_with_single, enhancement_without_single : float
        :math:`(I_S + I_L + I_C)/(I_S + I_L)` and :math:`(I_L + I_C)/I_L` at the angle
        closest to exact backscattering.
    enhancement_stderr : float
        Jackknife error of the enhancement with single scattering.
    fwhm_rad, fwhm_stderr : float
        Full width at half maximum of the crossed term (rad), NaN if not bracketed.
    awm : ndarray
        AWM crossed term :math:`\alpha_C` at the same angles (sr^-1).
    awm_fwhm_rad : float
        FWHM of the AWM line shape.
    reflected, transmitted, truncated : float
        Fractions of photons that left through z = 0, through the back face, or were
        stopped at ``max_orders``.
    ladder_tail : ndarray
        Estimated diffuse intensity (sr^-1) the stopped photons would still add, from the
        Milne emission law :func:`milne_tail` (isotropic, non-absorbing half-space; NaN
        otherwise).
    events : int
        Scattering events simulated.
    absorbed : float
        Fraction of photons stopped because their absorption weight fell below e^-40.
    """

    params: dict
    angles_rad: np.ndarray
    single: np.ndarray
    ladder: np.ndarray
    crossed: np.ndarray
    single_stderr: np.ndarray
    ladder_stderr: np.ndarray
    crossed_stderr: np.ndarray
    enhancement_with_single: float
    enhancement_without_single: float
    enhancement_stderr: float
    fwhm_rad: float
    fwhm_stderr: float
    awm: np.ndarray
    awm_fwhm_rad: float
    reflected: float
    transmitted: float
    truncated: float
    ladder_tail: np.ndarray
    events: int
    absorbed: float = 0.0


    def as_dict(self) -> dict:
        """Every field, arrays included (``weakloc.io.write_json`` writes it as JSON)."""
        return dataclasses.asdict(self)


@renamed_arguments(g="anisotropy")
def awm_crossed(theta, kl, *, anisotropy=0.0, z0=None, incidence=0.0, absorption=None):
    r"""AWM diffusion-approximation crossed intensity (sr^-1) at angle ``theta`` (rad).

    .. math::

        \alpha_C = \frac{3}{8\pi}\frac{1}{(1 + q l_{\rm tr})^2}
        \left[1 + \frac{1 - e^{-2 q z_0}}{q l_{\rm tr}}\right],\quad
        q = k|\sin(\theta_i + \theta) - \sin\theta_i|

    With :math:`a = 1/l_{\rm tr}`, the source and detector depth profiles :math:`e^{-az}`
    and the half-space propagator :math:`[e^{-q|z-z'|} - e^{-q(z+z'+2z_0)}]/2q` give
    :math:`\int\!\!\int = [1/(a(a+q)) - e^{-2qz_0}/(a+q)^2]/2q`, which is the bracket above
    times :math:`l_{\rm tr}^3/[2(1+ql_{\rm tr})^2]`; AWM's prefactor 3/(8 pi) sets the
    units of the albedo per steradian.

    Parameters
    ----------
    theta : array_like
        Angle from exact backscattering in rad.
    kl : float
        :math:`k l` (wave number times scattering mean free path), positive.
    anisotropy : float
        Mean scattering cosine :math:`g` (dimensionless); enters through
        :math:`l_{\rm tr} = l/(1-g)`. ``g=`` is its deprecated name.
    z0 : float, optional
        Extrapolation length in units of :math:`l_{\rm tr}`; default 0.7104 (Milne).
    incidence : float
        Angle of incidence :math:`\theta_i` in rad; q is then the in-plane transverse
        component of :math:`\mathbf k_i + \mathbf k_f` (AWM derived the normal-incidence
        case; at oblique incidence this is the usual approximation that keeps the depth
        profiles of normal incidence).
    absorption : float, optional
        Diffusive absorption length :math:`L_a/l_{\rm tr}`: q is replaced by
        :math:`\sqrt{q^2 + L_a^{-2}}` (:func:`weakloc.theory.cone.crossed_profile`).

    Returns
    -------
    ndarray
        :math:`\alpha_C(\theta)` in sr^-1.

    References
    ----------
    Akkermans, Wolf and Maynard, PRL 56, 1471 (1986).
    """
    kl = float(v.positive("kl", kl))
    z0 = Z0_MILNE if z0 is None else float(v.positive("z0", z0))
    theta = v.finite_array("theta", theta)
    inc = float(incidence)
    x = kl / (1.0 - anisotropy) * np.abs(np.sin(inc + theta) - math.sin(inc))  # q l_tr
    if absorption is not None:
        x = np.hypot(x, 1.0 / float(v.positive("absorption", absorption)))
    return 3.0 / (8 * math.pi) * crossed_profile(x, z0=z0)


def awm_ladder(*, z0=None):
    r"""AWM diffuse (ladder) intensity at normal incidence, :math:`(3/8\pi)(1 + 2z_0/l_{\rm
    tr})` in sr^-1 (equal to :func:`awm_crossed` at exact backscattering)."""
    z0 = Z0_MILNE if z0 is None else float(v.positive("z0", z0))
    return 3.0 / (8 * math.pi) * (1.0 + 2 * z0)


def chandrasekhar_h(mu, *, nodes=128):
    r"""Chandrasekhar's H function of conservative isotropic scattering (albedo 1).

    Evaluated from its integral representation

    .. math::

        H(\mu) = \exp\left[-\frac{\mu}{\pi}\int_0^{\pi/2}
        \frac{\ln(1 - \varphi\cot\varphi)}{\cos^2\varphi + \mu^2\sin^2\varphi}
        \, d\varphi\right]

    by Gauss-Legendre quadrature (the logarithmic end point at 0 is mapped away);
    dimensionless; H(0) = 1, H(1) = 2.9078, :math:`\int_0^1 H d\mu = 2`.

    Parameters
    ----------
    mu : array_like
        Direction cosines in [0, 1].
    nodes : int
        Quadrature nodes per sub-interval.

    Returns
    -------
    ndarray
        :math:`H(\mu)`, same shape as ``mu``.

    References
    ----------
    Chandrasekhar, *Radiative Transfer* (1950), ch. V.
    """
    mu = v.in_range("mu", mu, 0.0, 1.0, closed=True)
    x, w = np.polynomial.legendre.leggauss(int(nodes))
    t, wt = 0.5 * (x + 1), 0.5 * w
    a = 0.05
    phi = np.concatenate([a * t**2, a + (np.pi / 2 - a) * t])
    wphi = np.concatenate([wt * 2 * a * t, wt * (np.pi / 2 - a)])
    small = phi < 1e-3
    safe = np.where(small, 1.0, phi)
    f = np.where(small, np.log(phi**2 / 3 * (1 - phi**2 / 15)), np.log(1 - safe / np.tan(safe)))
    m = mu[..., None]
    integral = np.sum(wphi * f / (np.cos(phi) ** 2 + m**2 * np.sin(phi) ** 2), axis=-1)
    return np.exp(-mu / np.pi * integral)


def exact_albedo(mu, mu_in):
    r"""Exact single + multiple scattering reflection of the isotropic half-space.

    :math:`\frac{1}{4\pi}\frac{\mu H(\mu) H(\mu_i)}{\mu + \mu_i}` (sr^-1 per incident
    photon, the normalization of :class:`CBSConeResult`); single scattering alone is the same
    with H = 1.

    References
    ----------
    Chandrasekhar, *Radiative Transfer* (1950), ch. V.
    """
    mu = v.in_range("mu", mu, 0.0, 1.0, closed=True)
    mu_in = float(v.in_range("mu_in", mu_in, 0.0, 1.0, closed=True))
    return mu * chandrasekhar_h(mu) * chandrasekhar_h(mu_in) / (4 * math.pi * (mu + mu_in))


def milne_tail(truncated, mu):
    r"""Diffuse intensity still to come from photons stopped deep inside (sr^-1).

    A photon deep in a conservative isotropic half-space eventually leaves with the Milne
    emission law, power per steradian :math:`\propto \mu H(\mu)`; with
    :math:`\int_0^1 \mu H(\mu) d\mu = 2/\sqrt 3` the stopped fraction ``truncated``
    adds :math:`\text{truncated}\; \sqrt 3\, \mu H(\mu) / (4\pi)`.

    References
    ----------
    Chandrasekhar, *Radiative Transfer* (1950), ch. V (moments of H).
    """
    mu = v.in_range("mu", mu, 0.0, 1.0, closed=True)
    return float(truncated) * math.sqrt(3.0) * mu * chandrasekhar_h(mu) / (4 * math.pi)


def cone_fwhm(angles, crossed):
    """Full width at half maximum (rad) of a crossed-intensity curve.

    The maximum is taken at the angle closest to 0; each side is found by linear
    interpolation; with only non-negative angles the curve is taken as symmetric.
    Returns NaN when a half-maximum crossing is missing.
    """
    a = np.asarray(angles, dtype=float)
    c = np.asarray(crossed, dtype=float)
    i0 = int(np.argmin(np.abs(a)))
    half = 0.5 * c[i0]

    def side(idx):
        for j0, j1 in zip(idx[:-1], idx[1:]):
            if c[j1] <= half < c[j0]:
                return a[j0] + (half - c[j0]) * (a[j1] - a[j0]) / (c[j1] - c[j0])
        return math.nan

    right = side(list(range(i0, a.size)))
    left = side(list(range(i0, -1, -1))) if i0 > 0 else -right
    return float(abs(right - left))


#: seconds per scattering event and detector channel (one thread, next-event estimates
#: toward every detector at each shallow event; 1e6-3e6 events/s on two threads with 31-61
#: detectors in BENCHMARKS.md, "Monte Carlo random walks and CBS")
SECONDS_PER_EVENT_DETECTOR = 1e-8


def run_time_estimate(samples, detectors, *, max_orders=20000, anisotropy=0.0,
                      thickness_l=math.inf, absorption_l=math.inf, polarized=False,
                      threads=None) -> float:
    """Rough duration (s) of a CBS run of ``samples`` photons toward ``detectors``.

    Events per photon: about ``3.4 sqrt(N / (1 - g))`` in a half-space with paths cut at
    ``N = max_orders`` events (the return-time law ``n^(-3/2)``), at most ``0.5 (L/l)^2 /
    (1 - g) + 2`` in a slab ``L`` thick and ``20 sqrt(l_a / (l (1 - g)))`` with a ballistic
    absorption length ``l_a`` (``thickness_l = L/l``, ``absorption_l = l_a/l``, both
    dimensionless); each costs :data:`SECONDS_PER_EVENT_DETECTOR` per detector (2.2 times
    that for the four channels of polarized light), spread over ``threads`` (default
    numba's thread count). Fitted to runs of 4,000 photons (default cone, g = 0, 0.5, 0.9,
    slab and absorption): an order of magnitude, not a forecast.
    """
    g = float(anisotropy)
    events = min(float(max_orders), 3.4 * math.sqrt(max_orders / (1.0 - g)),
                 0.5 * thickness_l**2 / (1.0 - g) + 2.0,
                 20.0 * math.sqrt(absorption_l / (1.0 - g)))
    if threads is None:
        from weakloc.montecarlo._blocks import _threads

        threads = _threads()
    return (float(samples) * events * max(int(detectors), 1) * (2.2 if polarized else 1.0)
            * SECONDS_PER_EVENT_DETECTOR / max(int(threads), 1))


def check_run_time(seconds, samples, force, progress, what="a CBS run") -> None:
    """Refuse a run over :data:`weakloc.resources.TIME_LIMIT` up front (unless ``force``)."""
    from weakloc.resources import check_time

    check_time(seconds, f"{what} of {samples} photons", force=force,
               stream=False if progress is False else None)


def validate_cbs(kl, samples, g, mean_free_path, thickness, incidence, max_orders):
    """Check CBS parameters before any work (raises InputError naming the fix)."""
    kl = float(v.positive("kl", kl))
    photons = v.positive_int("samples", samples, minimum=2)
    g = float(v.finite_array("anisotropy", g))
    if not -1.0 < g < 1.0:
        raise InputError(f"anisotropy (mean scattering cosine) must satisfy |g| < 1, "
                         f"got {g:g}")
    l_m = float(v.positive("mean_free_path", mean_free_path, "m"))
    if thickness is not None:
        thickness = float(v.positive("thickness", thickness, "m"))
    inc = float(v.finite_array("incidence", incidence))
    if not 0.0 <= inc < math.radians(80):
        raise InputError(f"incidence must lie in [0, 80) degrees, got {math.degrees(inc):g}")
    max_orders = v.positive_int("max_orders", max_orders, minimum=2)
    return kl, photons, g, l_m, thickness, inc, max_orders


@renamed_arguments(photons="samples", g="anisotropy")
def simulate_cbs(kl=20.0, *, samples=50000, anisotropy=0.0, mean_free_path=1e-6, thickness=None,
                 incidence=0.0, angles=None, max_orders=20000, absorption_length=None,
                 seed=None, progress=None, force=False) -> CBSConeResult:
    r"""Monte Carlo backscattering cone: single, ladder and crossed intensity vs angle.

    Parameters
    ----------
    kl : float
        :math:`k l`, wave number times scattering mean free path (> 0).
    samples : int
        Number of photon paths (formerly ``photons``).
    anisotropy : float
        Mean scattering cosine :math:`g` (Henyey-Greenstein), :math:`|g| < 1`
        (dimensionless; ``g=`` is its deprecated name).
    mean_free_path : float
        Scattering mean free path l in m (sets the length scale only).
    thickness : float, optional
        Slab thickness in m; default semi-infinite.
    incidence : float
        Angle of incidence in rad, in [0, 80 deg); detectors lie in the plane of incidence.
    angles : array_like, optional
        Detector angles from exact backscattering in rad; default 61 values in
        :math:`[0, 3/(k l_{\rm tr})]` at normal incidence, symmetric around 0 otherwise.
    max_orders : int
        Paths are stopped after this many scattering events; ``truncated`` reports the
        fraction of photons stopped (their missing long paths sharpen only the top of the
        cusp, within :math:`q l \lesssim 1/\sqrt{\rm max\_orders}`).
    absorption_length : float, optional
        Ballistic absorption length :math:`l_a` in m (intensity falls as
        :math:`e^{-s/l_a}` along the path length s); None is no absorption. The diffusive
        absorption length of the AWM comparison is :math:`L_a = \sqrt{l_{\rm tr} l_a/3}`.
    seed : int, SeedSequence or Generator, optional
        Root of the per-photon streams (recorded).
    progress : bool, optional
        progress on stderr by the package rule (:mod:`weakloc.progress`): None (default)
        a bar on a terminal and log lines otherwise, False nothing.
    force : bool
        Run even when :func:`~weakloc.montecarlo.cbs.run_time_estimate` says it would take
        over an hour (:data:`weakloc.resources.TIME_LIMIT`); without it such a run is
        refused up front (:class:`~weakloc.errors.ResourceError`, with the estimate). A run
        of over a minute is announced on stderr unless ``progress=False``.

    Returns
    -------
    CBSConeResult
        The cone, enhancement factors, widths and the AWM comparison.

    References
    ----------
    See the module docstring.
    """
    from weakloc.montecarlo._blocks import block_mean, jackknife, run_blocks
    from weakloc.montecarlo._cbskernel import cbs_blocks
    from weakloc.montecarlo._rng import walker_keys

    kl, photons, g, l_m, thickness, inc, max_orders = validate_cbs(
        kl, samples, anisotropy, mean_free_path, thickness, incidence, max_orders)
    kl_tr = kl / (1.0 - g)
    if angles is None:
        a_max = 3.0 / kl_tr
        angles = (np.linspace(0.0, a_max, 61) if inc == 0.0
                  else np.linspace(-a_max, a_max, 61))
    ang = v.finite_array("angles", angles)
    if ang.ndim != 1 or np.any(np.abs(ang) >= math.pi / 2 - inc) or np.any(np.diff(ang) <= 0):
        raise InputError("angles must be increasing, in rad, and keep the detector above the "
                         "surface (|angle| < 90 deg - incidence)")
    s_in = np.array([math.sin(inc), 0.0, math.cos(inc)])
    th = inc + ang  # outgoing polar angle of the detector, same side as the source
    dets = np.stack([-np.sin(th), np.zeros_like(th), -np.cos(th)], axis=1)
    thick_l = math.inf if thickness is None else thickness / l_m
    absorb = 0.0 if absorption_length is None else \
        l_m / float(v.positive("absorption_length", absorption_length, "m"))
    la_tr = None if absorb == 0.0 else math.sqrt((1.0 - g) / (3.0 * absorb))  # L_a / l_tr
    check_run_time(run_time_estimate(photons, dets.shape[0], max_orders=max_orders,
                                     anisotropy=g, thickness_l=thick_l,
                                     absorption_l=math.inf if absorb == 0.0 else 1.0 / absorb),
                   photons, force, progress)

    keys, root = walker_keys(seed, photons)
    (S1, S2, L1, L2, X1, X2, stats), counts = run_blocks(
        cbs_blocks, keys, (s_in, dets, kl, g, thick_l, max_orders, absorb), desc="photons",
        progress=progress)
    n = float(photons)

    single, single_se = block_mean(S1, S2, n)
    ladder, ladder_se = block_mean(L1, L2, n)
    crossed, crossed_se = block_mean(X1, X2, n)
    i0 = int(np.argmin(np.abs(ang)))

    def enh(s, lad, c):
        return (s[i0] + lad[i0] + c[i0]) / (s[i0] + lad[i0]), (lad[i0] + c[i0]) / lad[i0]

    e_with, e_without = enh(single, ladder, crossed)
    fwhm = cone_fwhm(ang, crossed)
    e_se = jackknife(lambda s_, l_, c_: enh(s_, l_, c_)[0], (S1, L1, X1), counts)
    w_se = jackknife(lambda c_: cone_fwhm(ang, c_), (X1,), counts)
    awm = awm_crossed(ang, kl, anisotropy=g, incidence=inc, absorption=la_tr)
    a_fine = np.linspace(-6.0 / kl_tr, 6.0 / kl_tr, 6001)
    awm_fwhm = cone_fwhm(a_fine, awm_crossed(a_fine, kl, anisotropy=g, incidence=inc,
                                             absorption=la_tr))
    st = stats.sum(0)
    if g == 0.0 and thickness is None and absorb == 0.0:
        tail = milne_tail(st[3] / n, np.abs(dets[:, 2]))
    else:
        tail = np.full(ang.size, math.nan)
    params = {"kl": kl, "samples": photons, "anisotropy": g, "mean_free_path_m": l_m,
              "thickness_m": thickness, "incidence_rad": inc, "max_orders": max_orders,
              "absorption_length_m": absorption_length, "seed": root}
    return CBSConeResult(
        params=params, angles_rad=ang, single=single, ladder=ladder, crossed=crossed,
        single_stderr=single_se, ladder_stderr=ladder_se, crossed_stderr=crossed_se,
        enhancement_with_single=float(e_with), enhancement_without_single=float(e_without),
        enhancement_stderr=e_se, fwhm_rad=fwhm, fwhm_stderr=w_se, awm=awm,
        awm_fwhm_rad=awm_fwhm, reflected=float(st[1] / n), transmitted=float(st[2] / n),
        truncated=float(st[3] / n), ladder_tail=tail, events=int(st[0]),
        absorbed=float(st[4] / n),
    )


def __getattr__(name: str):
    if name == "CBSResult":   # its name until the momentum-space CBSResult of dynamics/ came
        warn_renamed("weakloc.montecarlo.cbs.CBSResult", "CBSConeResult")
        return CBSConeResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
