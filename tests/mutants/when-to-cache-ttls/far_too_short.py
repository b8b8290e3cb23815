# expect: fail
# hint: far below the 1 hour budget
# why: 120 s for a 1-hour budget: far more recomputation than needed
ttls = {
    "exchange_rates": 900,
    "sales_report": 120,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
