"""Benchmarks (`make bench`): seed_demo at volume on a throwaway database, then a few lists."""
