"""Minimal single-file Flask app for benches/frameworks/run.sh.

Served as `gunicorn --chdir benches/frameworks/flask_app app:app`.
The same three endpoints as ../django_app/app.py; the template is rendered by
Jinja through render_template, which autoescapes .html templates.
"""

from flask import Flask, Response, jsonify, render_template

# One template file serves both apps: the markup is valid DTL and valid Jinja.
app = Flask(__name__, template_folder="../templates")


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


@app.route("/plaintext")
def plaintext():
    return Response(b"Hello, World!", mimetype="text/plain")


@app.route("/json")
def json():
    return jsonify(message="Hello, World!")


@app.route("/template")
def template():
    fortunes = FORTUNES + [Fortune(0, "Additional fortune added at request time.")]
    fortunes.sort(key=lambda f: f.message)
    return render_template("fortunes.html", fortunes=fortunes)
