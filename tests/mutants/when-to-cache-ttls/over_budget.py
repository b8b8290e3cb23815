# expect: fail
# hint: over the 5 minutes budget
# why: an hour for a page whose budget is 5 minutes
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 3600,
    "search_suggestions": 30,
}
