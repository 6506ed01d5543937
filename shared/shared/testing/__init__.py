"""Helpers for the services' tests: a fake unit of work (:class:`FakeTx`) so use cases run in
milliseconds without PostgreSQL or RabbitMQ."""
from shared.testing.fake_tx import AuditEntry, FakeTx, InMemoryRepository, NoSession

__all__ = ["AuditEntry", "FakeTx", "InMemoryRepository", "NoSession"]
