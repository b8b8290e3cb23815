# expect: fail
# hint: team's Redis
# why: localhost is each host's own machine, not the team's Redis
production_config = {
    "CACHE_TYPE": "RedisCache",
    "CACHE_REDIS_URL": "redis://localhost:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
