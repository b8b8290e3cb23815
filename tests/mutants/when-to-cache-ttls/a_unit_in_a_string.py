# expect: fail
# hint: raises ValueError
# why: a unit in a string
ttls = {
    "exchange_rates": "15 minutes",
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
