"""Generate tests/data/kwant_reference.npz: Kwant 1.5.0 conductances on fixed realizations.

NOT run by the test suite (it needs Kwant). Run it with a Python that has Kwant 1.5.0, e.g.

    PYTHONPATH=src /work/kwantenv/bin/python tests/data/make_kwant_reference.py

Each case is one weakloc realization (an explicit onsite array, or for the SU(2) model a
seed). The Kwant system is built site by site from the very same matrix elements
(weakloc's slice Hamiltonians and x-hoppings, Peierls phases included, in the leads too),
so the gauge and every convention match by construction; Kwant then computes the leads'
modes and the scattering matrix its own way (stabilized mode solver, MUMPS). The file stores
the inputs and Kwant's ``transmission(1, 0)``; tests/test_transport_kwant.py compares
weakloc against it to 1e-8 without Kwant.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np

from weakloc.lattice import Lattice

OUT = pathlib.Path(__file__).with_name("kwant_reference.npz")

CASES = [
    # name, lattice kwargs, energies, fluxes, seed (onsite drawn from it, then stored)
    ("strip2d", dict(dim=2, width=8, length=20, disorder=2.0), [0.3, -1.1, 2.1],
     [0.0, 0.02, -0.02, 0.1], 1),
    ("strip2d_periodic", dict(dim=2, width=6, length=15, disorder=1.5, boundary="periodic"),
     [0.45, -1.45], [0.0, 1 / 6, -1 / 6], 2),
    ("bar3d", dict(dim=3, width=4, height=3, length=8, disorder=3.0), [-0.7, 1.3],
     [0.0, 0.05, -0.05], 3),
    ("ando2d", dict(dim=2, width=6, length=12, disorder=2.0, spin_orbit="ando", soc=0.5),
     [0.4, -2.2], [0.0, 0.03, -0.03], 4),
    ("su2_2d", dict(dim=2, width=5, length=10, disorder=1.0, spin_orbit="su2"), [0.2, 1.4],
     [0.0, 0.04, -0.04], 5),
    # 3D leads: closed form at zero field, split into transverse blocks in a field
    ("bar3d_periodic", dict(dim=3, width=4, height=4, length=7, disorder=2.0,
                            boundary="periodic"), [0.45, -1.35], [0.0, 0.25, -0.25], 6),
    ("su2_3d", dict(dim=3, width=3, height=4, length=6, disorder=1.0, spin_orbit="su2"),
     [0.3, -1.2], [0.0, 0.05, -0.05], 7),
    ("cube6", dict(dim=3, width=6, height=6, length=6, disorder=1.5), [0.5, -2.3],
     [0.0, 0.03], 8),
]


def _blocks(mat, s):
    m = mat.shape[0] // s
    return mat.reshape(m, s, m, s).transpose(0, 2, 1, 3)


def kwant_system(real):
    """A finalized Kwant system with exactly weakloc's matrix elements."""
    import kwant

    lat = real.lattice
    s = lat.spin
    m, m2 = lat.width, lat.height
    dim = lat.dim
    kl = kwant.lattice.general(np.eye(dim), norbs=s)

    def tag(x, i):
        y, z = divmod(i, m2)
        return (x, y) if dim == 2 else (x, y, z)

    def value(b):
        return b[0, 0] if s == 1 else np.array(b)

    def fill(builder, x, h, v_prev):
        hb = _blocks(h, s)
        nsite = m * m2
        for i in range(nsite):
            builder[kl(*tag(x, i))] = value(hb[i, i])
        for i in range(nsite):
            for j in range(i + 1, nsite):
                if np.any(hb[i, j] != 0):
                    builder[kl(*tag(x, i)), kl(*tag(x, j))] = value(hb[i, j])
        if v_prev is not None:
            vb = _blocks(v_prev, s)
            for i in range(nsite):
                builder[kl(*tag(x, i)), kl(*tag(x - 1, i))] = value(vb[i, i])

    syst = kwant.Builder()
    v_prev = None
    for x, (h, v) in enumerate(real.slices()):
        fill(syst, x, h, v_prev)
        v_prev = v
    h0, v0 = lat.lead()
    sym = kwant.TranslationalSymmetry(tuple([-1] + [0] * (dim - 1)))
    lead = kwant.Builder(sym)
    fill(lead, 0, h0, None)
    vb = _blocks(v0, s)
    for i in range(m * m2):
        lead[kl(*tag(0, i)), kl(*tag(-1, i))] = value(vb[i, i])
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


def main():
    import kwant

    store = {"kwant_version": np.array(kwant.__version__)}
    meta = []
    for name, kw, energies, fluxes, seed in CASES:
        lat = Lattice(**kw)
        onsite = None
        if lat.spin_orbit != "su2":
            shape = lat.onsite_shape
            onsite = np.random.default_rng(seed).uniform(-kw["disorder"] / 2,
                                                         kw["disorder"] / 2, size=shape)
        base = lat.realize(seed, onsite=onsite)
        g = np.empty((len(energies), len(fluxes)))
        for j, f in enumerate(fluxes):
            fsyst = kwant_system(base.with_flux(f))
            for i, e in enumerate(energies):
                g[i, j] = kwant.smatrix(fsyst, e).transmission(1, 0)
        print(name, np.array2string(g, precision=10))
        store[f"{name}__g"] = g
        if onsite is not None:
            store[f"{name}__onsite"] = onsite
        # fingerprint of the realization, so a change in the random stream is caught
        store[f"{name}__hsum"] = np.array(np.abs(base.hamiltonian().toarray()).sum())
        meta.append(dict(name=name, lattice=kw, energies=energies, fluxes=fluxes, seed=seed))
    store["cases"] = np.array(json.dumps(meta))
    np.savez_compressed(OUT, **store)
    print("wrote", OUT, OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
