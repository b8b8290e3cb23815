# expect: fail
# hint: weather widget: worth caching by the rule
# why: caches nothing, not even the endpoints the rule says to cache
# ruff: noqa: F821
results = {n: simulate(w, c) for n, (w, c, b) in DECIDE_ENDPOINTS.items()}
hit_ratios = {n: r.hit_ratio for n, r in results.items()}
decisions = {n: False for n in results}
