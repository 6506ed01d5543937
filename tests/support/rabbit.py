"""Moved to :mod:`shared.testing.rabbit` (issue 16: services' tests import no root ``tests``); this name stays
for cross-service tests written against it."""
from shared.testing.rabbit import *  # noqa: F403
