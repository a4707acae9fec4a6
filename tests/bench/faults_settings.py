"""The production settings of `make bench` for `make faults` (tests/bench/faults.py), comment limits lifted:
its member comments every two seconds for minutes, far beyond what one member may."""

from tests.bench.settings import *  # noqa: F403

COMMENTS_RATE_NEW_MEMBER = COMMENTS_RATE_MEMBER = (1_000_000, 60)
