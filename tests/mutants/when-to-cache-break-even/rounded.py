# expect: fail
# hint: h* rounded to 3 decimals
# why: rounds h* to 3 decimals
def break_even(t_hit, t_miss_overhead, t_compute):
    if t_hit >= t_compute:
        return None
    return round(t_miss_overhead / (t_compute + t_miss_overhead - t_hit), 3)
