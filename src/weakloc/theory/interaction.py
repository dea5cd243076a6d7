r"""Temperature dependence of the zero-field conductivity: weak localization and the
Altshuler-Aronov electron-electron interaction correction.

Both corrections grow as the temperature falls. With :math:`L_\varphi = L_1 (T/1\,{\rm K})^{-p/2}`
and the thermal length :math:`L_T = \sqrt{\hbar D/k_B T}`:

* **2D** (sheet conductance, S; :math:`G_0 = e^2/(\pi h) = e^2/(2\pi^2\hbar)`, spin
  degeneracy included):

  .. math::

      \sigma(T) = \sigma_1 + G_0\,(\alpha p + A_{ee}) \ln(T/1\,{\rm K}),\qquad
      A_{ee} = 1 - \tfrac34 \tilde F_\sigma ,

  the weak-localization part :math:`-\alpha G_0 \ln(\tau_\varphi/\tau)` with
  :math:`\tau_\varphi \propto T^{-p}` (:math:`\alpha = 1` orthogonal, :math:`-1/2`
  symplectic: the convention of :func:`weakloc.theory.hln`) and the interaction part
  :math:`G_0 A_{ee}\ln(k_B T\tau/\hbar)`. A field that kills weak localization leaves
  :math:`G_0 A_{ee}\ln T` (the Zeeman splitting of the triplet channel neglected:
  :math:`g\mu_B B \ll k_B T`).
* **1D** (wire, :math:`\sigma = G L` in S m): :math:`\sigma(T) = \sigma_\infty - \alpha\,
  (2e^2/h)\,L_\varphi(T) + a_{ee} T^{-1/2}` (the interaction term scales as :math:`L_T`).
* **3D** (S/m): :math:`\sigma(T) = \sigma_0 + \alpha\, G_0/L_\varphi(T) + a_{ee}
  T^{1/2}` (the interaction term scales as :math:`1/L_T`).

**The interaction amplitudes as** :math:`\tilde F_\sigma`. All three dimensions come from
one frequency integral of the Coulomb interaction screened in the diffusive regime
(Altshuler and Aronov 1985; Lee and Ramakrishnan 1985), spin degeneracy
included, with the brackets in Lee and Ramakrishnan's convention for :math:`\tilde
F_\sigma` (:math:`4/d - 3\tilde F_\sigma/2`, in units of :math:`e^2/4\pi^2\hbar`):

.. math::

    \delta\sigma_{2D} &= \frac{e^2}{4\pi^2\hbar}\Big(2 - \tfrac32\tilde F_\sigma\Big)
        \ln\frac{k_B T\tau}{\hbar} ,\\
    \delta\sigma_{3D} &= \frac{e^2}{4\pi^2\hbar}\, c_3 \Big(\tfrac43 -
        \tfrac32\tilde F_\sigma\Big) \sqrt{\frac{k_B T}{2\hbar D}} ,\qquad
        c_3 = \tfrac{\sqrt\pi}{2}|\zeta(\tfrac12)| = 1.2942 ,\\
    \delta(GL)_{1D} &= -\frac{e^2}{h}\, c_1 \Big(4 - \tfrac32\tilde F_\sigma\Big) L_T ,
        \qquad c_1 = \tfrac32\sqrt{2\pi}\,|\zeta(-\tfrac12)| = 0.78164 .

:math:`c_3` is the "1.3" of Lee and Ramakrishnan's 3D formula. Both numbers are the
thermal integrals with :math:`g(x) = (x\coth x)' = \coth x - x/\sinh^2 x`:
:math:`\int_0^\infty x^{-1/2}[g(x) - 1]\,dx = -\sqrt2\,c_3` and
:math:`\int_0^\infty x^{-3/2} g(x)\,dx = 4 c_1`, in closed form through
:math:`\zeta(\pm\frac12)` (the tests integrate them numerically). The 2D, 3D and 1D
results are one formula, the screened-Coulomb exchange integral
:math:`\propto d^{-1}\int d\omega\,g\,{\rm Im}\int d^dq\,(Dq^2 - i\omega)^{-2}`, whose 2D
limit fixes the normalization and whose 3D limit reproduces Lee and Ramakrishnan's
constant; the 1D constant and the 1D bracket (the :math:`4/d` pattern) were derived here
from it rather than read off a paper.
:func:`interaction_amplitude` gives :math:`a_{ee}` from :math:`\tilde F_\sigma` and the
diffusion constant D, :func:`screening_from_amplitude` the inverse.

References
----------
Altshuler, Aronov and Lee, PRL 44, 1288 (1980); Lee and Ramakrishnan, RMP 57, 287 (1985),
sec. III; Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980); Altshuler and
Aronov, in *Electron-Electron Interactions in Disordered Systems* (1985).
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.errors import InputError
from weakloc.units import E2_OVER_H, G0, HBAR, K_B

__all__ = ["interaction_coefficient", "screening_factor", "sigma_t_2d", "sigma_t_1d",
           "sigma_t_3d", "TEMPERATURE_EXPONENT", "AA_CONSTANTS", "interaction_amplitude",
           "screening_from_amplitude"]

#: Exponent of T in the 1D and 3D interaction corrections.
TEMPERATURE_EXPONENT = {1: -0.5, 3: 0.5}

#: The numbers c_1 = -(3/2) sqrt(2 pi) zeta(-1/2) = 0.78164 and c_3 = -(sqrt(pi)/2)
#: zeta(1/2) = 1.2942 of the 1D and 3D Altshuler-Aronov corrections (module docstring),
#: dimensionless, keyed by the dimension.
AA_CONSTANTS = {1: 1.5 * np.sqrt(2 * np.pi) * 0.2078862249773546,
                3: 0.5 * np.sqrt(np.pi) * 1.4603545088095868}

_EXCHANGE = {1: 4.0, 3: 4.0 / 3.0}   # the 4/d of the brackets


def _unit_amplitude(dim, diffusion):
    """a_ee per unit of the bracket (4/d - 3F/2): S m K^(1/2) in 1D, S/m/K^(1/2) in 3D."""
    d = v.positive("diffusion", diffusion, "m^2/s")
    if dim == 1:
        return -E2_OVER_H * AA_CONSTANTS[1] * np.sqrt(HBAR * d / K_B)
    # e^2 / (4 pi^2 hbar) = (e^2/h) / (2 pi)
    return E2_OVER_H / (2 * np.pi) * AA_CONSTANTS[3] * np.sqrt(K_B / (2 * HBAR * d))


def _wire_or_bulk(dim):
    dim = v.dimension(dim)
    if dim == 2:
        raise InputError("in 2D the interaction term is G0 A_ee ln T: use "
                         "interaction_coefficient / screening_factor (no diffusion constant)")
    return dim


def interaction_amplitude(f_sigma, *, dim, diffusion):
    r"""Altshuler-Aronov amplitude :math:`a_{ee}` of the 1D or 3D :math:`\sigma(T)` from
    :math:`\tilde F_\sigma` (module docstring).

    .. math::

        a_{ee}^{3D} = \frac{e^2}{4\pi^2\hbar}\,c_3\Big(\tfrac43 - \tfrac32\tilde
        F_\sigma\Big)\sqrt{\frac{k_B}{2\hbar D}},\qquad
        a_{ee}^{1D} = -\frac{e^2}{h}\,c_1\Big(4 - \tfrac32\tilde F_\sigma\Big)
        \sqrt{\frac{\hbar D}{k_B}},

    so that the correction is :math:`a_{ee}T^{1/2}` (3D) or :math:`a_{ee}T^{-1/2}` (1D).

    Parameters
    ----------
    f_sigma : array_like
        :math:`\tilde F_\sigma` (dimensionless; 0 without screening, up to about 1).
    dim : {1, 3}
    diffusion : float
        Diffusion constant D in m^2/s.

    Returns
    -------
    ndarray
        3D: S/m/K^(1/2); 1D (conductance times length): S m K^(1/2).

    References
    ----------
    Altshuler and Aronov, in *Electron-Electron Interactions in Disordered Systems* (1985);
    Lee and Ramakrishnan, RMP 57, 287 (1985).
    """
    dim = _wire_or_bulk(dim)
    f = np.asarray(f_sigma, dtype=float)
    return _unit_amplitude(dim, diffusion) * (_EXCHANGE[dim] - 1.5 * f)


def screening_from_amplitude(a_ee, *, dim, diffusion):
    r""":math:`\tilde F_\sigma` from the 1D or 3D amplitude :math:`a_{ee}` (dimensionless),
    the inverse of :func:`interaction_amplitude`:
    :math:`\tilde F_\sigma = \frac23\,(4/d - a_{ee}/a_1)`, :math:`a_1` the amplitude per
    unit bracket.

    Parameters
    ----------
    a_ee : array_like
        3D: S/m/K^(1/2); 1D: S m K^(1/2).
    dim : {1, 3}
    diffusion : float
        m^2/s.
    """
    dim = _wire_or_bulk(dim)
    a = np.asarray(a_ee, dtype=float)
    return (_EXCHANGE[dim] - a / _unit_amplitude(dim, diffusion)) / 1.5


def interaction_coefficient(f_sigma):
    r"""2D Altshuler-Aronov coefficient :math:`A_{ee} = 1 - \frac34\tilde F_\sigma`
    (dimensionless; :math:`\tilde F_\sigma` the triplet interaction constant, 0..1)."""
    return 1.0 - 0.75 * np.asarray(f_sigma, dtype=float)


def screening_factor(a_ee):
    r""":math:`\tilde F_\sigma = \frac43 (1 - A_{ee})`, the inverse of
    :func:`interaction_coefficient` (dimensionless)."""
    return 4.0 / 3.0 * (1.0 - np.asarray(a_ee, dtype=float))


def sigma_t_2d(temperature, *, sigma_1k, alpha_p, a_ee):
    r"""2D sheet conductance vs temperature (S): :math:`\sigma_1 + G_0(\alpha p + A_{ee})
    \ln(T/1\,{\rm K})`.

    Parameters
    ----------
    temperature : array_like
        K.
    sigma_1k : float
        Sheet conductance at 1 K (S).
    alpha_p : float
        Weak-localization slope :math:`\alpha p` (0 in a field that kills it).
    a_ee : float
        Interaction coefficient :math:`1 - 3\tilde F_\sigma/4`.
    """
    t = v.positive("temperature", temperature, "K")
    return sigma_1k + G0 * (alpha_p + a_ee) * np.log(t)


def sigma_t_1d(temperature, *, sigma_inf, l_phi_1k, p, a_ee, alpha=1.0):
    r"""Wire conductance times length vs temperature (S m):
    :math:`\sigma_\infty - \alpha (2e^2/h) L_1 T^{-p/2} + a_{ee} T^{-1/2}`.

    Parameters
    ----------
    temperature : array_like
        K.
    sigma_inf : float
        High-temperature limit of :math:`G L` (S m).
    l_phi_1k : float
        :math:`L_\varphi` at 1 K (m).
    p : float
        Dephasing exponent.
    a_ee : float
        Interaction amplitude (S m K^(1/2)); negative for the usual suppression.
    alpha : float
        1 orthogonal, -1/2 symplectic.
    """
    t = v.positive("temperature", temperature, "K")
    return (sigma_inf - alpha * 2 * E2_OVER_H * l_phi_1k * t ** (-p / 2)
            + a_ee * t ** TEMPERATURE_EXPONENT[1])


def sigma_t_3d(temperature, *, sigma_0, l_phi_1k, p, a_ee, alpha=1.0):
    r"""3D conductivity vs temperature (S/m):
    :math:`\sigma_0 + \alpha G_0 T^{p/2}/L_1 + a_{ee} T^{1/2}`.

    Parameters as :func:`sigma_t_1d`; ``a_ee`` in S/m/K^(1/2).
    """
    t = v.positive("temperature", temperature, "K")
    return sigma_0 + alpha * G0 * t ** (p / 2) / l_phi_1k + a_ee * t ** TEMPERATURE_EXPONENT[3]
