# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT
# why: None is CACHE_DEFAULT_TIMEOUT, not the endpoint's budget
ttls = {
    "exchange_rates": None,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
