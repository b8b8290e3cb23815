# expect: fail
# hint: stopped counting
# why: a tidy install that disconnects every earlier receiver, so the first app stops counting
from collections import defaultdict
from flask import current_app
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    for signal in (cache_memoize_hit, cache_memoize_miss):
        for receiver in list(signal.receivers_for(None)):
            signal.disconnect(receiver)
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})

    def on_hit(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["hits"] += 1

    def on_miss(sender, **extra):
        if current_app._get_current_object() is app:
            stats[extra["f"].__name__]["misses"] += 1

    cache_memoize_hit.connect(on_hit, weak=False)
    cache_memoize_miss.connect(on_miss, weak=False)
    return stats
