# expect: fail
# hint: round trips
# why: one cache.get and one cache.set per id: as many round trips as ids
def prices(cache, ids, load):
    answer = {}
    for pid in ids:
        value = cache.get(f"price:{pid}")
        if value is None:
            value = load(pid)
            cache.set(f"price:{pid}", value, timeout=300)
        answer[pid] = value
    return answer
