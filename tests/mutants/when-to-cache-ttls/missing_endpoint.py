# expect: fail
# hint: no TTL for search_suggestions
# why: no TTL for one endpoint
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
}
