"""`BENCH_PROFILE="page name" make bench`: cProfile one page over N requests and print where the time goes."""

import cProfile
import pstats

from benchmarks.run import _client, _get, pages


def profile(name: str, *, n: int, top: int = 35) -> None:
    page = next(p for p in pages() if p.name == name)
    client = _client(page)
    for _ in range(3):
        _get(client, page.url, page.status)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        _get(client, page.url, page.status)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
