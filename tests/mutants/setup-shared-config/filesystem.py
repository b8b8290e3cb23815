# expect: fail
# hint: one host only
# why: FileSystemCache is shared by one host's workers only, not by the two hosts
production_config = {
    "CACHE_TYPE": "FileSystemCache",
    "CACHE_REDIS_URL": "redis://cache.internal:6379/0",
    "CACHE_DEFAULT_TIMEOUT": 600,
    "CACHE_KEY_PREFIX": "shop:",
}
