import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run delivery tasks in-process, right after commit."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from hrss.notify import backends

    backends.outbox.clear()
    yield
    backends.outbox.clear()
