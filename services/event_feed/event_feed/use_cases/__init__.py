"""event_feed's use cases: the feed (:mod:`.feed`), webhook endpoints (:mod:`.webhooks`) and their
deliveries (:mod:`.dispatch`)."""
