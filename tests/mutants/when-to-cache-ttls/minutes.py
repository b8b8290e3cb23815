# expect: fail
# hint: exchange_rates: 15 looks like minutes
# why: exchange_rates 15 thinking in minutes
ttls = {
    "exchange_rates": 15,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
