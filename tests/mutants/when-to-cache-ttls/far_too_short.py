# expect: fail
# hint: far below the 1 hour budget
# why: far too short
ttls = {
    "exchange_rates": 900,
    "sales_report": 120,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
