"""Benchmark and training-data tooling for boilerstrip (not part of the installed package)."""
