# expect: fail
# hint: receiver(sender, **extra)
# why: a receiver without **extra: blinker calls it with keyword arguments and it raises
from flask_caching.signals import (
    cache_memoize_hit,
    cache_memoize_miss,
)


def install_memo_counter(app):
    stats = {}

    def on_hit(sender):
        pass

    cache_memoize_hit.connect(on_hit, weak=False)
    cache_memoize_miss.connect(on_hit, weak=False)
    return stats
