# expect: fail
# hint: A high hit ratio on a cheap query is not enough
# why: a high hit ratio on a cheap query is not a 2x speedup
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: r.hit_ratio > 0.5 for n, r in results.items()}
