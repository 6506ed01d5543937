"""Helpers for the services' tests, importable from every service (no pytest fixtures here)."""
