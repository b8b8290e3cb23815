# expect: pass
# why: another correct spelling: CACHE_DEFAULT_TIMEOUT=datetime.timedelta(seconds=600)
from datetime import timedelta

production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": timedelta(seconds=600),
    "CACHE_KEY_PREFIX": "shop:",
}
