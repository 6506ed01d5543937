"""Database plumbing shared by services: engine and URL (engine), the platform's own tables
(tables), and the versioned migration steps that create them (migrations)."""
