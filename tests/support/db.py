"""Moved to :mod:`shared.testing.db` (issue 16: services' tests import no root ``tests``); this name stays
for cross-service tests written against it."""
from shared.testing.db import *  # noqa: F403
