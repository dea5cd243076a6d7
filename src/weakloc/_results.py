"""One shape for small results: a frozen dataclass that also reads like a mapping.

Results that used to be plain dicts (``fit["p"]``, ``res.crossover["tau"]``) became frozen
dataclasses with :meth:`as_dict`; this mixin keeps the mapping reads working, so a result
has attributes, ``as_dict()`` for JSON, and ``result["key"]``/``get``/``keys``/``in``.
"""

from __future__ import annotations

import dataclasses

__all__ = ["MappingResult"]


class MappingResult:
    """Mixin for frozen result dataclasses: ``as_dict()`` plus read-only mapping access."""

    def as_dict(self) -> dict:
        """Every field (``weakloc.io.write_json`` writes it as JSON)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def __getitem__(self, key):
        return self.as_dict()[key]

    def __contains__(self, key) -> bool:
        return key in self.as_dict()

    def keys(self):
        """Field names (mapping-style access)."""
        return self.as_dict().keys()

    def get(self, key, default=None):
        """Mapping-style ``get``."""
        return self.as_dict().get(key, default)
