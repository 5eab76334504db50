"""Speed benchmarks: ``python -m benchmarks.run [--quick] [--only NAME]`` (see README.md)."""
