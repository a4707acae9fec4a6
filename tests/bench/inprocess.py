"""Time one page in-process, on the bench's database: what a request costs this process, less exposed to
other people's jobs than requests per second are.

    python -m tests.bench.inprocess --db postgres --page-cache 0 --fragment-cache 0 [--anonymous] [--freeze]

Run `make bench` once first (with the same --db and BENCH_* environment): this reuses its seeded database
and never seeds or drops anything. Prints, over --requests requests after --warmup unmeasured ones, the
median and 90th percentile of the wall time and of this process's CPU time, and the garbage collector's
passes per request and its time. --freeze setup|warm calls gc.freeze() after django.setup() or after the
warm-up requests.
"""

import argparse
import gc
import os
import statistics
import time
from pathlib import Path

from . import run


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db", choices=["sqlite", "postgres"], default=os.environ.get("BENCH_DB") or "sqlite"
    )
    parser.add_argument("--dir", default=os.environ.get("BENCH_DIR", "/tmp/ldnsite-bench"))
    parser.add_argument("--page-cache", type=int, default=0)
    parser.add_argument("--fragment-cache", type=int, default=0)
    parser.add_argument("--anonymous", action="store_true", help="Read the page without the bench member.")
    parser.add_argument(
        "--freeze",
        choices=["none", "setup", "warm"],
        default="none",
        help="gc.freeze() after django.setup() (as at import in wsgi.py) or after the warm-up requests.",
    )
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    env = run.bench_environment(args, Path(args.dir))
    os.environ.update(env)
    import django

    django.setup()
    if args.freeze == "setup":
        gc.freeze()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0, clear=True)  # the manifest pages link

    cookie = "" if args.anonymous else run.bench_member_cookie()
    path = run.hot_article_url()
    client = Client(HTTP_HOST=run.HOST)
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    passes = [0]
    gc_seconds = [0.0]
    started_at = [0.0]

    def note(phase, info):
        if phase == "start":
            started_at[0] = time.perf_counter()
        else:
            passes[0] += 1
            gc_seconds[0] += time.perf_counter() - started_at[0]

    for _ in range(args.warmup):
        assert client.get(path).status_code == 200
    if args.freeze == "warm":
        gc.freeze()
    gc.callbacks.append(note)
    walls, cpus = [], []
    for n in range(args.requests):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(f"{path}?bench_nocache={n}")
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
        assert response.status_code == 200
    gc.callbacks.remove(note)

    def ms(values: list[float]) -> str:
        """Median and 90th percentile, in milliseconds."""
        p50, p90 = statistics.median(values), statistics.quantiles(values, n=10)[8]
        return f"p50 {p50 * 1000:.1f} ms, p90 {p90 * 1000:.1f} ms"

    reader = "anonymous" if args.anonymous else "logged in"
    frozen = "" if args.freeze == "none" else f" frozen at {args.freeze}"
    gc_ms = gc_seconds[0] / args.requests * 1000
    print(
        f"{reader}{frozen}: wall {ms(walls)}; CPU {ms(cpus)}; "
        f"gc {passes[0] / args.requests:.1f} passes, {gc_ms:.2f} ms a request; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
