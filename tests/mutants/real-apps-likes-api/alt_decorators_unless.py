# expect: pass
# why: the decorators list with unless= for every method but GET, and the GET's entry deleted by path
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
            count = store.add(pid)
            cache.delete("view/" + request.path)
            return {"pid": pid, "likes": count}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
