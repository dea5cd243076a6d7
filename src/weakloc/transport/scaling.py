"""Former home of the scaling tools, kept so that old imports keep working.

The concepts now live apart: the finite-size-scaling fit in :mod:`weakloc.finitesize`,
``beta(g)`` in :mod:`weakloc.transport.beta`, the quasi-1D closed forms in
:mod:`weakloc.theory.quasi1d`, the ``Lambda(W, M)`` grid in :mod:`weakloc.ensemble.grids`.
"""

from weakloc.ensemble.grids import lambda_grid
from weakloc.finitesize import ScalingFit, fss_fit, initial_critical_disorder, scaling_model
from weakloc.theory.quasi1d import drude_mean_free_path, quasi1d_localization_length
from weakloc.transport.beta import BetaResult, beta_from_conductance, beta_numeric

__all__ = [
    "ScalingFit", "fss_fit", "scaling_model", "initial_critical_disorder", "lambda_grid",
    "BetaResult", "beta_numeric", "beta_from_conductance",
    "drude_mean_free_path", "quasi1d_localization_length",
]
