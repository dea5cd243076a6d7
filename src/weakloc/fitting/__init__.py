"""Fits of measured magnetoconductance: data preparation, lmfit models, temperature series."""

__all__: list[str] = []
