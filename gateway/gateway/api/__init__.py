"""REST API blueprints, one per service (plus auth and meta)."""
