"""AMQP pieces: a confirming publisher (batched confirms), the outbox relay, the topology generated
from the contracts, the event subscriber entrypoint with retries and dead letters, and DLQ replay."""
