"""Entry module for ``nameko run event_feed.service``."""
from event_feed.entrypoints.service import EventFeedService  # noqa: F401
