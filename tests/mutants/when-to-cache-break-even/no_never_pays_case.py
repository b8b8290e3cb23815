# expect: fail
# hint: t_compute=0.0 (the smallest input that shows it) your function raised ZeroDivisionError: when t_hit >= t_compute
# why: no test for t_hit >= t_compute: divides by zero or returns nonsense
def break_even(t_hit, t_miss_overhead, t_compute):
    return t_miss_overhead / (t_compute + t_miss_overhead - t_hit)
