"""The app as served in the benchmark, plus a bare route to compare against."""

from protocol_app import create_app
from protocol_app.core.permissions import public

app = create_app()


@app.route("/bench/hello")
@public
def hello():
    return "hello"
