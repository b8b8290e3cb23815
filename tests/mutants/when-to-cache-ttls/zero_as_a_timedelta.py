# expect: fail
# hint: timedelta(0) means no expiry
# why: zero as a timedelta
from datetime import timedelta

ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": timedelta(),
    "product_page": 300,
    "search_suggestions": 30,
}
