"""
Fitting: L_phi(T) of a film
===========================

The synthetic weak anti-localization film that ships with the package: ``R_xx`` and
``R_xy`` in ohm against the field in Oe, at several temperatures, as a PPMS writes them.
:func:`weakloc.fitting.load_curves` converts to the sheet conductance in SI,
:func:`weakloc.fitting.fit_series` fits HLN to every temperature with one shared ``alpha``,
then ``L_phi(T) = A T^(-p/2)``.
"""

import textwrap
from importlib.resources import files

import matplotlib.pyplot as plt
import numpy as np

from weakloc.fitting import fit_series, load_curves
from weakloc.units import G0

film = files("weakloc") / "data" / "wal_film_series.dat"     # a PPMS-style export
curves = load_curves(str(film), field="Magnetic Field (Oe)", field_unit="Oe",
                     value="Bridge 1 Resistance (Ohms)", hall="Bridge 2 Resistance (Ohms)",
                     quantity="resistance", aspect=3, temperature="Temperature (K)")
series = fit_series(curves, "hln", shared=("alpha",))

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8))
for fit in series.fits:
    line, = left.plot(fit.field, fit.data / G0, ".", ms=2)
    left.plot(fit.field, fit.best_fit / G0, "-", color=line.get_color(),
              label=f"T = {fit.temperature:g} K")
left.set_xlabel("B (T)")
left.set_ylabel(r"$\Delta\sigma$ ($e^2/\pi h$)")
left.legend(fontsize=7)

T = np.array([f.temperature for f in series.fits])
L = np.array([f.value("l_phi") for f in series.fits])
dL = np.array([f.stderr("l_phi") for f in series.fits])
right.errorbar(T, L * 1e9, dL * 1e9, fmt="o")
right.set_xlabel("T (K)")
right.set_ylabel(r"$L_\phi$ (nm)")
right.set_title(textwrap.fill(series.dephasing["hint"], 60), fontsize=7)
fig.tight_layout()
print(f"alpha = {series.fits[0].value('alpha'):.3f} +- {series.fits[0].stderr('alpha'):.3f}")
