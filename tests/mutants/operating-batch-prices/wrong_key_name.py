# expect: fail
# hint: served
# why: keys `price-<id>`: the app deletes `price:<id>` when a price changes, so the old price stays
# ruff: noqa: B905
def prices(cache, ids, load):
    if not ids:
        return {}
    cached = cache.get_many(*[f"price-{pid}" for pid in ids])
    found = {pid: value for pid, value in zip(ids, cached) if value is not None}
    loaded = {pid: load(pid) for pid in ids if pid not in found}
    if loaded:
        cache.set_many({f"price-{pid}": value for pid, value in loaded.items()}, timeout=300)
    return {**found, **loaded}
