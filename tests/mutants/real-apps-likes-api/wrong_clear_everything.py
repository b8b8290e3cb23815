# expect: fail
# hint: only its own product
# why: clear() after every like throws away every other product's entry too: more reads than needed
from flask import Blueprint
from flask.views import MethodView
from flask_caching import Cache

cache = Cache()


def make_likes_blueprint(store):
    bp = Blueprint("likes", __name__)

    class LikesAPI(MethodView):
        @cache.cached(timeout=300)
        def get(self, pid):
            return {"pid": pid, "likes": store.count(pid)}

        def post(self, pid):
            count = store.add(pid)
            cache.clear()
            return {"pid": pid, "likes": count}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
