"""A small TCP proxy the fault tests put between a service and its broker or database, so a connection
can be cut without stopping the machine's own RabbitMQ or PostgreSQL (issue 14).

``cut()`` closes every connection through the proxy at once (both ends see the peer go away, as after a
network failure or a server restart) and refuses new ones until ``restore()``.

The relay runs in its own process (``python -m shared.testing.tcp_proxy HOST PORT``, driven by lines
on its stdin) with OS threads: inside a test process under eventlet, closing a socket another green
thread reads lets the hub hand the reused file descriptor to two readers.

    with TcpProxy("127.0.0.1", 5432) as proxy:
        url = proxy.through("postgresql://postgres@127.0.0.1:5432/db")   # same URL, the proxy's port
        ...
        proxy.cut(); ...; proxy.restore()
"""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
from urllib.parse import urlsplit, urlunsplit


class TcpProxy:
    """The test's handle on a relay process."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self._proc: subprocess.Popen[str] | None = None
        self.host, self.port = "127.0.0.1", 0

    def start(self) -> TcpProxy:
        self._proc = subprocess.Popen([sys.executable, "-m", "shared.testing.tcp_proxy", *map(str, self.target)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        word, port = self._answer().split()
        assert word == "listening", word
        self.port = int(port)
        return self

    def _command(self, line: str) -> str:
        assert self._proc is not None and self._proc.stdin is not None
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        return self._answer()

    def _answer(self) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError(f"tcp proxy to {self.target} exited ({self._proc.poll()})")
        return line.strip()

    def cut(self) -> int:
        """Close every open connection and refuse new ones; returns how many were closed."""
        return int(self._command("cut").split()[1])

    def restore(self) -> None:
        self._command("restore")

    def stop(self) -> None:
        if self._proc is None:
            return
        try:
            self._command("stop")
        except (OSError, RuntimeError, ValueError):
            pass
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._proc = None

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def through(self, url: str) -> str:
        """``url`` with its host and port replaced by the proxy's (user, path and query kept)."""
        parts = urlsplit(url)
        netloc = parts.netloc
        userinfo = netloc.rsplit("@", 1)[0] + "@" if "@" in netloc else ""
        return urlunsplit(parts._replace(netloc=f"{userinfo}{self.host}:{self.port}"))


class Relay:
    """The proxy itself (in the relay process)."""
    def __init__(self, target_host: str, target_port: int, listen_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self._server = socket.create_server((listen_host, 0))
        self.host, self.port = self._server.getsockname()[:2]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._stopped = False
        self.accepted = 0      # connections taken through to the target
        self.refused = 0       # connections closed at once because the proxy was cut
        self._thread = threading.Thread(target=self._accept, name=f"tcp-proxy-{self.port}", daemon=True)

    # -- control -----------------------------------------------------------------------------------
    def start(self) -> Relay:
        self._thread.start()
        return self

    def cut(self) -> int:
        """Close every open connection and refuse new ones; returns how many were closed."""
        with self._lock:
            self._cut = True
            victims, self._open = list(self._open), set()
        for sock in victims:
            _close(sock)
        return len(victims)

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    def stop(self) -> None:
        self._stopped = True
        self.cut()
        _close(self._server)

    # -- plumbing ----------------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                refuse = self._cut
            if refuse:
                self.refused += 1
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                if self._cut:       # cut while connecting
                    _close(client)
                    _close(upstream)
                    continue
                self._open.update((client, upstream))
                self.accepted += 1
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except (OSError, EOFError):     # closed by cut() (eventlet says IOClosed, then EOFError)
            pass
        finally:
            with self._lock:
                self._open.discard(src)
                self._open.discard(dst)
            _close(src)
            _close(dst)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def main() -> None:
    relay = Relay(sys.argv[1], int(sys.argv[2])).start()
    print("listening", relay.port, flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "cut":
            print("cut", relay.cut(), flush=True)
        elif command == "restore":
            relay.restore()
            print("restored", flush=True)
        elif command == "stop":
            print("stopped", flush=True)
            break
    relay.stop()


if __name__ == "__main__":
    main()
