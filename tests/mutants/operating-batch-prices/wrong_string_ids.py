# expect: fail
# why: the answer is keyed by the ids as strings, not by the ids the caller passed
# ruff: noqa: B905
def prices(cache, ids, load):
    if not ids:
        return {}
    cached = cache.get_many(*[f"price:{pid}" for pid in ids])
    found = {str(pid): value for pid, value in zip(ids, cached) if value is not None}
    loaded = {str(pid): load(pid) for pid in ids if str(pid) not in found}
    if loaded:
        cache.set_many({f"price:{pid}": value for pid, value in loaded.items()}, timeout=300)
    return {**found, **loaded}
