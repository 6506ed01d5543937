"""event_feed's rules, free of frameworks: which events a filter matches, the webhook signature and
the retry schedule."""
