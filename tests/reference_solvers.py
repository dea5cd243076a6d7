"""Slow, independent references the fast engines are tested against (dense linear algebra)."""

import numpy as np

from weakloc.lattice import endless_slices
from weakloc.transport.leads import self_energies


def dense_conductance(real, energy):
    """Caroli formula on the full (L n x L n) Green's function: an independent route.

    Lead self-energies from the lead matrices (square and cubic lattices) or, for layered
    (honeycomb) leads, the ones the Landauer solver attaches to the end layers.
    """
    lat = real.lattice
    if lat.slice_model().p == 1:
        h0, v0 = lat.lead()
        sl, sr, _ = self_energies(h0, v0, energy)
    else:
        from weakloc.transport.landauer import _lead_data

        sl, sr = _lead_data(lat, energy, lat.flux)[:2]
    h = real.hamiltonian().toarray()
    n = sl.shape[0]
    a = energy * np.eye(h.shape[0]) - h
    a[:n, :n] -= sl
    a[-n:, -n:] -= sr
    g = np.linalg.inv(a)
    gl, gr = 1j * (sl - sl.conj().T), 1j * (sr - sr.conj().T)
    gn0 = g[-n:, :n]
    return float(np.trace(gr @ gn0 @ gl @ gn0.conj().T).real)


def dense_transfer_logs(lat, energy, seed, count, q):
    """Explicit 2n x 2n transfer matrices from the dense slices, QR every q: summed ln R."""
    n = lat.n
    block = np.zeros((2 * n, n), dtype=complex)
    block[:n] = np.eye(n)
    v_prev = np.zeros((n, n))
    logs = np.zeros(n)
    gen = endless_slices(lat, seed, chunk=count)
    for x in range(count):
        h, vx = next(gen)
        vdi = np.linalg.inv(vx.conj().T)
        t = np.block([[vdi @ (energy * np.eye(n) - h), -vdi @ v_prev],
                      [np.eye(n), np.zeros((n, n))]])
        block = t @ block
        v_prev = vx
        if (x + 1) % q == 0:
            qm, r = np.linalg.qr(block)
            logs += np.log(np.abs(np.diag(r)))
            block = qm
    return logs
