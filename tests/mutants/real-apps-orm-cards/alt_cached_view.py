# expect: pass
# why: @cached on the view stores the finished dict per path: plain data too
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, mapped_column, relationship

from flask_caching import Cache

from support.data import db

cache = Cache()


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "product"
    id = mapped_column(Integer, primary_key=True)
    name = mapped_column(String)
    category = mapped_column(String)
    ratings = relationship("Score")  # lazy: loaded on first access


class Score(Base):
    __tablename__ = "rating"
    id = mapped_column(Integer, primary_key=True)
    product_id = mapped_column(ForeignKey("product.id"))
    score = mapped_column(Integer)


def register_category_page(app):
    @app.get("/categories/<name>")
    @cache.cached(timeout=300)
    def category(name):
        items = db.session.scalars(select(Item).filter_by(category=name).order_by(Item.id))
        cards = [{"id": i.id, "name": i.name, "ratings": len(i.ratings)} for i in items]
        return {"category": name, "products": cards}
