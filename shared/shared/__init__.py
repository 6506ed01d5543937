"""The platform's shared package: the pieces every service uses, written once.

Modules:
  clock, money, validators, regions      -- plain domain helpers, no framework
  events (envelope), contracts/          -- the event catalogue as code
  db/                                    -- engine, session provider, unit of work, platform tables
  messaging/                             -- outbox relay, topology, subscriber with retries and DLQ
  auth                                   -- token verification, the principal, revocation
  errors                                 -- the error vocabulary shared with the gateway
  jobs, attachments, audit, idempotency  -- cross-cutting services
"""
