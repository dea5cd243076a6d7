"""
Lattice models: an Aharonov-Bohm ring cut from graphene
=======================================================

The model layer (:mod:`weakloc.lattice`) composes a lattice, its edges and a sample shape:
here a zigzag honeycomb ribbon (nearest-neighbour distance ``a_cc = 1``, hopping ``t = 1``)
with a :class:`~weakloc.lattice.shapes.Ring` cut out between the two leads. Left: the sites
and bonds the solvers see (``weakloc sites --plot`` draws the same). Right: the Landauer
conductance of one disordered realization against the flux through the hole, which
oscillates with the period ``h/e`` of the Aharonov-Bohm effect.
"""

import matplotlib.pyplot as plt
import numpy as np

from weakloc.lattice import Lattice
from weakloc.lattice.honeycomb import HEXAGON_AREA
from weakloc.lattice.shapes import Ring
from weakloc.plots.lattice import sample_figure
from weakloc.transport.landauer import conductance_ensemble

lat = Lattice(lattice="honeycomb", edge="zigzag", width=16, length=20,
              shape=Ring(r_in=5.0, r_out=11.0), disorder=0.5)
fig = sample_figure(lat.positions(), lat.bonds(), keep=lat.site_mask(),
                    title="zigzag ribbon, ring r = 5..11 a_cc", unit="a_cc")

hole = np.pi * 8.0**2                          # area inside the ring's mid-line, a_cc^2
quanta = np.linspace(0, 3, 61)                 # flux quanta through the hole
res = conductance_ensemble(lat, 0.4, samples=1, seed=3, fluxes=quanta * HEXAGON_AREA / hole,
                           progress=False)
fig2, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(quanta, res.values[0], "o-", ms=3)
ax.set_xlabel(r"flux through the hole ($h/e$, mid-line area)")
ax.set_ylabel(r"$g$ ($e^2/h$)")
ax.set_title("one realization, E = 0.4 t, W = 0.5 t", fontsize=9)
fig2.tight_layout()
