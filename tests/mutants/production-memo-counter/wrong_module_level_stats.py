# expect: fail
# hint: module-level
# why: one module-level dict shared by every install: two apps' counters are the same
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    stats = globals().setdefault("STATS", defaultdict(lambda: {"hits": 0, "misses": 0}))

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["hits"] += 1

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["misses"] += 1

    app.extensions["memo_counter"] = (on_hit, on_miss)
    cache_memoize_hit.connect(on_hit)
    cache_memoize_miss.connect(on_miss)
    return stats
