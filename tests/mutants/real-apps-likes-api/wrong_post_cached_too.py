# expect: fail
# hint: answered from the cache
# why: both methods decorated: the second POST of a product is answered with the first POST's body
from flask import Blueprint, request
from flask.views import MethodView
from flask_caching import Cache

cache = Cache()


def make_likes_blueprint(store):
    bp = Blueprint("likes", __name__)

    class LikesAPI(MethodView):
        @cache.cached(timeout=300)
        def get(self, pid):
            return {"pid": pid, "likes": store.count(pid)}

        @cache.cached(timeout=300, key_prefix=lambda: "post" + request.path)
        def post(self, pid):
            count = store.add(pid)
            cache.delete("view/" + request.path)
            return {"pid": pid, "likes": count}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
