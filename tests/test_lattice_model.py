"""The model layer: spin models as objects through every engine, torus operators, gauge."""

from dataclasses import dataclass

import numpy as np
import pytest

from reference_solvers import dense_conductance, dense_transfer_logs
from weakloc.dynamics import TorusLattice, apply_hamiltonian, torus_operators
from weakloc.errors import InputError
from weakloc.lattice import (
    PAULI,
    AndoSpin,
    Lattice,
    RashbaSpin,
    SpinModel,
    landau_phase,
    peierls_phase,
)
from weakloc.transport.landauer import conductance
from weakloc.transport.transfer import _Bar


@dataclass(frozen=True)
class TwistSpin(SpinModel):
    """A user model: a fixed spin rotation exp(i a sigma_z) on x bonds, exp(i a sigma_x) on y."""

    angle: float = 0.3
    spin = 2

    @property
    def time_reversal(self):
        return "symplectic"

    def block(self, direction):
        sig = PAULI[3] if direction[0] else PAULI[1]
        return np.cos(self.angle) * PAULI[0] + 1j * np.sin(self.angle) * sig


def test_rashba_blocks_are_the_bychkov_rashba_hopping():
    lam = 0.3
    m = RashbaSpin(lam)
    # H[r + x, r] = -t + i lam sigma_y ; H[r + y, r] = -t - i lam sigma_x
    assert np.allclose(-m.block([1, 0, 0]), -PAULI[0] + 1j * lam * PAULI[2])
    assert np.allclose(-m.block([0, 1, 0]), -PAULI[0] - 1j * lam * PAULI[1])
    assert m.time_reversal == "symplectic" and RashbaSpin(0.0).time_reversal == "orthogonal"


@pytest.mark.parametrize("model", [RashbaSpin(0.4), TwistSpin(0.5), AndoSpin(0.3)])
def test_spin_model_objects_run_through_rgf_and_agree_with_the_dense_green_function(model):
    lat = Lattice(width=5, length=6, disorder=2.0, spin_model=model, flux=0.07)
    real = lat.realize(3)
    for e in (-0.8, 0.45):
        assert abs(conductance(real, e) - dense_conductance(real, e)) < 1e-9


@pytest.mark.parametrize("model", [RashbaSpin(0.4), TwistSpin(0.5)])
def test_spin_model_objects_have_kramers_pairs_without_a_field(model):
    lat = Lattice(width=4, length=5, disorder=3.0, spin_model=model)
    assert lat.symmetry == "symplectic" and lat.with_(flux=0.1).symmetry == "unitary"
    ev = np.linalg.eigvalsh(lat.realize(2).hamiltonian().toarray())
    assert np.allclose(ev[0::2], ev[1::2], atol=1e-10)
    ev_b = np.linalg.eigvalsh(lat.with_(flux=0.1).realize(2).hamiltonian().toarray())
    assert np.max(np.abs(ev_b[0::2] - ev_b[1::2])) > 1e-3


def test_user_model_runs_through_the_transfer_matrix_kernel():
    # kernel against explicit 2n x 2n transfer matrices of the same dense slices
    lat = Lattice(width=4, disorder=2.0, spin_model=TwistSpin(0.4), flux=0.1)
    energy, count, q = 0.3, 16, 4
    logs = dense_transfer_logs(lat, energy, 5, count, q)
    got = _Bar(lat, energy, np.random.default_rng(5), start="identity").advance(count, q)
    assert np.allclose(got, logs, rtol=1e-9, atol=1e-9)


def test_user_model_on_the_torus_stencil_equals_its_sparse_matrix():
    lat = TorusLattice(size=6, disorder=2.0, spin_model=RashbaSpin(0.3), flux=1 / 36)
    real = lat.realize(4)
    h = torus_operators(real.arrays).hamiltonian
    assert abs(h - h.conj().T).max() < 1e-14
    psi = np.random.default_rng(0).standard_normal(lat.shape) + 0j
    assert np.allclose(apply_hamiltonian(real, psi).ravel(), h @ psi.ravel(), atol=1e-12)
    # the Gershgorin bound holds for the non-unitary Rashba hopping
    assert np.abs(np.linalg.eigvalsh(h.toarray())).max() <= lat.spectral_bound()


def test_torus_velocity_from_the_bond_displacements_is_the_band_velocity():
    # clean spinless torus: <k| v_x |k> = dE/dk_x = 2 t sin(k_x) for a Bloch wave
    n = 8
    ops = torus_operators(TorusLattice(size=n).realize(0).arrays)
    h, pos = ops.hamiltonian, ops.positions
    vx = -1j * h.multiply(ops.dx)
    vy = -1j * h.multiply(ops.dy)
    assert abs(vx - vx.conj().T).max() < 1e-14       # Hermitian
    for kx, ky in ((2 * np.pi / n, 0.0), (3 * 2 * np.pi / n, 2 * 2 * np.pi / n)):
        psi = np.exp(1j * (kx * pos[:, 0] + ky * pos[:, 1])) / n
        assert np.isclose(np.vdot(psi, vx @ psi), 2 * np.sin(kx), atol=1e-12)
        assert np.isclose(np.vdot(psi, vy @ psi), 2 * np.sin(ky), atol=1e-12)
    # minimum image: every displacement is a nearest-neighbour step, also across the seam
    assert set(np.unique(np.abs(ops.dx.data))) <= {0.0, 1.0}


def test_landau_phase_is_the_peierls_phase_of_the_square_lattice_and_scales_with_area():
    y = np.arange(7.0)
    assert np.array_equal(landau_phase(0.13, y, 1.0), peierls_phase(0.13, y))
    # a bond of x-extent dx in a cell of area A picks up 2 pi phi y dx / A
    assert np.allclose(landau_phase(0.2, 1.5, 0.5, cell_area=2.0),
                       np.exp(2j * np.pi * 0.2 * 1.5 * 0.5 / 2.0))


def test_bad_spin_model_is_an_input_error():
    with pytest.raises(InputError, match="spin_model must be"):
        Lattice(spin_model="rashba")
    with pytest.raises(InputError, match="spin_model must be"):
        TorusLattice(size=4, spin_model=3)


def test_periodic_operators_of_the_square_torus_equal_the_torus_stencil_matrices():
    from weakloc.lattice.torus import TorusArrays, periodic_operators

    n = 6
    lat = Lattice(width=n, length=n, boundary="periodic", disorder=2.0)
    real = lat.realize(3)
    ops = periodic_operators(real)
    eps = real.hamiltonian().diagonal().real.reshape(n, n)
    ref = torus_operators(TorusArrays(eps, np.ones(n, complex), np.ones(n, complex), None,
                                      None))
    for a, b in ((ops.hamiltonian, ref.hamiltonian), (ops.dx, ref.dx), (ops.dy, ref.dy)):
        assert abs(a - b).max() == 0
    assert np.array_equal(ops.positions, ref.positions)


@pytest.mark.parametrize("edge,width,length", [("zigzag", 6, 5), ("armchair", 6, 4)])
def test_edgeless_graphene_torus_has_the_bloch_spectrum(edge, width, length):
    # eigenvalues +-|f(k)|, f(k) = sum over the three bond vectors of exp(i k.delta), on
    # the momenta the torus allows (a_cc = 1)
    from weakloc.lattice.torus import periodic_operators

    lat = Lattice(lattice="honeycomb", edge=edge, width=width, length=length,
                  boundary="periodic")
    ops = periodic_operators(lat.realize(0))
    ev = np.linalg.eigvalsh(ops.hamiltonian.toarray())
    h = np.sqrt(3.0) / 2
    if edge == "zigzag":
        delta = np.array([[h, 0.5], [-h, 0.5], [0.0, -1.0]])
        px, py = 2 * h * length, 1.5 * width
    else:
        delta = np.array([[1.0, 0.0], [-0.5, h], [-0.5, -h]])
        px, py = 3.0 * length, h * width
    ks = [(2 * np.pi * m / px, 2 * np.pi * j / py) for m in range(length) for j in range(width)]
    f = np.array([abs(np.exp(1j * (delta @ np.array(k))).sum()) for k in ks])
    assert np.allclose(ev, np.sort(np.concatenate([f, -f])), atol=1e-12)
    # every bond displacement is a nearest-neighbour vector (minimum image across seams)
    coo = ops.dx.tocoo()
    lengths = np.hypot(coo.data, ops.dy.tocsr()[coo.row, coo.col].A1)
    assert np.allclose(lengths, 1.0)
