# expect: fail
# hint: __name__
# why: counts under extra['cache_key'] instead of the function's name
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["cache_key"]]["hits"] += 1

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["cache_key"]]["misses"] += 1

    cache_memoize_hit.connect(on_hit, weak=False)
    cache_memoize_miss.connect(on_miss, weak=False)
    return stats
