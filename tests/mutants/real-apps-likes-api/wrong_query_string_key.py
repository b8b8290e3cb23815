# expect: fail
# hint: count from before a POST
# why: query_string=True adds a hash to the key: deleting view/ + path deletes nothing
from flask import Blueprint, request
from flask.views import MethodView
from flask_caching import Cache

cache = Cache()


def make_likes_blueprint(store):
    bp = Blueprint("likes", __name__)

    class LikesAPI(MethodView):
        @cache.cached(timeout=300, query_string=True)
        def get(self, pid):
            return {"pid": pid, "likes": store.count(pid)}

        def post(self, pid):
            count = store.add(pid)
            cache.delete("view/" + request.path)
            return {"pid": pid, "likes": count}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
