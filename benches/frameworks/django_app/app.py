"""Minimal single-file Django app for benches/frameworks/run.sh.

Served as `gunicorn --chdir benches/frameworks/django_app app:application`.
Settings are the least a Django project needs to answer requests: no database,
no installed apps, no middleware (so no sessions, auth, CSRF or security
headers; the Content-Length that CommonMiddleware would add is set in the
views), DEBUG off, USE_I18N off, and the Django template engine (DTL) with its
default (cached) loader. The same three endpoints as ../flask_app/app.py.
"""

from pathlib import Path

from django.conf import settings

HERE = Path(__file__).resolve().parent

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-only-not-secret",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
    USE_I18N=False,  # Flask has no translation machinery either
    USE_TZ=True,
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [HERE.parent / "templates"],  # shared with the Flask app
            "OPTIONS": {"context_processors": []},
        }
    ],
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.urls import path  # noqa: E402


class Fortune:
    __slots__ = ("id", "message")

    def __init__(self, id, message):
        self.id = id
        self.message = message


# TechEmpower's twelve fortunes, kept in memory instead of in a database.
FORTUNES = [
    Fortune(1, "fortune: No such file or directory"),
    Fortune(2, "A computer scientist is someone who fixes things that aren't broken."),
    Fortune(3, "After enough decimal places, nobody gives a damn."),
    Fortune(4, "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1"),
    Fortune(5, "A computer program does what you tell it to do, not what you want it to do."),
    Fortune(6, "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen"),
    Fortune(7, "Any program that runs right is obsolete."),
    Fortune(8, "A list is only as strong as its weakest link. \u2014 Donald Knuth"),
    Fortune(9, "Feature: A bug with seniority."),
    Fortune(10, "Computers make very fast, very accurate mistakes."),
    Fortune(11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
    Fortune(12, "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af"),
]


def with_length(response):
    # Django leaves Content-Length to CommonMiddleware, which this app does not
    # load; without it gunicorn sends a chunked body. Flask (Werkzeug) always
    # sets it, so set it here to put the same bytes on the wire.
    response["Content-Length"] = str(len(response.content))
    return response


def plaintext(request):
    return with_length(HttpResponse(b"Hello, World!", content_type="text/plain; charset=utf-8"))


def json(request):
    return with_length(JsonResponse({"message": "Hello, World!"}))


def template(request):
    fortunes = FORTUNES + [Fortune(0, "Additional fortune added at request time.")]
    fortunes.sort(key=lambda f: f.message)
    return with_length(render(request, "fortunes.html", {"fortunes": fortunes}))


urlpatterns = [
    path("plaintext", plaintext),
    path("json", json),
    path("template", template),
]

application = get_wsgi_application()
