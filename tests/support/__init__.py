"""Test helpers, one package: the standard world most tests start from, export builders, label strategies.

`from tests.support import X` keeps working for the helpers of `world.py`;
the others are imported from their modules (`tests.support.exports`,
`tests.support.label_strategies`).
"""

from .world import ADMIN, ADMIN_TOKEN, KEY, MEDIA_ROWS, ONTOLOGY, FakeTime, World, standard_seed, world_from

__all__ = ["ADMIN", "ADMIN_TOKEN", "KEY", "MEDIA_ROWS", "ONTOLOGY", "FakeTime", "World", "standard_seed", "world_from"]
