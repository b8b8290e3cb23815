# expect: fail
# hint: a TTL of 600 s is over the 5 minutes budget
# why: timedelta(minutes=10) for a 5-minute budget
from datetime import timedelta

ttls = {
    "exchange_rates": 900,
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": timedelta(seconds=600),
    "search_suggestions": 30,
}
