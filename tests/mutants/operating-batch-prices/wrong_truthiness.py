# expect: fail
# hint: work
# why: `if value` treats a cached price of 0 as a miss and loads it again every time
# ruff: noqa: B905
def prices(cache, ids, load):
    if not ids:
        return {}
    cached = cache.get_many(*[f"price:{pid}" for pid in ids])
    found = {pid: value for pid, value in zip(ids, cached) if value}
    loaded = {pid: load(pid) for pid in ids if pid not in found}
    if loaded:
        cache.set_many({f"price:{pid}": value for pid, value in loaded.items()}, timeout=300)
    return {**found, **loaded}
