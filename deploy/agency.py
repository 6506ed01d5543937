"""One agency runs its own processes alone, from its env file (``deploy/agencies/<agency>/agency.env``):

    python -m deploy.agency plan    deploy/agencies/org/agency.env   # what would run, with what
    python -m deploy.agency migrate deploy/agencies/org/agency.env   # create + migrate its databases
    python -m deploy.agency run     deploy/agencies/org/agency.env   # start its processes, supervised

The env file names the agency's processes (``SERVICES``, from the Procfile), the broker URI of each
(``<SERVICE>_AMQP_URI``, else ``AMQP_URI``: the agency's own least-privilege broker user, made by the
platform operator with ``python -m deploy.broker_users apply --only <service>``), the database URL of
each (``<SERVICE>_DATABASE_URL``) and ``JWT_JWKS_FILE`` (identity's public keys). Every other line is
passed to the processes as environment. The commands are those of the Procfile, so an agency runs what
``make run`` runs. How to install, upgrade, rotate keys and restore a backup: ``deploy/agencies/README.md``.
"""
from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from deploy.stack import ROOT, Stack, StackConfig, environ, procfile


class AgencyConfigError(ValueError):
    pass


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=VALUE`` lines (``#`` comments, optional quotes, ``${VAR}`` from the environment)."""
    values: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise AgencyConfigError(f"{path}:{number}: 不是 KEY=VALUE 格式 (not KEY=VALUE): {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = os.path.expandvars(value)
    return values


@dataclass
class Agency:
    name: str
    services: list[str]
    env: dict[str, str]

    @classmethod
    def load(cls, path: Path, overrides: dict[str, str] | None = None) -> Agency:
        env = {**read_env_file(path), **(overrides or {})}
        known = dict(procfile())
        name, services = env.get("AGENCY", ""), shlex.split(env.get("SERVICES", ""))
        problems = []
        if not name:
            problems.append("AGENCY 未设置 (missing)")
        if not services:
            problems.append("SERVICES 未设置 (missing)")
        problems += [f"SERVICES 中的 {s} 不是平台的进程 (not a process of the Procfile)"
                     for s in services if s not in known]
        for service in (s for s in services if s != "gateway" and s in known):
            if not env.get(f"{service.upper()}_DATABASE_URL"):
                problems.append(f"{service.upper()}_DATABASE_URL 未设置 (missing)")
            if not (env.get(f"{service.upper()}_AMQP_URI") or env.get("AMQP_URI")):
                problems.append(f"{service.upper()}_AMQP_URI 或 AMQP_URI 未设置 (missing)")
        if not env.get("JWT_JWKS_FILE"):
            problems.append("JWT_JWKS_FILE 未设置 (missing)")
        if problems:
            raise AgencyConfigError(f"{path}: " + "; ".join(problems))
        return cls(name, services, env)

    def amqp_uri(self, service: str) -> str:
        return self.env.get(f"{service.upper()}_AMQP_URI") or self.env["AMQP_URI"]

    def stack(self) -> Stack:
        var_dir = Path(self.env.get("PLATFORM_VAR_DIR", ROOT / "var" / "agencies" / self.name))
        config = StackConfig(amqp_uri=self.amqp_uri(self.services[0]), var_dir=var_dir, broker_users=False,
                             broker_user_prefix=f"agency.{self.name}.", echo=True, extra_env=dict(self.env))
        if "GATEWAY_PORT" in self.env:
            config.gateway_port = int(self.env["GATEWAY_PORT"])
        if "PLATFORM_CLOCK_FILE" not in self.env:
            config.extra_env["PLATFORM_CLOCK_FILE"] = str(config.clock_file)
        return Stack(config)

    def plan(self) -> list[str]:
        commands = dict(procfile())
        return [f"{service}: AMQP as {_user(self.amqp_uri(service)) if service != 'gateway' else '-'}; "
                f"database {_hide(self.env.get(service.upper() + '_DATABASE_URL', '-'))}; {commands[service]}"
                for service in self.services]

    def migrate(self) -> None:
        from shared.db import admin
        with environ(self.env):
            for service in self.services:
                if service != "gateway":
                    admin.ensure(ROOT / "services" / service)

    def start(self, stack: Stack, timeout: float = 90) -> None:
        commands = dict(procfile())
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            stack._spawn(service, commands[service], {"AMQP_URI": self.amqp_uri(service)})
        stack.wait_ready(self.services, timeout=timeout)


def _user(uri: str) -> str:
    from urllib.parse import unquote, urlsplit
    return unquote(urlsplit(uri).username or "?")


def _hide(url: str) -> str:
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@") if parts.password else url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy.agency", description="run one agency's processes alone")
    parser.add_argument("cmd", choices=["plan", "migrate", "run"])
    parser.add_argument("env_file", type=Path)
    args = parser.parse_args(argv)
    try:
        agency = Agency.load(args.env_file)
    except (AgencyConfigError, OSError) as exc:
        print(f"配置错误 (configuration error): {exc}", file=sys.stderr)
        return 2
    if args.cmd == "plan":
        print(f"agency {agency.name}:")
        for line in agency.plan():
            print("  " + line)
        return 0
    if args.cmd == "migrate":
        agency.migrate()
        print(f"agency {agency.name}: databases of {', '.join(s for s in agency.services if s != 'gateway')} migrated")
        return 0
    stack = agency.stack()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGHUP, lambda *_: stopping.set())
    try:
        agency.start(stack)
        print(f"agency {agency.name}: {', '.join(agency.services)} running (Ctrl-C stops)", flush=True)
        while not stopping.is_set():
            stack.supervise_once()
            stopping.wait(0.5)
    except KeyboardInterrupt:
        pass
    except (TimeoutError, RuntimeError) as exc:
        print(f"启动失败 (failed to start): {exc}", file=sys.stderr)
        stack.stop()
        return 1
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
