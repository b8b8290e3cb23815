# expect: fail
# hint: run simulate(workload, costs) on DECIDE_ENDPOINTS exactly as given
# why: simulates another seed than the endpoints give
# ruff: noqa: F821
hit_ratios = {n: simulate(w.but(seed=1), c).hit_ratio for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
decisions = {n: False for n in DECIDE_ENDPOINTS}
