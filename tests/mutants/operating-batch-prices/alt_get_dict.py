# expect: pass
# why: get_dict returns {key: value} in one MGET; missing ones are None
def prices(cache, ids, load):
    if not ids:
        return {}
    keys = {pid: f"price:{pid}" for pid in ids}
    cached = cache.get_dict(*keys.values())
    answer, missing = {}, {}
    for pid, key in keys.items():
        if cached[key] is None:
            missing[key] = answer[pid] = load(pid)
        else:
            answer[pid] = cached[key]
    if missing:
        cache.set_many(missing, timeout=300)
    return answer
