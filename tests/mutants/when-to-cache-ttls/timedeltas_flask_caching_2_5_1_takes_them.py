# expect: pass
# why: timedeltas (Flask-Caching 2.5.1 takes them)
from datetime import timedelta

ttls = {
    "exchange_rates": timedelta(seconds=900),
    "sales_report": timedelta(seconds=3600),
    "about_page": timedelta(days=2),
    "product_page": timedelta(seconds=300),
    "search_suggestions": timedelta(seconds=30),
}
