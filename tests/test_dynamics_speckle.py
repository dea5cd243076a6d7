"""Speckle and smooth potentials on the torus: the field, the bound, and CBS in momentum space."""

import numpy as np
import pytest

from weakloc.dynamics import TorusLattice, apply_hamiltonian, evolve, hamiltonian_matrix
from weakloc.dynamics.momentum import cbs_momentum, momentum_distribution
from weakloc.dynamics.states import plane_wave
from weakloc.errors import InputError
from weakloc.seeding import stream


def test_speckle_torus_is_periodic_exponential_and_bounded_per_realization():
    lat = TorusLattice(size=24, disorder=0.8, disorder_kind="speckle", correlation=1.5)
    real = lat.realize(2)
    i = real.eps / 0.8 + 1.0                     # I / <I>, exponential
    assert i.min() >= 0 and abs(i.mean() - 1.0) < 0.3
    # periodic field: the seam is as smooth as the bulk
    seam = np.mean((real.eps[0] - real.eps[-1]) ** 2)
    bulk = np.mean((real.eps[1:] - real.eps[:-1]) ** 2)
    assert seam < 3 * bulk
    h = hamiltonian_matrix(real)
    assert np.abs(np.linalg.eigvalsh(h.toarray())).max() <= real.spectral_bound()
    psi = np.random.default_rng(0).standard_normal(lat.shape) + 0j
    assert np.allclose(apply_hamiltonian(real, psi).ravel(), h @ psi.ravel(), atol=1e-12)
    with pytest.raises(InputError, match="unbounded"):
        lat.spectral_bound()
    with pytest.raises(InputError, match="Born scales"):
        cbs_momentum(lat, (2 * np.pi * 3 / 24, 2 * np.pi / 24), [1.0], samples=1, seed=1)


@pytest.mark.slow
def test_coherent_backscattering_peak_in_a_speckle_potential():
    # plane wave k0 in a speckle potential: after a few scattering times the averaged
    # momentum distribution shows the CBS peak at -k0, about twice the diffuse ring
    n, samples, t = 32, 48, 10.0
    lat = TorusLattice(size=n, disorder=0.6, disorder_kind="speckle", correlation=1.0)
    k0 = 2 * np.pi * np.array([5, 2]) / n
    kk = 2 * np.pi * np.fft.fftfreq(n)
    kx, ky = np.meshgrid(kk, kk, indexing="ij")
    ek = -2 * (np.cos(kx) + np.cos(ky))
    shell = np.abs(ek - ek[5, 2]) < 0.5
    for c in ((5, 2), (-5, -2)):
        for dx in range(-2, 3):
            for dy in range(-2, 3):
                shell[(c[0] + dx) % n, (c[1] + dy) % n] = False
    contrast = []
    for i in range(samples):
        psi = evolve(lat.realize(stream(3, i)), plane_wave(lat, k0), [t])[0]
        nk = momentum_distribution(psi)
        contrast.append(nk[-5, -2] / nk[shell].mean() - 1.0)
    c, se = np.mean(contrast), np.std(contrast, ddof=1) / np.sqrt(samples)
    assert c > 4 * se and 0.4 < c < 1.6
