import contextvars
import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class ScopedTask(Task):
    """A task runs in a context of its own, as it would in a worker: no tenancy
    scope from the request that queued it, also when a test runs it eagerly. Each
    task declares its scope (``network.access``)."""

    def __call__(self, *args, **kwargs):
        return contextvars.Context().run(super().__call__, *args, **kwargs)


app = Celery("usht", task_cls=ScopedTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def make_broker_folders(sender, **kwargs):
    """The file-system broker needs its folders before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
