"""Demo section: graphene on the honeycomb torus in a field (relativistic Landau levels)."""

from __future__ import annotations

from pathlib import Path

TITLE = "Graphene on the honeycomb torus: relativistic Landau levels"
ORDER = 76

WIDTH, LENGTH, QUANTA = 40, 50, 20


def run(outdir: Path, seed: int) -> dict:
    """KPM density of states of clean graphene on a 87 x 60 a_cc torus (4,000 sites) with
    20 flux quanta (0.01 h/e per hexagon; 2,000 moments) against zero field (256 moments)
    and the Hobson-Nierenberg closed form; the peaks against E_n = sqrt(2n) hbar v_F / l_B."""
    import numpy as np

    from weakloc.kubo import ModelTorus, kpm_dos
    from weakloc.lattice import Lattice
    from weakloc.lattice.honeycomb import graphene_dos, landau_levels
    from weakloc.plots import savefig
    from weakloc.plots.kubo import landau_level_figure

    lat = Lattice(lattice="honeycomb", width=WIDTH, length=LENGTH, boundary="periodic")
    torus = ModelTorus(lat, flux=QUANTA / (WIDTH * LENGTH))
    e = np.linspace(-0.7, 0.7, 281)
    field = kpm_dos(torus.realize(seed), e, moments=2000, vectors=2, seed=seed)
    # zero field at a coarser resolution, above the torus's level spacing
    clean = kpm_dos(ModelTorus(lat).realize(seed), e, moments=256, vectors=2, seed=seed)
    levels = landau_levels(torus.flux, 4)
    hl = []
    for n, en in enumerate(levels):
        near = np.abs(e - en) < 0.05
        peak = e[near][np.argmax(field["value"][near])]
        hl.append(f"n = {n}: KPM peak at {peak:.3f} t, sqrt(2n) hbar v_F/l_B = {en:.3f} t")
    fig = landau_level_figure(field, clean, levels, (e, graphene_dos(e)),
                              title=f"graphene, {QUANTA} flux quanta through the torus "
                              f"({torus.flux:g} h/e per hexagon)")
    name = Path(savefig(fig, Path(outdir) / "graphene_landau_levels.png")).name
    return {"figures": [name], "highlights": hl}
