# expect: fail
# hint: prices([])
# why: get_many() with no keys sends an MGET without keys, which Redis refuses
# ruff: noqa: B905
def prices(cache, ids, load):
    cached = cache.get_many(*[f"price:{pid}" for pid in ids])
    found = {pid: value for pid, value in zip(ids, cached) if value is not None}
    loaded = {pid: load(pid) for pid in ids if pid not in found}
    if loaded:
        cache.set_many({f"price:{pid}": value for pid, value in loaded.items()}, timeout=300)
    return {**found, **loaded}
