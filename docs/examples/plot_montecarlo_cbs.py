"""
Monte Carlo: the coherent backscattering cone of light
======================================================

Photons enter a half-space of point scatterers (``k l = 20``) at normal incidence; every
multiply scattered path and its time reverse add in phase at exact backscattering. The
Monte Carlo cone (crossed intensity, normalized to its top) is compared with the diffusion
theory of Akkermans, Wolf and Maynard (AWM), whose full width is about ``0.7/(k l)``
(angles in radians).
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.montecarlo import simulate_cbs

KL = 20.0
angles = np.linspace(0.0, 3.0 / KL, 25)                 # rad
cone = simulate_cbs(KL, samples=6000, max_orders=3000, angles=angles, seed=1)

fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(angles * KL, cone.crossed / cone.crossed[0], "o", ms=4, label="Monte Carlo")
ax.plot(angles * KL, cone.awm / cone.awm[0], "-", label="diffusion theory (AWM)")
ax.set_xlabel(r"$k l\,\theta$")
ax.set_ylabel("crossed intensity (normalized)")
ax.set_title(f"enhancement {cone.enhancement_with_single:.2f} +- {cone.enhancement_stderr:.2f}"
             " with single scattering", fontsize=9)
ax.legend()
fig.tight_layout()
