"""Broker users per process, created through RabbitMQ's management HTTP API.

``python -m deploy.broker_users plan``                      the permissions of every role (JSON), nothing changed
``python -m deploy.broker_users apply [--only identity]``  create/update the users of a vhost; writes each
                                                           one's AMQP URI to ``<var>/broker/<role>.uri`` (0600)
``python -m deploy.broker_users integrator NAME``           a read-only user bound to ``platform.events`` only
``python -m deploy.broker_users exec -- CMD ...``           run CMD with ``AMQP_URI`` of ``$BROKER_USER`` (containers)

The administrator's credentials come from ``RABBITMQ_API_URI`` (default: the host of ``AMQP_URI`` on
port 15672 with its user and password). Users are named ``<prefix><role>`` (``BROKER_USER_PREFIX``,
default ``platform.``): users are broker-wide, so each stack (and each test run) has its own prefix.
A password is made once and kept in the var directory, so restarts and re-runs keep working; the
permissions are set again on every run (``apply`` is idempotent). What each role may do, and why:
``shared/shared/messaging/permissions.py`` and ``docs/broker-permissions.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import urllib.parse
from pathlib import Path

import requests

from shared.messaging import permissions
from shared.messaging.permissions import Permissions

DEFAULT_PREFIX = "platform."


def management_uri(amqp_uri: str) -> str:
    """``RABBITMQ_API_URI`` or the management API beside ``amqp_uri``, with the same credentials."""
    explicit = os.environ.get("RABBITMQ_API_URI")
    if explicit:
        return explicit
    parts = urllib.parse.urlsplit(amqp_uri)
    user, password = parts.username or "guest", parts.password or "guest"
    return f"http://{urllib.parse.quote(user)}:{urllib.parse.quote(password)}@{parts.hostname or '127.0.0.1'}:15672"


def vhost_of(amqp_uri: str) -> str:
    path = urllib.parse.urlsplit(amqp_uri).path
    return urllib.parse.unquote(path[1:]) if len(path) > 1 else "/"


def with_credentials(amqp_uri: str, user: str, password: str) -> str:
    parts = urllib.parse.urlsplit(amqp_uri)
    netloc = f"{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(password, safe='')}@{parts.hostname}"
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class Management:
    """The few calls of RabbitMQ's management API this needs."""

    def __init__(self, api_uri: str, timeout: float = 10) -> None:
        parts = urllib.parse.urlsplit(api_uri)
        self.base = f"{parts.scheme}://{parts.hostname}:{parts.port or 15672}/api/"
        self.auth = (urllib.parse.unquote(parts.username or "guest"), urllib.parse.unquote(parts.password or "guest"))
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict | None = None):
        response = requests.request(method, self.base + path, auth=self.auth, json=body, timeout=self.timeout)
        if response.status_code not in (200, 201, 204) and not (method == "DELETE" and response.status_code == 404):
            raise RuntimeError(f"RabbitMQ management API {method} {path}: {response.status_code} {response.text[:200]}")
        return response

    def reachable(self) -> bool:
        try:
            return requests.get(self.base + "overview", auth=self.auth, timeout=self.timeout).status_code == 200
        except requests.RequestException:
            return False

    def put_user(self, vhost: str, user: str, password: str, perms: Permissions) -> None:
        q = urllib.parse.quote
        self._call("PUT", f"users/{q(user, safe='')}", {"password": password, "tags": perms.tags})
        self._call("PUT", f"permissions/{q(vhost, safe='')}/{q(user, safe='')}", perms.as_api())
        for exchange, topic in perms.topics.items():
            self._call("PUT", f"topic-permissions/{q(vhost, safe='')}/{q(user, safe='')}",
                       {"exchange": exchange, "write": topic["write"], "read": topic["read"]})

    def delete_user(self, user: str) -> None:
        self._call("DELETE", f"users/{urllib.parse.quote(user, safe='')}")

    def users(self) -> list[str]:
        return [u["name"] for u in self._call("GET", "users").json()]


def _password(var_dir: Path, role: str) -> str:
    """The role's password, made once and kept beside the keys (0600)."""
    path = var_dir / "broker" / f"{role}.password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def uri_file(var_dir: Path, role: str) -> Path:
    return var_dir / "broker" / f"{role}.uri"


def apply(amqp_uri: str, var_dir: Path, services: list[str], *, prefix: str = DEFAULT_PREFIX,
          only: list[str] | None = None, api_uri: str | None = None) -> dict[str, str]:
    """Create or update the users of ``services``, the gateway and deploy on ``amqp_uri``'s vhost;
    returns role -> AMQP URI (also written to ``<var>/broker/<role>.uri``)."""
    management = Management(api_uri or management_uri(amqp_uri))
    vhost = vhost_of(amqp_uri)
    uris = {}
    for role, perms in permissions.plan(services).items():
        if only and role not in only:
            continue
        user = prefix + role
        password = _password(var_dir, role)
        management.put_user(vhost, user, password, perms)
        uri = with_credentials(amqp_uri, user, password)
        path = uri_file(var_dir, role)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(uri)
        uris[role] = uri
    return uris


def add_integrator(amqp_uri: str, name: str, password: str | None = None, *, prefix: str = DEFAULT_PREFIX,
                   api_uri: str | None = None) -> str:
    """A user that may declare ``integrator.<name>.*`` queues and bind them to ``platform.events`` only;
    returns its AMQP URI."""
    perms = permissions.integrator_permissions(name)
    password = password or secrets.token_urlsafe(24)
    user = f"{prefix}integrator.{name}"
    Management(api_uri or management_uri(amqp_uri)).put_user(vhost_of(amqp_uri), user, password, perms)
    return with_credentials(amqp_uri, user, password)


def delete(amqp_uri: str, prefix: str, *, api_uri: str | None = None) -> int:
    """Delete every user named ``<prefix>...`` (test stacks clean up after themselves)."""
    if not prefix:
        raise ValueError("refusing to delete users without a prefix")
    management = Management(api_uri or management_uri(amqp_uri))
    names = [u for u in management.users() if u.startswith(prefix)]
    for name in names:
        management.delete_user(name)
    return len(names)


def _exec(argv: list[str]) -> int:
    """exec ``argv`` with ``AMQP_URI`` read from ``$PLATFORM_VAR_DIR/broker/$BROKER_USER.uri`` (when
    ``BROKER_USER`` is set): how a container gets its own broker user without a password in its
    environment or command line."""
    role = os.environ.get("BROKER_USER")
    if role:
        var_dir = Path(os.environ.get("PLATFORM_VAR_DIR", "var"))
        os.environ["AMQP_URI"] = uri_file(var_dir, role).read_text().strip()
    if not argv:
        return 0
    os.execvp(argv[0], argv)
    return 1  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "exec":
        rest = argv[1:]
        return _exec(rest[1:] if rest[:1] == ["--"] else rest)
    from deploy.stack import StackConfig, services

    config = StackConfig()
    parser = argparse.ArgumentParser(prog="deploy.broker_users", description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default=config.amqp_uri, help="an administrator's URI of the vhost")
    parser.add_argument("--prefix", default=config.broker_user_prefix)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("plan")
    ap = sub.add_parser("apply")
    ap.add_argument("--only", action="append", help="just this role (an agency's own service); repeatable")
    ig = sub.add_parser("integrator")
    ig.add_argument("name")
    sub.add_parser("delete")
    args = parser.parse_args(argv)
    if args.cmd == "plan":
        plan = {role: {**p.as_api(), "topics": p.topics, "tags": p.tags}
                for role, p in permissions.plan(services()).items()}
        json.dump(plan, sys.stdout, indent=1)
        print()
        return 0
    if args.cmd == "apply":
        uris = apply(args.amqp_uri, config.var_dir, services(), prefix=args.prefix, only=args.only)
        for role in uris:
            print(f"{args.prefix}{role:<24} {uri_file(config.var_dir, role)}")
        return 0
    if args.cmd == "integrator":
        print(add_integrator(args.amqp_uri, args.name, prefix=args.prefix))
        return 0
    print(f"deleted {delete(args.amqp_uri, args.prefix)} users")
    return 0


if __name__ == "__main__":
    sys.exit(main())
