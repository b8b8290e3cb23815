# expect: fail
# hint: `GET /created` then `GET /created`: every answer was right, but your version did the work 2 time(s)
# why: a 201 Created (or a redirect) is a success but is not cached
# ruff: noqa: F821
def cacheable(rv):
    return current_app.make_response(rv).status_code == 200
