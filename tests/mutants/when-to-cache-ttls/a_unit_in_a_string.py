# expect: fail
# hint: raises ValueError
# why: '15 minutes' is not a number of seconds
ttls = {
    "exchange_rates": "15 minutes",
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
