"""Reproducible synthetic data for demonstrations and benchmarks.

Nothing here is a real person. Each module fills one area; ``generate``
runs them in order with one seeded random source.
"""
