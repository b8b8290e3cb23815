# expect: fail
# hint: cache_memoize_hit and cache_memoize_miss
# why: cache_view_hit/miss are sent by @cached views, not by memoized functions
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_view_hit,
    cache_view_miss,
)


def install_memo_counter(app):
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["hits"] += 1

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["misses"] += 1

    cache_view_hit.connect(on_hit, weak=False)
    cache_view_miss.connect(on_miss, weak=False)
    return stats
