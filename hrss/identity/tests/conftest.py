import re

import pytest

from hrss.servicehall.tests.builders import browser, seed_data  # noqa: F401 - browser fixtures
from hrss.testing import make_employer, make_person


def flush_on_commit() -> None:
    """Run the after-commit callbacks waiting in the test's (never committed) transaction."""
    from django.db import connection

    while connection.run_on_commit:
        _savepoints, callback, _robust = connection.run_on_commit.pop(0)
        callback()


@pytest.fixture(autouse=True)
def _identity_isolation(request, settings):
    """Deliver SMS in-process, start with an empty outbox and no lockouts, and leave none behind."""
    from hrss.identity import biometrics
    from hrss.notify import backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.HRSS_SMS_BACKEND = "hrss.notify.backends.RecordingBackend"
    settings.LANGUAGE_CODE = "en"  # pages are asserted in English unless a test asks for a language
    uses_db = request.node.get_closest_marker("django_db") is not None
    backends.outbox.clear()
    biometrics.recorded.clear()
    if uses_db:
        from axes.utils import reset

        reset()
    yield
    if uses_db:
        reset()
    backends.outbox.clear()
    biometrics.recorded.clear()


@pytest.fixture
def last_code():
    """The code in the newest recorded SMS to a phone."""
    from hrss.notify import backends

    def find(phone: str) -> str:
        flush_on_commit()
        for envelope in reversed(backends.outbox):
            if envelope.recipient == phone:
                return re.search(r"\b(\d{6})\b", envelope.text).group(1)
        raise AssertionError(f"no SMS to {phone}")

    return find


@pytest.fixture
def zhang():
    return make_person(name="张伟", phone="13800138000")


@pytest.fixture
def employers():
    ours = make_employer(name="天津示范科技有限公司", contact_phone="13900000001")
    other = make_employer(name="别家单位", contact_phone="13900000002")
    return ours, other
