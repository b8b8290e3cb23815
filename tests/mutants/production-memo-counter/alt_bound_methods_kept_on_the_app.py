# expect: pass
# why: a small class whose bound methods are the receivers, kept alive on app.extensions
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    class Counter:
        def __init__(self):
            self.stats = {}

        def count(self, outcome, extra):
            if current_app._get_current_object() is app:
                entry = self.stats.setdefault(extra["f"].__name__, {"hits": 0, "misses": 0})
                entry[outcome] += 1

        def hit(self, sender, **extra):
            self.count("hits", extra)

        def miss(self, sender, **extra):
            self.count("misses", extra)

    counter = Counter()
    app.extensions["memo_counter"] = counter
    cache_memoize_hit.connect(counter.hit)
    cache_memoize_miss.connect(counter.miss)
    return counter.stats
