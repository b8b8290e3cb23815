# expect: fail
# hint: a hit is not free
# why: drops t_hit from the denominator, as if a hit were free
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead)
