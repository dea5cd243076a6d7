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

In 1D and 3D the interaction amplitude :math:`a_{ee}` is returned as measured (SI per
:math:`K^{\mp 1/2}`); it is not converted to :math:`\tilde F_\sigma` here.

References
----------
Altshuler, Aronov and Lee, PRL 44, 1288 (1980); Lee and Ramakrishnan, RMP 57, 287 (1985),
sec. III; Hikami, Larkin and Nagaoka, Prog. Theor. Phys. 63, 707 (1980); Altshuler and
Aronov, in *Electron-Electron Interactions in Disordered Systems* (1985).
"""

from __future__ import annotations

import numpy as np

from weakloc import _validate as v
from weakloc.units import E2_OVER_H, G0

__all__ = ["interaction_coefficient", "screening_factor", "sigma_t_2d", "sigma_t_1d",
           "sigma_t_3d", "TEMPERATURE_EXPONENT"]

#: Exponent of T in the 1D and 3D interaction corrections.
TEMPERATURE_EXPONENT = {1: -0.5, 3: 0.5}


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
