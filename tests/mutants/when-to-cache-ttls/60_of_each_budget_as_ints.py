# expect: pass
# why: 60 % of every budget: each TTL still fits its budget
ttls = {
    "exchange_rates": 540,
    "sales_report": 2160,
    "about_page": 103680,
    "product_page": 180,
    "search_suggestions": 18,
}
