# expect: fail
# hint: CACHE_DEFAULT_TIMEOUT
# why: None is the default
ttls = {
    "exchange_rates": None,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
