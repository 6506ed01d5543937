"""Moved to :mod:`shared.testing.service` (issue 16: services' tests import no root ``tests``); this name stays
for cross-service tests written against it."""
from shared.testing.service import *  # noqa: F403
