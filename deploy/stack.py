"""Run the whole platform on one machine: ``python -m deploy.stack run`` (what ``make run`` does).

Steps: check that RabbitMQ and PostgreSQL answer (and say how to start them if not); create the
token signing key; create and migrate every service's database; declare the topology; seed the demo
city; start every process of the ``Procfile``; wait until each service consumes its queues and the
gateway answers; print the URL and the demo logins.

The end-to-end and browser tests start the platform through this same module (``Stack``), with their
own database prefix, broker vhost and port, so what a user runs first is what the tests run.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DEMO_FILE = ROOT / "deploy" / "demo" / "city.yaml"


def services() -> list[str]:
    """The services of the Procfile (every process except the gateway)."""
    return [name for name, _ in procfile() if name != "gateway"]


def procfile() -> list[tuple[str, str]]:
    entries = []
    for line in (ROOT / "Procfile").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, command = line.split(":", 1)
            entries.append((name.strip(), command.strip()))
    return entries


@dataclass
class StackConfig:
    amqp_uri: str = field(default_factory=lambda: os.environ.get("AMQP_URI", "pyamqp://guest:guest@127.0.0.1:5672//"))
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432"))
    db_prefix: str = field(default_factory=lambda: os.environ.get("DATABASE_PREFIX", "subsidy_"))
    var_dir: Path = field(default_factory=lambda: Path(os.environ.get("PLATFORM_VAR_DIR", ROOT / "var")))
    gateway_port: int = field(default_factory=lambda: int(os.environ.get("GATEWAY_PORT", "8000")))
    gateway_host: str = field(default_factory=lambda: os.environ.get("GATEWAY_HOST", "127.0.0.1"))
    demo_file: Path = DEMO_FILE
    echo: bool = True                      # stream process output to the terminal (make run)
    extra_env: dict = field(default_factory=dict)
    # one process's own variables over the rest (the fault tier routes each process's broker and database
    # connections through its own TCP proxy: {"org_confirmation": {"DATABASE_URL": ...}})
    process_env: dict = field(default_factory=dict)
    # one least-privilege broker user per process (deploy/broker_users.py); BROKER_USERS=0: all as AMQP_URI's
    broker_users: bool = field(default_factory=lambda: os.environ.get("BROKER_USERS", "1") != "0")
    broker_user_prefix: str = field(default_factory=lambda: os.environ.get("BROKER_USER_PREFIX", ""))
    # each service's Prometheus port is base + its place in the Procfile (identity 9101 ... under make run);
    # None: free ports (test stacks, so several can run at once)
    metrics_port_base: int | None = field(
        default_factory=lambda: int(os.environ["METRICS_PORT_BASE"]) if os.environ.get("METRICS_PORT_BASE") else None)

    def __post_init__(self) -> None:
        if not self.broker_user_prefix:
            # broker users are broker-wide: a stack on its own vhost (a test run) gets its own names
            from deploy.broker_users import DEFAULT_PREFIX, vhost_of
            vhost = vhost_of(self.amqp_uri)
            self.broker_user_prefix = DEFAULT_PREFIX if vhost == "/" else f"{vhost}."

    @property
    def clock_file(self) -> Path:
        """Every process reads the time from here (system time + offset): tests and the demo can move
        time for all of them at once, e.g. to the end of a publicity period."""
        return self.var_dir / "clock.json"

    @property
    def gateway_url(self) -> str:
        return f"http://{self.gateway_host}:{self.gateway_port}"

    def gateway_secret(self) -> str:
        """One secret for every gateway worker (each would otherwise sign the portal's session cookie with
        its own random key and lose half the requests), kept with the keys so sessions survive restarts."""
        path = self.var_dir / "keys" / "gateway-secret"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text().strip()

    def process_amqp_uri(self, name: str) -> str:
        """The AMQP URI of process ``name`` (``deploy`` for the topology and readiness checks): its own
        broker user's when broker users are on and have been made, else ``amqp_uri``."""
        if self.broker_users:
            from deploy.broker_users import uri_file
            path = uri_file(self.var_dir, name)
            if path.exists():
                return path.read_text().strip()
        return self.amqp_uri

    def env(self) -> dict[str, str]:
        keys = self.var_dir / "keys"
        env = dict(os.environ)
        env.update({
            "AMQP_URI": self.amqp_uri, "DATABASE_URL": self.database_url, "DATABASE_PREFIX": self.db_prefix,
            "JWT_KEYS_DIR": str(keys), "JWT_JWKS_FILE": str(keys / "jwks.json"),
            "PLATFORM_VAR_DIR": str(self.var_dir), "PLATFORM_CLOCK_FILE": str(self.clock_file),
            "GATEWAY_BIND": f"{self.gateway_host}:{self.gateway_port}",
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}", "PYTHONUNBUFFERED": "1",
            # third-party import-time warnings would be the only non-JSON lines of the processes' logs
            "PYTHONWARNINGS": ",".join(["ignore::DeprecationWarning", "ignore::UserWarning:nameko.cli.main",
                                        "ignore::Warning:nameko.extensions", "ignore::Warning:nameko.cli.commands"]),
        })
        # the local demo is served over plain http; deployments keep secure cookies on
        env.setdefault("GATEWAY_SECURE_COOKIES", "0")
        env.setdefault("GATEWAY_SECRET_KEY", self.gateway_secret())
        # the local launcher's SMS codes go to the development inbox (GET /api/v1/dev/sms-inbox?mobile=)
        env.setdefault("SMS_SENDER", "dev")
        env.update({k: str(v) for k, v in self.extra_env.items()})
        return env


class DependencyMissing(RuntimeError):
    pass


class PortTaken(RuntimeError):
    pass


PR_SET_PDEATHSIG = 1
# resolved once in the launcher: the child, between fork and exec, only calls it
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
BACKOFF_FIRST, BACKOFF_MAX, STABLE_AFTER = 1.0, 30.0, 60.0


def _end_with_launcher() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: its own session (so a signal reaches its whole group) and SIGTERM when the launcher
    dies, even by ``kill -9`` (Linux ``PR_SET_PDEATHSIG``), so no orphan keeps the gateway's port."""
    os.setsid()
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() == 1:   # the launcher died before prctl took effect
        os._exit(1)


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


@dataclass
class Supervised:
    """What the launcher knows of a process it restarts: how often, and when it may try next."""
    command: str = ""
    extra_env: dict | None = None
    restarts: int = 0
    backoff: float = BACKOFF_FIRST
    next_try: float | None = None
    started: float = field(default_factory=time.monotonic)


class Stack:
    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.processes: dict[str, subprocess.Popen] = {}
        self.supervised: dict[str, Supervised] = {}
        base = self.config.metrics_port_base
        self.metrics_ports = {name: (base + i if base else free_port())
                              for i, name in enumerate(services(), 1)}
        self.log_dir = self.config.var_dir / "log"
        self._supervisor: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- preparation ---------------------------------------------------------------------------
    def check_dependencies(self) -> None:
        """Fail with a plain message when RabbitMQ or PostgreSQL does not answer."""
        from sqlalchemy import create_engine, text

        from shared.messaging.amqp import connect
        try:
            connect(self.config.amqp_uri, timeout=5).release()
        except Exception as exc:  # noqa: BLE001
            raise DependencyMissing(
                f"RabbitMQ 不可用 ({self.config.amqp_uri}): {exc}\n"
                "  start it with `rabbitmq-server -detached` (or `docker compose up -d rabbitmq`), "
                "or set AMQP_URI") from None
        try:
            engine = create_engine(self.config.database_url.replace("postgresql://", "postgresql+psycopg2://", 1)
                                   + "/postgres")
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
        except Exception as exc:  # noqa: BLE001
            raise DependencyMissing(
                f"PostgreSQL 不可用 ({self.config.database_url}): {exc}\n"
                "  start it with `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` "
                "(or `docker compose up -d postgres`), or set DATABASE_URL") from None

    def prepare(self, *, seed: bool = True) -> None:
        """Keys, databases, migrations, topology and demo data; idempotent."""
        from shared.auth import keys
        from shared.db import admin
        from shared.messaging import topology

        self.check_dependencies()
        with environ(self.config.env()):
            keys.ensure(self.config.var_dir / "keys")
            for service in services():
                admin.ensure(ROOT / "services" / service)
            self.make_broker_users()
            topology.declare(self.config.process_amqp_uri("deploy"), None, topology.retry_delays_ms())
            if seed:
                self.seed()

    def make_broker_users(self) -> None:
        """A broker user per process with only what it needs (deploy/broker_users.py)."""
        if not self.config.broker_users:
            return
        from deploy import broker_users
        management = broker_users.Management(broker_users.management_uri(self.config.amqp_uri))
        if not management.reachable():
            raise DependencyMissing(
                "RabbitMQ management API 不可用：无法为各服务创建独立的消息代理账号\n"
                "  enable it with `rabbitmq-plugins enable rabbitmq_management` (or set RABBITMQ_API_URI), "
                "or run every process as AMQP_URI's user with BROKER_USERS=0")
        broker_users.apply(self.config.amqp_uri, self.config.var_dir, services(),
                           prefix=self.config.broker_user_prefix)

    def remove_broker_users(self) -> None:
        """Delete this stack's broker users (test stacks; users are broker-wide, vhosts are not)."""
        if self.config.broker_users and self.config.broker_user_prefix != "platform.":
            from deploy import broker_users
            broker_users.delete(self.config.amqp_uri, self.config.broker_user_prefix)

    def seed(self) -> None:
        from shared.db.engine import database_url

        demo = yaml.safe_load(self.config.demo_file.read_text(encoding="utf-8"))
        for service in services():
            try:
                module = importlib.import_module(f"{service}.seed")
            except ModuleNotFoundError:
                continue
            module.seed(database_url(service), demo)

    # -- processes -----------------------------------------------------------------------------
    def start(self, names: list[str] | None = None, *, wait: bool = True, timeout: float = 60) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for name, command in procfile():
            if names is None or name in names:
                self._spawn(name, command)
        if wait:
            self.wait_ready(names, timeout=timeout)

    def _spawn(self, name: str, command: str, extra_env: dict | None = None) -> None:
        env = self.config.env()
        env["AMQP_URI"] = self.config.process_amqp_uri(name)
        env.update(self.config.process_env.get(name, {}))
        env["PLATFORM_RESTARTS"] = str(self.supervised[name].restarts if name in self.supervised else 0)
        if name in self.metrics_ports:
            env["METRICS_PORT"] = str(self.metrics_ports[name])
        if name == "gateway":          # gunicorn's workers share their metrics through files
            shared_dir = self.config.var_dir / "metrics" / "gateway"
            if shared_dir.exists():
                for stale in shared_dir.glob("*.db"):
                    stale.unlink()
            shared_dir.mkdir(parents=True, exist_ok=True)
            env["PROMETHEUS_MULTIPROC_DIR"] = str(shared_dir)
        env.update(extra_env or {})
        argv = [os.path.expandvars(part) for part in shlex.split(command)]
        argv = [part.replace("$GATEWAY_BIND", env["GATEWAY_BIND"]) for part in argv]
        exe = BIN / argv[0]
        if exe.exists():
            argv[0] = str(exe)
        log = open(self.log_dir / f"{name}.log", "ab")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                preexec_fn=_end_with_launcher)
        self.processes[name] = proc
        state = self.supervised.setdefault(name, Supervised())
        state.command, state.extra_env, state.started = command, extra_env, time.monotonic()
        threading.Thread(target=self._pump, args=(name, proc, log), daemon=True).start()

    def _pump(self, name: str, proc: subprocess.Popen, log) -> None:
        colour = 31 + (sum(map(ord, name)) % 6)
        for line in iter(proc.stdout.readline, b""):
            log.write(line)
            log.flush()
            if self.config.echo:
                sys.stdout.write(f"\033[{colour}m{name:>21} |\033[0m {line.decode(errors='replace')}")
                sys.stdout.flush()
        log.close()

    def wait_ready(self, names: list[str] | None = None, timeout: float = 60) -> None:
        """Until every started service consumes its RPC and event queues and the gateway answers."""
        from shared import contracts
        from shared.messaging.amqp import connect

        deadline = time.monotonic() + timeout
        wanted = [n for n in (names or [n for n, _ in procfile()])]
        pending_queues = {}
        for name in wanted:
            if name != "gateway":
                pending_queues[f"rpc-{name}"] = name
                for event_type in contracts.SUBSCRIPTIONS.get(name, []):
                    pending_queues[contracts.queue_name(name, event_type)] = name
        conn = connect(self.config.amqp_uri)
        try:
            while pending_queues:
                for queue in list(pending_queues):
                    channel = conn.connection.channel()
                    try:
                        _, _, consumers = channel.queue_declare(queue, passive=True)
                    except Exception:  # noqa: BLE001 - not declared yet
                        consumers = 0
                        conn.release()
                        conn = connect(self.config.amqp_uri)
                    else:
                        channel.close()
                    if consumers:
                        del pending_queues[queue]
                self._check_alive(wanted)
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not consuming after {timeout}s: {sorted(set(pending_queues.values()))}")
                if pending_queues:
                    time.sleep(0.2)
        finally:
            conn.release()
        if "gateway" in wanted:
            while True:
                self._check_alive(wanted)
                try:
                    with urllib.request.urlopen(self.config.gateway_url + "/healthz", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"gateway not answering at {self.config.gateway_url}")
                time.sleep(0.2)

    def _check_alive(self, names) -> None:
        for name in names:
            proc = self.processes.get(name)
            if proc is not None and proc.poll() is not None:
                log = self.log_dir / (name + ".log")
                try:      # the cause in the error itself: a test run's temporary folder may be gone when read
                    tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
                except OSError:
                    tail = "(no log)"
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {log}; its last lines:\n{tail}")

    def signal(self, name: str, sig: int) -> None:
        proc = self.processes[name]
        os.killpg(proc.pid, sig)
        if sig == signal.SIGKILL:
            proc.wait(10)

    def restart(self, name: str, *, extra_env: dict | None = None, wait: bool = True) -> None:
        """Start ``name`` again (after ``stop_one`` or a kill), optionally with extra environment."""
        command = dict(procfile())[name]
        self._spawn(name, command, extra_env)
        if wait:
            self.wait_ready([name])

    # -- supervision ---------------------------------------------------------------------------
    def supervise(self, interval: float = 0.5) -> None:
        """Restart any process that exits on its own (not through ``stop_one``/``stop``), with back-off
        (1 s, doubling to 30 s; reset after 60 s of running), while the rest keeps serving. The restart
        count is in the launcher's line, in the process's ``PLATFORM_RESTARTS`` and in ``/readyz``.
        Runs in a thread of its own that lives as long as the stack: children die with the thread that
        forked them (``PR_SET_PDEATHSIG``), so restarts must come from a long-lived thread."""
        if self._supervisor is None:
            self._stopping.clear()
            self._supervisor = threading.Thread(target=self._supervise_loop, args=(interval,),
                                                name="supervisor", daemon=True)
            self._supervisor.start()

    def _supervise_loop(self, interval: float) -> None:
        while not self._stopping.wait(interval):
            self.supervise_once()

    def supervise_once(self, now: float | None = None) -> list[str]:
        """One pass: note exited processes, restart those whose back-off has passed; returns restarted."""
        now = time.monotonic() if now is None else now
        restarted = []
        for name, proc in list(self.processes.items()):
            if proc.poll() is None:
                continue
            state = self.supervised.setdefault(name, Supervised())
            if state.next_try is None:
                if now - state.started > STABLE_AFTER:
                    state.backoff = BACKOFF_FIRST
                state.next_try = now + state.backoff
                self._say(f"{name} exited with {proc.returncode}; restart {state.restarts + 1} "
                          f"in {state.backoff:g} s (the other processes keep serving)")
                continue
            if now < state.next_try or self._stopping.is_set():
                continue
            state.restarts += 1
            state.next_try, state.backoff = None, min(state.backoff * 2, BACKOFF_MAX)
            self._spawn(name, state.command, state.extra_env)
            self._say(f"{name} restarted (restart {state.restarts})")
            restarted.append(name)
        return restarted

    def _say(self, line: str) -> None:
        print(f"launcher | {line}", file=sys.stderr, flush=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / "launcher.log", "a", encoding="utf-8") as fh:
            fh.write(time.strftime("%Y-%m-%dT%H:%M:%S ") + line + "\n")

    def stop_one(self, name: str, timeout: float = 15) -> None:
        proc = self.processes.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def stop(self) -> None:
        self._stopping.set()
        if self._supervisor is not None and self._supervisor is not threading.current_thread():
            self._supervisor.join(5)
            self._supervisor = None
        for name in list(self.processes):
            proc = self.processes[name]
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for proc in list(self.processes.values()):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self.processes.clear()


@contextlib.contextmanager
def environ(values: dict[str, str]):
    """``os.environ`` with ``values`` set for the block, as it was afterwards (the migrations and seeding of
    this process read their database URLs and broker address from the environment, as a service does)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def advance_clock(clock_file: Path, days: float) -> float:
    """Move every process's time ``days`` further on (never back: tokens and deadlines stay ordered);
    returns the total offset in days."""
    from shared.clock import OffsetFileClock, set_offset

    total = OffsetFileClock(clock_file).offset().total_seconds() / 86400 + days
    set_offset(clock_file, total * 86400)
    return total


def reset_clock(clock_file: Path) -> float:
    from shared.clock import set_offset

    set_offset(clock_file, 0)
    return 0.0


#: ports handed out by this process (a stack's dozen ports are bound by its children later, not at once)
_HANDED_OUT: set[int] = set()


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A port free now for a child to listen on later, below the kernel's ephemeral range: a port from
    ``bind(0)`` lies in that range, where every outgoing connection (to PostgreSQL, RabbitMQ, another
    stack) takes its own, and was seen taken in between (a service then exits with "Address already in
    use" when two test stacks start side by side). Random in [10000, low), never one this process already
    handed out, checked free by binding it."""
    low = _ephemeral_low()
    for _ in range(500):
        port = secrets.randbelow(max(low - 10000, 1)) + 10000
        if port in _HANDED_OUT:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as s:                      # a crowded range: the kernel's choice
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def banner(config: StackConfig) -> str:
    demo = yaml.safe_load(config.demo_file.read_text(encoding="utf-8"))
    lines = ["", "=" * 72, f"  平台已启动  {config.gateway_url}/",
             f"  API 文档    {config.gateway_url}/api/docs",
             f"  事件目录    {config.gateway_url}/api/v1/asyncapi.json",
             f"  演示账号（密码均为 {demo['password']}）:"]
    from shared.auth.roles import Role
    for account in demo["accounts"]:
        region = account.get("region", "")
        lines.append(f"    {account['username']:<12} {Role(account['role']).label:<8} {region}  {account['name']}")
    from shared.clock import OffsetFileClock
    days = OffsetFileClock(config.clock_file).offset().total_seconds() / 86400
    if days:
        lines.append(f"  平台时间：系统时间 + {days:g} 天（`python -m deploy.stack clock` 恢复为系统时间）")
    lines += [f"  curl -s {config.gateway_url}/api/v1/auth/login -H 'Content-Type: application/json' "
              f"-d '{{\"username\":\"admin\",\"password\":\"{demo['password']}\"}}'",
              *([ "  短信验证码（开发短信通道，不发真实短信）：",
                  f"  curl -s '{config.gateway_url}/api/v1/dev/sms-inbox?mobile=13800000001'"]
                if config.env().get("SMS_SENDER") == "dev" else []),
              "  按 Ctrl-C 停止", "=" * 72, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy.stack", description="run the platform locally")
    parser.add_argument("cmd", choices=["run", "prepare", "check", "clock"])
    parser.add_argument("--days", type=float, default=0,
                        help="clock: move the platform's time this many days further on (0: back to real time)")
    args = parser.parse_args(argv)
    config = StackConfig()
    if config.metrics_port_base is None:
        config.metrics_port_base = 9100          # make run: the documented ports 9101-9108
    stack = Stack(config)
    if args.cmd == "clock":
        days = advance_clock(stack.config.clock_file, args.days) if args.days else reset_clock(stack.config.clock_file)
        print(f"平台时间已调整：系统时间 + {days:g} 天（{stack.config.clock_file}）")
        return 0
    try:
        if args.cmd == "check":
            stack.check_dependencies()
            return 0
        stack.prepare()
        if args.cmd == "prepare":
            return 0
        if port_in_use(stack.config.gateway_host, stack.config.gateway_port):
            raise PortTaken(
                f"端口 {stack.config.gateway_port} 已被占用：之前启动的平台（make run）可能仍在运行。\n"
                f"  先停止它（Ctrl-C，或 `pkill -f 'deploy.stack run'`），或用 GATEWAY_PORT=8001 make run")
        stack.start()
    except (DependencyMissing, PortTaken) as exc:
        print(f"\n{exc}\n", file=sys.stderr)
        return 2
    except (TimeoutError, RuntimeError) as exc:
        print(f"\n启动失败: {exc}\n", file=sys.stderr)
        stack.stop()
        return 1
    print(banner(stack.config), flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGHUP, lambda *_: stopping.set())     # a closed terminal ends the stack too
    try:
        # the main thread supervises (it forked the children and lives as long as the stack)
        while not stopping.is_set():
            stack.supervise_once()
            stopping.wait(0.5)
    except KeyboardInterrupt:
        pass
    stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
