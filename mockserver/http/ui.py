"""The dashboard's static files (mockserver/ui/, shipped as package data) under /_mock/ui.

The page holds no data of its own: it reads the admin API with the key the user
enters, so serving it needs no key. Its policy lets it load only its own files and
call only this origin.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from .messages import HttpRequest, HttpResponse

UI_PATH = "/_mock/ui"
_FILES = {
    "": ("index.html", "text/html; charset=utf-8"),
    "/dashboard.js": ("dashboard.js", "text/javascript; charset=utf-8"),
    "/dashboard.css": ("dashboard.css", "text/css; charset=utf-8"),
}
_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}


def is_ui_path(path: str) -> bool:
    return path == UI_PATH or path.startswith(UI_PATH + "/")


@cache
def _read(name: str) -> bytes:
    return resources.files("mockserver").joinpath("ui").joinpath(name).read_bytes()  # one part per call on 3.10


def serve(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return HttpResponse.text(405, "the dashboard is read with GET")
    entry = _FILES.get(request.path.removeprefix(UI_PATH).rstrip("/"))
    if entry is None:
        return HttpResponse.text(404, f"no dashboard file {request.path}")
    name, content_type = entry
    body = _read(name)
    return HttpResponse(200, b"" if request.method == "HEAD" else body, {"Content-Type": content_type, **_HEADERS})
