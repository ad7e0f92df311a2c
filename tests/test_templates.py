"""Every page template of the app compiles: a template with a syntax error is a 500 on the one
page nobody clicked in the tests (the layout's `back_to` lines are Jinja expressions, not text)."""

from __future__ import annotations


def test_every_template_of_the_app_compiles(app):
    names = [n for n in app.jinja_env.list_templates() if n.endswith((".html", ".txt", ".xml"))
             and not n.startswith("bootstrap")]
    assert len(names) > 100
    for name in names:
        app.jinja_env.get_template(name)  # raises TemplateSyntaxError naming the line
