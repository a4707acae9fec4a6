"""Servers that a benchmark owns, so that it can stop, freeze and break them without hurting anyone else:
PostgreSQL (a cluster of its own made with initdb), Redis and an SMTP server, each on a free port of
127.0.0.1, with its files and logs under one folder.

As root, PostgreSQL runs as the `postgres` user (the server refuses to run as root). Nothing here waits
without a limit: every start and stop gives up after a fixed time with the server's log in the error.
"""

import email
import glob
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, seconds: float, *, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process serving port {port} exited with {process.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on port {port} within {seconds:g} s")


def stop_process(process: subprocess.Popen | None, seconds: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `seconds` (SIGCONT first: it may be frozen)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGCONT)
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class PostgresServer:
    """A throw-away cluster in `root`: trust authentication, listening on 127.0.0.1 only."""

    def __init__(self, root: Path, port: int, *, log: Path):
        self.root, self.port, self.log = root, port, log
        self.data = root / "data"
        self.bin = self._bindir()

    @staticmethod
    def _bindir() -> Path:
        found = shutil.which("pg_ctl") or shutil.which("initdb")
        if found:
            return Path(found).parent
        versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
        if not versions:
            raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        return Path(versions[-1]).parent

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def _run(self, *command: str, timeout: float) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=timeout, cwd=self.root
        )
        if result.returncode != 0:
            log = self.log.read_text()[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}\n{log}")

    def init(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        self.log.write_text("")
        if os.geteuid() == 0:  # the server runs as postgres: its folder and log must be its own
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.log, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--no-instructions", timeout=120)  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses={HOST}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "-t", "60", "start", timeout=90)  # fmt: skip

    def stop(self) -> None:
        """Fast shutdown: open transactions are rolled back and every connection is closed."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop",
                  timeout=90)  # fmt: skip

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def destroy(self) -> None:
        if self.is_running():
            try:
                self.stop()
            except (RuntimeError, subprocess.TimeoutExpired):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop",
                          timeout=60)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


class RedisServer:
    """redis-server without persistence: a stop loses everything, as a restarted cache would."""

    def __init__(self, root: Path, port: int):
        self.root, self.port, self.process = root, port, None
        self.log = root / "redis.log"

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        program = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [program, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no",
             "--dir", str(self.root), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for_port(self.port, 10, process=self.process)

    def stop(self) -> None:
        stop_process(self.process, seconds=10)
        self.process = None

    def freeze(self) -> None:
        """SIGSTOP: connections stay open and accept bytes, but nothing is ever answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)


@dataclass
class Message:
    recipients: list[str]
    message_id: str
    subject: str
    received_at: float  # time.monotonic()


class MailServer:
    """An SMTP server in this process (aiosmtpd) that keeps every message it accepts. It can be stopped
    (connections refused), or made to hang (connections accepted, never answered), and started again on the
    same port."""

    def __init__(self, port: int):
        self.port = port
        self.messages: list[Message] = []
        self._controller = None
        self._hanging: socket.socket | None = None
        self._held: list[socket.socket] = []

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content)
        self.messages.append(
            Message(
                list(envelope.rcpt_tos),
                (parsed["Message-ID"] or "").strip(),
                str(parsed["Subject"] or ""),
                time.monotonic(),
            )
        )
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._release_hanging()
        self._controller = Controller(self, hostname=HOST, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        self._release_hanging()

    def hang(self) -> None:
        """Listen and accept, but never send the greeting nor read a byte."""
        self.stop()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(16)
        listener.settimeout(0.2)
        self._hanging = listener
        threading.Thread(target=self._hold_connections, args=(listener,), daemon=True).start()

    def _hold_connections(self, listener: socket.socket) -> None:
        while self._hanging is listener:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(connection)

    def _release_hanging(self) -> None:
        listener, self._hanging = self._hanging, None
        if listener is not None:
            listener.close()
        for connection in self._held:
            connection.close()
        self._held.clear()
