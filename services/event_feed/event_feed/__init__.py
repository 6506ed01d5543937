"""event_feed: every integration event of ``platform.events`` in one append-only table with its own
gap-free sequence (``GET /api/v1/events?after=<seq>``), and signed webhooks delivered from it."""
