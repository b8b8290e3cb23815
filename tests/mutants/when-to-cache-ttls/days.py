# expect: fail
# hint: about_page: 2 looks like days
# why: about_page 2 thinking in days
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 2,
    "product_page": 300,
    "search_suggestions": 30,
}
