# expect: pass
# why: json.dumps of path, page and category is unambiguous (null is not a string)
# ruff: noqa: F821
import json

def listing_key():
    return json.dumps([request.path, request.args.get("page", 1, type=int),
                       request.args.get("category")])
