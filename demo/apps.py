from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`. The top layer: it may import every app."""

    name = "demo"
    verbose_name = "Demo"
