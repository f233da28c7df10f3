"""Error answers in the form the client asked for: JSON for a JSON URL, HTML otherwise,
each with a message that says what to change. Wired as Django's handler400/404/500."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

TITLES = {400: "Bad request", 404: "Not found", 500: "Server error"}


def wants_json(request: HttpRequest) -> bool:
    path = request.path
    return path.endswith(".json") or "application/json" in request.headers.get("Accept", "")


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    title = TITLES[status]
    if wants_json(request):
        return JsonResponse({"error": {"status": status, "title": title, "message": message}},
                            status=status, json_dumps_params={"ensure_ascii": False})  # fmt: skip
    html = render_to_string("web/error.html", {"status": status, "title": title,
                                                "message": message}, request)  # fmt: skip
    return HttpResponse(html, status=status)


def _message(exception: BaseException | None, default: str) -> str:
    # Django's own 404s carry a dict (the resolver's tried patterns): not for readers.
    text = str(exception.args[0]) if exception and exception.args else ""
    return text if text and isinstance(exception.args[0], str) else default


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 400, _message(exception, "The request could not be read."))


def not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    message = _message(exception, "Nothing is published at this address.")
    return error_response(request, 404, message)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500, "Something went wrong on our side; it has been logged.")
