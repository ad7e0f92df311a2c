"""Celery wired to Flask as in the Flask documentation: every task runs inside
the app context, and the task's unit of work is committed in one place."""

from __future__ import annotations

from celery import Celery, Task

from ..extensions import db


def celery_init_app(app) -> Celery:
    """Create the Celery app for `app` and store it in `app.extensions['celery']`."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                try:
                    result = self.run(*args, **kwargs)
                except BaseException:
                    db.session.rollback()
                    raise
                else:
                    db.session.commit()
                    return result
                finally:
                    db.session.remove()

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.config_from_object(app.config["CELERY"])
    from . import logs

    logs.connect_celery(celery)
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
