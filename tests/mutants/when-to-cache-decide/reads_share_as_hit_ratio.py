# expect: fail
# hint: is the share of reads
# why: takes the share of reads for the hit ratio
# ruff: noqa: F821
hit_ratios = {n: 1 - w.write_ratio for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
decisions = {n: False for n in DECIDE_ENDPOINTS}
