# expect: fail
# hint: could not store the page: TypeError
# why: a Fraction: Flask-Caching cannot store with it
from fractions import Fraction

ttls = {
    "exchange_rates": Fraction(900),
    "sales_report": 3600,
    "about_page": 172800,
    "product_page": 300,
    "search_suggestions": 30,
}
