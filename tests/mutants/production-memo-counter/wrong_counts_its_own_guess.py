# expect: fail
# hint: a hit when the shared cache answered it
# why: decides hit or miss from the keys this install has seen, not from the signal: right when each process has its own cache, wrong when another worker stored the value in the shared Redis
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})
    seen = set()

    def receive(sender, **extra):
        if current_app._get_current_object() is not app:
            return
        key = extra["cache_key"]
        stats[extra["f"].__name__]["hits" if key in seen else "misses"] += 1
        seen.add(key)

    cache_memoize_hit.connect(receive)
    cache_memoize_miss.connect(receive)
    app.extensions["memo_counter"] = receive
    return stats
