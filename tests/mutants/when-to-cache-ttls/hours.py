# expect: fail
# hint: sales_report: 1 looks like hours
# why: sales_report 1 thinking in hours
ttls = {
    "exchange_rates": 900,
    "sales_report": 1,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
