# expect: fail
# hint: a hit when the shared cache answered it
# why: counts hits from the signal, but a miss for every function call this process has not made before, so a value another worker stored counts as a miss too
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})
    computed = set()

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            name = extra["f"].__name__
            call = (name, extra["args"], tuple(sorted(extra["kwargs"].items())))
            if call in computed:
                stats[name]["hits"] += 1
            else:
                stats[name]["misses"] += 1
                computed.add(call)

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            name = extra["f"].__name__
            stats[name]["misses"] += 1
            computed.add((name, extra["args"], tuple(sorted(extra["kwargs"].items()))))

    cache_memoize_hit.connect(on_hit)
    cache_memoize_miss.connect(on_miss)
    app.extensions["memo_counter"] = (on_hit, on_miss)
    return stats
