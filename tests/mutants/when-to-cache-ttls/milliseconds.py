# expect: fail
# hint: looks like milliseconds
# why: search_suggestions 30000 thinking in milliseconds
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30000,
}
