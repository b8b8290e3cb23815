# expect: fail
# hint: sender=None
# why: connects with sender=app, but the memoize signals are sent with sender=None: nothing is counted
from collections import defaultdict

from flask_caching.signals import cache_memoize_hit, cache_memoize_miss


def install_memo_counter(app):
    stats = defaultdict(lambda: {"hits": 0, "misses": 0})

    def on_hit(sender, **extra):
        stats[extra["f"].__name__]["hits"] += 1

    def on_miss(sender, **extra):
        stats[extra["f"].__name__]["misses"] += 1

    cache_memoize_hit.connect(on_hit, sender=app, weak=False)
    cache_memoize_miss.connect(on_miss, sender=app, weak=False)
    return stats
