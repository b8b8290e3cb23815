# expect: fail
# hint: a negative timeout
# why: a negative TTL is already expired
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": -300,
    "search_suggestions": 30,
}
