# expect: pass
# why: the saving computed first, the same formula and the same None case
def break_even(t_hit, t_miss_overhead, t_compute):
    saving = t_compute - t_hit
    return None if saving <= 0 else t_miss_overhead / (saving + t_miss_overhead)
