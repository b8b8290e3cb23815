# expect: fail
# hint: timedelta(0) means no expiry
# why: timedelta(0) is 0: no expiry
from datetime import timedelta

ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": timedelta(),
    "product_page": 300,
    "search_suggestions": 30,
}
