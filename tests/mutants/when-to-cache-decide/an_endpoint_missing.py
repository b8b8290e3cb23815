# expect: fail
# hint: decisions has no entry for
# why: decides only one endpoint
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {'weather widget': True}
