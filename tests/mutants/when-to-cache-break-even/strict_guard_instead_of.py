# expect: fail
# hint: raised ZeroDivisionError: when t_hit >= t_compute caching never pays
# why: `>` misses the equal case, which divides by the overhead alone and returns 1
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit > t_compute:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
