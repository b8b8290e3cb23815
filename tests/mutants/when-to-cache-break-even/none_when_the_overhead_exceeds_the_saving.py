# expect: fail
# hint: raised ZeroDivisionError
# why: None when the overhead exceeds the saving
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_miss_overhead > t_compute - t_hit:
        return None
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
