# expect: fail
# hint: stopped counting
# why: receivers kept alive in one module-level variable: the second install lets the first's die
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    global KEEP
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["hits"] += 1

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["misses"] += 1

    KEEP = (on_hit, on_miss)
    cache_memoize_hit.connect(on_hit)
    cache_memoize_miss.connect(on_miss)
    return stats
