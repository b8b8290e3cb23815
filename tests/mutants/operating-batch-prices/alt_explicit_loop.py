# expect: pass
# why: the same two batched calls, written as a plain loop
# ruff: noqa: B905
def prices(cache, ids, load):
    answer = {}
    if len(ids) == 0:
        return answer
    keys = ["price:" + str(pid) for pid in ids]
    values = cache.get_many(*keys)
    to_store = {}
    for pid, key, value in zip(ids, keys, values):
        if value is None:
            value = load(pid)
            to_store[key] = value
        answer[pid] = value
    if to_store:
        cache.set_many(to_store, timeout=300)
    return answer
