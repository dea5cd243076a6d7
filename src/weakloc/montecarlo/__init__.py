"""Classical Monte Carlo: random walks and the coherent backscattering cone of light."""

__all__: list[str] = []
