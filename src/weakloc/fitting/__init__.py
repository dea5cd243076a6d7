"""Fits of measured magnetoconductance: data preparation, lmfit models, temperature series.

* :mod:`weakloc.fitting.table`: the table reader every analysis shares (headerless files,
  column numbers, PPMS ``.dat``, decimal commas, value units);
* :mod:`weakloc.fitting.data`: geometry, Hall-tensor inversion, symmetrization,
  ``sigma(0)``, field window -> :class:`~weakloc.fitting.data.Curve`;
* :mod:`weakloc.fitting.quality`, :mod:`weakloc.fitting.systematic`: how far a fit can be
  trusted (bounds, correlations, noise, residual structure) and its systematic error;
* :mod:`weakloc.fitting.models`: lmfit models over :mod:`weakloc.theory` with bounds and
  automatic starting values;
* :mod:`weakloc.fitting.fit`: one curve -> :class:`~weakloc.fitting.results.FitResult`;
* :mod:`weakloc.fitting.temperature`: per-temperature and global fits, ``L_phi(T)``;
* :mod:`weakloc.fitting.synthetic`: synthetic data made by the package's own formulas.
"""

from weakloc.fitting.data import Curve, load_curves, prepare_curve
from weakloc.fitting.fit import fit_curve
from weakloc.fitting.models import MODEL_SPECS, build_model
from weakloc.fitting.results import Estimate, FitResult
from weakloc.fitting.table import Columns, Table, read_columns, read_table, to_si
from weakloc.fitting.temperature import SeriesResult, fit_power_law, fit_series

__all__ = [
    "Columns", "Curve", "Table", "load_curves", "prepare_curve", "read_columns", "read_table",
    "to_si", "fit_curve", "MODEL_SPECS",
    "build_model", "Estimate", "FitResult", "SeriesResult", "fit_power_law", "fit_series",
]
