"""The production settings, with the static files collected into the benchmark's own folder.

Used by `make bench` (tests/bench/run.py) for gunicorn, collectstatic and the query counts; the run sets the
environment (DEBUG off, a bench secret key, its own database and, with PostgreSQL, Redis) before this loads.
"""

import os
from pathlib import Path

from ldnsite.settings import *  # noqa: F403
from ldnsite.settings import CACHES

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# Its own keys in a shared Redis: the bench never reads or empties anyone else's cache.
CACHES["default"]["KEY_PREFIX"] = "ldnsite-bench"
