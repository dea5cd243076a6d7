"""Ensembles: reproducible, checkpointed sweeps on local cores or a Dask cluster."""

__all__: list[str] = []
