# expect: fail
# hint: 'flask_cache_'
# why: prefix left out
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
}
