# expect: fail
# hint: connect a receiver to cache_memoize_miss
# why: never connects cache_memoize_miss, so misses stay at zero
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
)


def install_memo_counter(app):
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["hits"] += 1

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["misses"] += 1

    cache_memoize_hit.connect(on_hit, weak=False)
    return stats
