# expect: fail
# hint: work
# why: loads every id on each call and only then writes the cache: the cache saves nothing
def prices(cache, ids, load):
    answer = {pid: load(pid) for pid in ids}
    if answer:
        cache.set_many({f"price:{pid}": value for pid, value in answer.items()}, timeout=300)
    return answer
