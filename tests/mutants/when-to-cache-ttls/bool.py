# expect: fail
# hint: not a number of seconds
# why: True is not a number of seconds
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": True,
    "search_suggestions": 30,
}
