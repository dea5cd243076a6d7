"""beta(g) = d<ln g>/d ln L from Landauer conductances, against d - 2 - c/g.

Squares (2D: orthogonal, unitary with a field, SU(2) symplectic) and cubes (3D orthogonal)
of growing side, ``samples`` realizations each, contact resistance removed
(:func:`weakloc.transport.beta.beta_from_conductance`). Prints, per system and size
pair, ``<ln g>``, ``beta`` with its error and the perturbative
:func:`weakloc.theory.beta_function` at the same ``g``.

Command::

    PYTHONPATH=src nice -n 10 python benchmarks/validate_beta.py [--samples 200] [--quick]
        [--only NAME-PART]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from weakloc.lattice import Lattice
from weakloc.theory import beta_function
from weakloc.transport.beta import beta_from_conductance

SYSTEMS = {
    # name: (lattice, sizes, energy, theory kwargs)
    "2D orthogonal W=2": (Lattice(disorder=2.0), [6, 12, 24], 0.3,
                          {"d": 2, "symmetry": "orthogonal", "spin_degeneracy": 1}),
    "2D unitary W=2 (phi=0.02)": (Lattice(disorder=2.0, flux=0.02), [6, 12, 24], 0.3,
                                  {"d": 2, "symmetry": "unitary", "spin_degeneracy": 1}),
    "2D symplectic SU(2) W=1": (Lattice(disorder=1.0, spin_orbit="su2"), [6, 12, 24], 0.3,
                                {"d": 2, "symmetry": "symplectic", "spin_degeneracy": 2}),
    "2D symplectic SU(2) W=8": (Lattice(disorder=8.0, spin_orbit="su2"), [6, 12, 24], 0.3,
                                {"d": 2, "symmetry": "symplectic", "spin_degeneracy": 2}),
    "3D orthogonal W=8": (Lattice(dim=3, disorder=8.0), [4, 6, 9], 0.3,
                          {"d": 3, "symmetry": "orthogonal", "spin_degeneracy": 1}),
    "3D orthogonal W=24": (Lattice(dim=3, disorder=24.0), [4, 6, 9], 0.3,
                           {"d": 3, "symmetry": "orthogonal", "spin_degeneracy": 1}),
    # the SU(2) hopping alone scatters (l ~ 2); larger squares reach its metallic side
    "2D symplectic SU(2) W=0": (Lattice(disorder=0.0, spin_orbit="su2"), [16, 32, 64], 0.3,
                                {"d": 2, "symmetry": "symplectic", "spin_degeneracy": 2}),
}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--quick", action="store_true", help="two smallest sizes only")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--only", default=None, help="run only the systems whose name contains this")
    a = ap.parse_args(argv)
    out = {}
    for k, (name, (lat, sizes, e, th)) in enumerate(SYSTEMS.items()):
        if a.only and a.only not in name:
            continue
        sizes = sizes[:2] if a.quick else sizes
        c0 = time.process_time()
        r = beta_from_conductance(lat, sizes, e, samples=a.samples, seed=a.seed + k,
                                  progress=False)
        theory = beta_function(np.exp(r.ln_g_mid), **th)
        out[name] = {"lengths": r.lengths.tolist(), "ln_g": r.ln_g.tolist(),
                     "beta": r.beta.tolist(), "beta_err": r.beta_err.tolist(),
                     "theory_d_minus_2_minus_c_over_g": theory.tolist(),
                     "cpu_s": time.process_time() - c0}
        for x, b, be, t in zip(r.ln_g_mid, r.beta, r.beta_err, theory):
            print(f"{name:28s} <ln g> = {x:+.3f}  beta = {b:+.3f} +- {be:.3f}  "
                  f"(d - 2 - c/g = {t:+.3f})", file=sys.stderr, flush=True)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
