# expect: fail
# hint: a hit that costs nothing is the best case
# why: `not t_hit` treats a hit that costs nothing as 'never pays'
def break_even(t_hit, t_miss_overhead, t_compute):
    if not t_hit or t_hit >= t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
