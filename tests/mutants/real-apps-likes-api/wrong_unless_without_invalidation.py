# expect: fail
# hint: count from before a POST
# why: keeps POST out of the cache with unless, but never invalidates the GET
from flask import Blueprint, request
from flask.views import MethodView
from flask_caching import Cache

cache = Cache()


def make_likes_blueprint(store):
    bp = Blueprint("likes", __name__)

    class LikesAPI(MethodView):
        decorators = [cache.cached(timeout=300, unless=lambda: request.method != "GET")]

        def get(self, pid):
            return {"pid": pid, "likes": store.count(pid)}

        def post(self, pid):
            return {"pid": pid, "likes": store.add(pid)}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
