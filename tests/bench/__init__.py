"""Benchmarks: `make bench` runs run.py. Nothing here is collected by pytest."""
