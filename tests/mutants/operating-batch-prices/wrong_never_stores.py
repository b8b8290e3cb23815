# expect: fail
# hint: work
# why: reads the cache in one round trip but never stores what it loaded: every call loads again
# ruff: noqa: B905
def prices(cache, ids, load):
    if not ids:
        return {}
    cached = cache.get_many(*[f"price:{pid}" for pid in ids])
    return {pid: value if value is not None else load(pid) for pid, value in zip(ids, cached)}
