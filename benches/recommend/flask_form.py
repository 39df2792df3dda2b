"""A minimal Flask app that does what POST /recommend does, at a smaller scale: it parses a
four-question form, checks each answer against the questions, adds up each framework's points
with a reason per point, and renders the result through a Jinja template (autoescaped).

The baseline for benches/recommend/run.sh, served by gunicorn as `flask_form:app`.
"""

from flask import Flask, request

app = Flask(__name__)

# question id -> option id -> (label, points for django, points for flask, why)
QUESTIONS = {
    "building": {
        "web-app": ("A web application", 2, 1, "Django brings the parts a web app needs."),
        "api": ("An API", 1, 2, "Flask stays small when there are no pages."),
    },
    "admin": {
        "day-one": ("From day one", 3, 0, "Django's admin is built in."),
        "never": ("Never", 0, 1, "Nothing to gain from an admin."),
    },
    "team": {
        "small-team": ("A small team", 1, 1, "Either suits a small team."),
        "solo": ("Just me", 0, 2, "A single file is easy to hold in one head."),
    },
    "deadline": {
        "weeks-full": ("Weeks, full featured", 2, 0, "Batteries included save weeks."),
        "relaxed": ("Relaxed", 0, 1, "Time to choose each part."),
    },
}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Recommendation: {{ winner }}</title></head>
<body><h1>{{ winner }}</h1>
<table><tr><th>Framework</th><th>Points</th></tr>
{% for name, points in scores %}<tr><td>{{ name }}</td><td>{{ points }}</td></tr>{% endfor %}
</table>
<ul>{% for question, label, framework, points, why in reasons %}
<li><strong>{{ question }}</strong> {{ label }}: {{ framework }} +{{ points }}. {{ why }}</li>{% endfor %}
</ul></body></html>
"""

# Compiled once, as render_template does for a template file (render_template_string would
# compile it on every request). The app's Jinja environment autoescapes it.
app.jinja_env.autoescape = True
TEMPLATE = app.jinja_env.from_string(PAGE)


@app.post("/recommend")
def recommend():
    errors = []
    totals = {"Django": 0, "Flask": 0}
    reasons = []
    for question, options in QUESTIONS.items():
        answer = request.form.get(question, "")
        if answer not in options:
            errors.append(question)
            continue
        label, django, flask, why = options[answer]
        for framework, points in (("Django", django), ("Flask", flask)):
            if points:
                totals[framework] += points
                reasons.append((question, label, framework, points, why))
    if errors:
        return {"errors": errors}, 422
    scores = sorted(totals.items(), key=lambda item: -item[1])
    return TEMPLATE.render(winner=scores[0][0], scores=scores, reasons=reasons)
