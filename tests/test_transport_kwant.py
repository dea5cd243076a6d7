"""Parity with Kwant 1.5.0 on identical realizations (numbers stored by make_kwant_reference).

tests/data/make_kwant_reference.py builds Kwant systems from the very same matrix elements
(onsite arrays stored in the file; the SU(2) case from its seed, guarded by a fingerprint)
and stores Kwant's conductances; this test needs no Kwant.
"""

import json
import pathlib

import numpy as np
import pytest

from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_batch

DATA = np.load(pathlib.Path(__file__).parent / "data" / "kwant_reference.npz")
CASES = json.loads(str(DATA["cases"]))


@pytest.mark.parametrize("inverse", ["default", "symmetric from n = 1"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_conductance_matches_kwant(case, inverse, monkeypatch):
    # the second run sends every slice matrix of the orthogonal class without a field (at
    # any size) through the complex-symmetric inverse; the others keep the LU
    if inverse != "default":
        monkeypatch.setattr("weakloc.transport.rgf.SYMMETRIC_MIN_N", 1)
    name = case["name"]
    lat = Lattice(**case["lattice"])
    onsite = DATA[f"{name}__onsite"] if f"{name}__onsite" in DATA.files else None
    real = lat.realize(case["seed"], onsite=onsite)
    assert np.isclose(np.abs(real.hamiltonian().toarray()).sum(), DATA[f"{name}__hsum"],
                      rtol=1e-13), "the realization's random stream changed"
    ref = DATA[f"{name}__g"]
    for method in ("unitarity", "caroli"):
        g = conductance_batch(real, case["energies"], case["fluxes"], method=method)
        assert np.max(np.abs(g - ref)) < 1e-8, (method, g, ref)


def test_kwant_reference_is_onsager_symmetric_and_field_sensitive():
    # the stored numbers themselves obey g(phi) = g(-phi) and differ from g(0)
    for case in CASES:
        ref = DATA[f"{case['name']}__g"]
        f = np.asarray(case["fluxes"])
        for j in np.flatnonzero(f > 0):
            partner = np.flatnonzero(np.isclose(f, -f[j]))
            if partner.size == 0:
                continue
            k = int(partner[0])
            assert np.allclose(ref[:, j], ref[:, k], atol=1e-9)
            assert np.all(np.abs(ref[:, j] - ref[:, 0]) > 1e-3)


def test_reference_cases_cover_every_lead_solver():
    # closed form (no field), transverse blocks (3D in a field), full mode matching (2D in
    # a field): each is compared with Kwant above
    from weakloc.transport.leads import lead_blocks, transverse_modes

    kinds = set()
    for case in CASES:
        for f in case["fluxes"]:
            h0, v0 = Lattice(**case["lattice"]).with_(flux=f).lead()
            if transverse_modes(h0, v0) is not None:
                kinds.add("closed form")
            elif lead_blocks(h0, v0) is not None:
                kinds.add("blocks")
            else:
                kinds.add("mode matching")
    assert kinds == {"closed form", "blocks", "mode matching"}
