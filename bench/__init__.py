"""Benchmarks: each bench_<name>.py module has ``run() -> Iterable[dict]`` of JSON-ready lines."""
