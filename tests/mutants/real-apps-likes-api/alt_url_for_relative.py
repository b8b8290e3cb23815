# expect: pass
# why: builds the GET's path with url_for('.likes', pid=pid) inside the request (the blueprint-relative endpoint)
from flask import Blueprint
from flask.views import MethodView
from flask_caching import Cache

cache = Cache()


def make_likes_blueprint(store):
    from flask import url_for

    bp = Blueprint("likes", __name__)

    class LikesAPI(MethodView):
        @cache.cached(timeout=300)
        def get(self, pid):
            return {"pid": pid, "likes": store.count(pid)}

        def post(self, pid):
            count = store.add(pid)
            cache.delete_cached(LikesAPI.get, path=url_for(".likes", pid=pid))
            return {"pid": pid, "likes": count}, 201

    bp.add_url_rule("/products/<int:pid>/likes", view_func=LikesAPI.as_view("likes"))
    return bp
