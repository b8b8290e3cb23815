# expect: fail
# hint: round trips
# why: one get_many, but one set per missing id
# ruff: noqa: B905
def prices(cache, ids, load):
    if not ids:
        return {}
    cached = cache.get_many(*[f"price:{pid}" for pid in ids])
    answer = {}
    for pid, value in zip(ids, cached):
        if value is None:
            value = load(pid)
            cache.set(f"price:{pid}", value, timeout=300)
        answer[pid] = value
    return answer
