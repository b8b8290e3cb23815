# expect: fail
# hint: timeout=0 means no expiry
# why: 0 means no expiry, not 'do not cache'
ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 0,
    "product_page": 300,
    "search_suggestions": 30,
}
