# expect: fail
# why: pairs the misses' loaded values with the wrong ids (zips all ids with the loaded values only)
# ruff: noqa: B905
def prices(cache, ids, load):
    if not ids:
        return {}
    cached = cache.get_many(*[f"price:{pid}" for pid in ids])
    missing = [pid for pid, value in zip(ids, cached) if value is None]
    values = [load(pid) for pid in missing]
    if missing:
        cache.set_many({f"price:{pid}": value for pid, value in zip(ids, values)}, timeout=300)
    found = {pid: value for pid, value in zip(ids, cached) if value is not None}
    return {**found, **dict(zip(missing, values))}
