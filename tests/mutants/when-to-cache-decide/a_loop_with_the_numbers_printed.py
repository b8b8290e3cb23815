# expect: pass
# why: a loop, hits/reads and the speedup written out: the same rule
# ruff: noqa: F821
hit_ratios, decisions = {}, {}
for name, (workload, costs, budget) in DECIDE_ENDPOINTS.items():
    result = simulate(workload, costs)
    hit_ratios[name] = result.hits / result.reads
    fresh = result.max_staleness <= budget
    decisions[name] = bool(fresh and result.no_cache_latency >= 2 * result.mean_latency)
