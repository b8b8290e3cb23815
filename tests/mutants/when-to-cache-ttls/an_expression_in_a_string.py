# expect: fail
# hint: int('15*60') raises ValueError
# why: '15*60' is a string, not an expression Python evaluates
ttls = {
    "exchange_rates": "15*60",
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
