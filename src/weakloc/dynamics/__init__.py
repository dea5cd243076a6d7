"""Wave-packet dynamics in disordered lattices: coherent backscattering in momentum space."""

__all__: list[str] = []
