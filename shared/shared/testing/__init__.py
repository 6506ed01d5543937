"""Helpers for the tests of the shared package, every service and the gateway, importable wherever
``platform-shared`` is installed (no test imports the repository's root ``tests`` package, so one service's
tests run from an install of ``shared`` and that service alone):

- ``fake_tx``: an in-memory :class:`shared.service.Tx` for use-case unit tests; ``checks``: migration drift;
- ``helpers``: RPC client, SQL one-liners, ``wait_for``, ``remote_code``;
- ``db``: throwaway migrated databases; ``rabbit``: throwaway vhosts, taps, publishing;
- ``service``: the fixture factory of a service's own tier; ``fixtures``: the pytest plugin every tier
  uses (keys, tokens, vhosts), loaded by the root conftest or by ``pytest -p shared.testing.fixtures``.

``db``, ``rabbit``, ``service`` and ``fixtures`` need the ``testing`` extra (``platform-shared[testing]``).
"""
