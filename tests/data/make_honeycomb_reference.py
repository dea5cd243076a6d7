"""Generate tests/data/honeycomb_reference.npz: Kwant 1.5.0 conductances of graphene ribbons.

NOT run by the test suite (it needs Kwant). Run it with a Python that has Kwant 1.5.0:

    PYTHONPATH=src /work/kwantenv/bin/python tests/data/make_honeycomb_reference.py

Independent of weakloc's honeycomb geometry: the ribbons are Kwant lattices (two-site
Bravais lattices written from the textbook primitive vectors: zigzag chains along x, or
horizontal bonds along x for armchair edges), cut by a rectangle, with Kwant's
nearest-neighbour bonds, leads by Kwant's translational symmetry and the Landau-gauge Peierls phase
``exp(2 pi i (phi / A_hex) ybar dx)`` evaluated on Kwant's site positions. weakloc supplies
only the onsite energies (looked up by position) and checks that its site positions are
Kwant's. The file stores the onsite arrays (in weakloc's site order) and Kwant's
``transmission(1, 0)``.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np

from weakloc.lattice import Lattice

OUT = pathlib.Path(__file__).with_name("honeycomb_reference.npz")
HEX = 1.5 * np.sqrt(3.0)

CASES = [
    # name, lattice kwargs, energies, fluxes, seed
    ("zigzag", dict(width=6, length=8, disorder=1.5, edge="zigzag"), [0.3, -0.8, 0.05],
     [0.0, 0.01, -0.01], 1),
    ("armchair_odd", dict(width=7, length=6, disorder=1.0, edge="armchair"), [0.6, -1.1],
     [0.0, 0.01, -0.02], 2),
    ("armchair_metal", dict(width=8, length=5, disorder=0.5, edge="armchair"), [0.05, 0.7],
     [0.0, 0.015], 3),
]


def kwant_ribbon(lat, onsite_by_pos):
    import kwant

    h = np.sqrt(3.0) / 2
    if lat.edge == "zigzag":   # zigzag chains along x, vertical bonds
        kl = kwant.lattice.general([(2 * h, 0.0), (h, 1.5)], [(0.0, 0.0), (h, 0.5)], norbs=1)
        period = 2 * h
    else:                      # horizontal bonds along x
        kl = kwant.lattice.general([(3.0, 0.0), (1.5, h)], [(0.5, 0.0), (1.5, 0.0)], norbs=1)
        period = 3.0
    sym_vec = kl.vec((-1, 0))
    pos = lat.positions().reshape(-1, 2)
    ymin, ymax = pos[:, 1].min() - 0.1, pos[:, 1].max() + 0.1
    xmin = pos[:, 0].min() - 0.1
    xmax = xmin + lat.length * period

    def region(p):
        return xmin <= p[0] < xmax and ymin <= p[1] <= ymax

    def band(p):
        return ymin <= p[1] <= ymax

    def onsite(site):
        return onsite_by_pos[tuple(np.round(site.pos, 6))]

    def hop(s1, s2, flux):
        (x1, y1), (x2, y2) = s1.pos, s2.pos   # H[s1, s2]: hop from s2 to s1
        return -np.exp(2j * np.pi * flux / HEX * 0.5 * (y1 + y2) * (x1 - x2))

    syst = kwant.Builder()
    syst[kl.shape(region, tuple(pos[0]))] = onsite
    syst[kl.neighbors()] = hop
    sites = np.array(sorted(tuple(np.round(s.pos, 6)) for s in syst.sites()))
    ours = np.array(sorted(tuple(np.round(p, 6)) for p in pos))
    assert sites.shape == ours.shape and np.allclose(sites, ours), "site sets differ"
    lead = kwant.Builder(kwant.TranslationalSymmetry(sym_vec))
    lead[kl.shape(band, tuple(pos[0]))] = 0.0
    lead[kl.neighbors()] = hop
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def main():
    import kwant

    data, meta = {}, []
    for name, kw, energies, fluxes, seed in CASES:
        lat = Lattice(lattice="honeycomb", **kw)
        onsite = np.random.default_rng(seed).uniform(-0.5 * lat.disorder, 0.5 * lat.disorder,
                                                     size=lat.onsite_shape)
        pos = lat.positions()
        table = {tuple(np.round(p, 6)): float(e) for p, e in zip(pos.reshape(-1, 2),
                                                                  onsite.ravel())}
        fs = kwant_ribbon(lat, table)
        g = np.array([[kwant.smatrix(fs, e, params=dict(flux=f)).transmission(1, 0)
                       for f in fluxes] for e in energies])
        data[f"{name}_onsite"] = onsite
        data[f"{name}_g"] = g
        meta.append(dict(name=name, kwargs=kw, energies=energies, fluxes=fluxes))
        print(name, g)
    data["meta"] = np.array(json.dumps(meta))
    data["kwant_version"] = np.array(kwant.__version__)
    np.savez_compressed(OUT, **data)


if __name__ == "__main__":
    main()
