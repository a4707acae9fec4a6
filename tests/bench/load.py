"""A small HTTP/1.1 load generator: N connections kept alive (re-opened when the server closes them), each
sending the next request as soon as the last answer is read. asyncio and the standard library only."""

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)  # seconds, one per completed request
    statuses: dict[int, int] = field(default_factory=dict)
    cache_states: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _read_response(reader: asyncio.StreamReader) -> Response:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunks.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        body = b"".join(chunk[:-2] for chunk in chunks)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = await reader.read()
        headers["connection"] = "close"
    return Response(status, headers, body)


def _request_bytes(host: str, port: int, path: str, cookie: str) -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "User-Agent: ldnsite-bench",
        "Accept: text/html,*/*",
        "Accept-Encoding: gzip",
        "Connection: keep-alive",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def fetch(host: str, port: int, path: str, cookie: str = "", *, gzip: bool = False) -> Response:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        request = _request_bytes(host, port, path, cookie)
        if not gzip:
            request = request.replace(b"Accept-Encoding: gzip\r\n", b"")
        writer.write(request)
        await writer.drain()
        return await _read_response(reader)
    finally:
        writer.close()


async def _worker(host, port, request: bytes, stop_at: float, record_from: float, result: Result) -> None:
    reader = writer = None
    try:
        while time.perf_counter() < stop_at:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            try:
                response = await _read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()
                writer = None
                continue
            finished = time.perf_counter()
            if started >= record_from:
                result.latencies.append(finished - started)
                result.statuses[response.status] = result.statuses.get(response.status, 0) + 1
                state = response.headers.get("x-cache", "-")
                result.cache_states[state] = result.cache_states.get(state, 0) + 1
            if response.headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
    finally:
        if writer is not None:
            writer.close()


async def _run(host, port, path, cookie, *, concurrency, seconds, warmup) -> Result:
    request = _request_bytes(host, port, path, cookie)
    start = time.perf_counter()
    record_from, stop_at = start + warmup, start + warmup + seconds
    result = Result()
    await asyncio.gather(
        *(_worker(host, port, request, stop_at, record_from, result) for _ in range(concurrency))
    )
    result.seconds = seconds
    return result


def run(
    host: str, port: int, path: str, cookie: str = "", *, concurrency=8, seconds=5.0, warmup=1.0
) -> Result:
    """Load one address for `seconds` after `warmup`; requests started during the warm-up are not counted."""
    return asyncio.run(
        _run(host, port, path, cookie, concurrency=concurrency, seconds=seconds, warmup=warmup)
    )


def get(host: str, port: int, path: str, cookie: str = "", *, gzip: bool = False) -> Response:
    return asyncio.run(fetch(host, port, path, cookie, gzip=gzip))
