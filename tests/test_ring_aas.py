"""The Aharonov-Bohm ring in a uniform field (issues 13 and 14): single disordered samples
oscillate with period h/e in the flux through the ring, and the disorder average keeps the
Altshuler-Aronov-Spivak h/(2e) oscillation with the weak-localization sign (a conductance
minimum at B = 0).

A :class:`~weakloc.lattice.shapes.Ring` of radii 8 and 11 a (arms 3 a wide, about 30 a
long, Born l_e = 11 a at W = 1.5 t, E = -0.6 t) in a 25-wide strip, Landau-gauge field in
the ring and the leads, 200 seeded samples x 4 energies on the same disorder at each field
over +-2 h/e periods (B < 0 from Onsager's G(B) = G(-B), checked here), analysed in SI by
:func:`weakloc.fitting.rings.ring_harmonics` with the mean area: the signed h/2e value at
B = 0 of the average beyond 4 standard errors of the mean over samples, the h/e value of
the average within 3 of them while single traces carry more than 10 times that error.
The larger ring of ``benchmarks/validate_ring_aas.py`` (see BENCHMARKS.md) resolves it
further. About 15 s on one core.
"""

import numpy as np
from scipy import constants as sc

from weakloc.fitting.rings import ring_harmonics
from weakloc.lattice import Lattice
from weakloc.lattice.shapes import Ring
from weakloc.seeding import stream
from weakloc.transport.landauer import conductance_batch, conductance_ensemble

R_IN, R_OUT, W, SAMPLES = 8.0, 11.0, 1.5, 200
ENERGIES = np.array([-0.75, -0.65, -0.55, -0.45])
A_LAT = 40e-9   # lattice constant (m) for the SI analysis


def test_ring_h_over_e_single_h_over_2e_average():
    lat = Lattice(width=25, length=25, disorder=W, shape=Ring(R_IN, R_OUT))
    area = np.pi * (0.5 * (R_IN + R_OUT)) ** 2                    # mean area, a^2
    spread = (R_OUT**2 - R_IN**2) / (R_OUT**2 + R_IN**2)
    phi = np.arange(25) / 12                                      # 0 .. 2 h/e
    res = conductance_ensemble(lat, ENERGIES, samples=SAMPLES, seed=5, fluxes=phi / area,
                               progress=False)
    # Onsager: the two-terminal conductance is even in B (same realization, -B)
    one = conductance_batch(lat.realize(stream(res.seed, 0)), ENERGIES[:1], -phi[1:4] / area)
    assert np.allclose(one[0], res.values[0, 0, 1:4], rtol=0, atol=1e-9)
    g = np.concatenate([res.values[..., :0:-1], res.values], axis=-1)
    field = np.concatenate([-phi[:0:-1], phi]) / area * sc.h / (sc.e * A_LAT**2)
    g0 = sc.e**2 / sc.h
    r = ring_harmonics(field, g * g0, area=area * A_LAT**2, area_spread=spread)
    aas, ab = r.at_zero_field["h_over_2e"], r.at_zero_field["h_over_e"]
    assert aas.value < -4 * aas.stderr            # WL sign, resolved
    assert abs(ab.value) < 3 * ab.stderr          # h/e averages out ...
    assert r.sample_rms["h_over_e"] > 10 * ab.stderr   # ... single traces keep it
    assert r.reliable and r.samples == SAMPLES
