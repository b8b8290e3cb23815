# expect: pass
# why: writes the new GET body into the GET's entry instead of deleting it (saves even the next read)
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

        def post(self, pid):
            count = store.add(pid)
            cache.set("view/" + request.path, {"pid": pid, "likes": count}, timeout=300)
            return {"pid": pid, "likes": count}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
