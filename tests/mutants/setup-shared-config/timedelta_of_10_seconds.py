# expect: fail
# hint: 600, not 10
# why: timedelta(seconds=10) where 10 minutes were asked for
from datetime import timedelta

production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": timedelta(seconds=10),
    "CACHE_KEY_PREFIX": "shop:",
}
