"""Demo section: the model layer -- graphene ribbons and an Aharonov-Bohm ring."""

from __future__ import annotations

from pathlib import Path

TITLE = "Model layer: graphene ribbons (zigzag, armchair 3m+2) and an Aharonov-Bohm ring"
ORDER = 35

R_IN, R_OUT = 5.0, 9.0        # ring radii (lattice constants)
WIDTH, LENGTH = 20, 26        # square strip holding the ring
DISORDER, ENERGY = 1.0, -0.8  # units of t
SAMPLES = 30
QUANTA_MAX, N_FLUX = 6.0, 97  # flux through the ring's mean circle, h/e


def run(outdir: Path, seed: int) -> dict:
    """Clean ribbon conductances and a short seeded ring ensemble (about 10 s)."""
    import numpy as np

    from weakloc.errors import InputError
    from weakloc.lattice import Lattice
    from weakloc.lattice.shapes import Ring
    from weakloc.plots import savefig
    from weakloc.plots.lattice import models_figure
    from weakloc.seeding import stream
    from weakloc.transport.landauer import conductance_batch

    energies = np.linspace(-1.0, 1.0, 81) + 1e-4
    ribbons = {}
    for label, kw in (("zigzag N=8", dict(edge="zigzag", width=8)),
                      ("armchair N=8 (3m+2)", dict(edge="armchair", width=8)),
                      ("armchair N=9", dict(edge="armchair", width=9))):
        lat = Lattice(lattice="honeycomb", length=4, **kw)
        g = []
        for e in energies:
            try:
                g.append(float(conductance_batch(lat.realize(0), [e])[0, 0]))
            except InputError:   # a gap of the ribbon: no open channel, g = 0
                g.append(0.0)
        ribbons[label] = np.array(g)
    lat = Lattice(width=WIDTH, length=LENGTH, disorder=DISORDER, shape=Ring(R_IN, R_OUT))
    area = np.pi * (0.5 * (R_IN + R_OUT)) ** 2
    quanta = np.linspace(0.0, QUANTA_MAX, N_FLUX)
    g = np.array([conductance_batch(lat.realize(stream(seed, i)), [ENERGY], quanta / area)[0]
                  for i in range(SAMPLES)])
    freq = np.fft.rfftfreq(quanta.size, quanta[1] - quanta[0])

    def power(x):
        x = x - x.mean(axis=-1, keepdims=True)
        return np.abs(np.fft.rfft(x * np.hanning(x.shape[-1]), axis=-1)) ** 2

    p_single = power(g).mean(axis=0)
    p_mean = power(g.mean(axis=0))
    keep = freq <= 3.0
    fig = models_figure(energies, ribbons, quanta, g[:3], g.mean(axis=0), freq[keep],
                        p_single[keep], p_mean[keep])
    figures = [Path(savefig(fig, Path(outdir) / "models_ribbons_ring.png")).name]
    near = np.abs(energies) < 0.05
    i1 = int(np.argmin(np.abs(freq - 1.0)))
    band = (freq > 0.6) & (freq < 1.5)
    peak = float(freq[band][np.argmax(p_single[band])])
    highlights = [
        f"clean zigzag ribbon at E -> 0: g = {ribbons['zigzag N=8'][near].mean():.3f} e^2/h "
        "(edge channel)",
        f"armchair N=8 (3m+2) at E -> 0: g = {ribbons['armchair N=8 (3m+2)'][near].mean():.3f};"
        f" N=9: g = {ribbons['armchair N=9'][near].mean():.3f} (gap)",
        f"ring, single realizations: spectral peak at {peak:.2f} per h/e (h/e oscillation)",
        f"ensemble mean of {SAMPLES}: h/e power down by "
        f"{p_single[i1] / max(p_mean[i1], 1e-300):.0f}x (random phases average out)",
    ]
    return {"figures": figures, "highlights": highlights, "samples": SAMPLES,
            "ring": {"r_in": R_IN, "r_out": R_OUT, "width": WIDTH, "length": LENGTH,
                     "disorder": DISORDER, "energy": ENERGY, "peak_per_h_over_e": peak}}
