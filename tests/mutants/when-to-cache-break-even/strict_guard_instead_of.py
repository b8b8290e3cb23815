# expect: fail
# hint: raised ZeroDivisionError: when t_hit >= t_compute caching never pays
# why: `>` lets t_hit == t_compute through: the formula then gives 1, or 0/0 with no overhead, not None
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit > t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
