"""Benchmark harness: seeding, a minimal WSGI baseline, and the load driver."""
