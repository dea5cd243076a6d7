"""Disordered tight-binding lattices: describe, then realize."""

__all__: list[str] = []
