"""Moved to :mod:`shared.testing.helpers` (issue 16: services' tests import no root ``tests``); this name stays
for cross-service tests written against it."""
from shared.testing.helpers import *  # noqa: F403
