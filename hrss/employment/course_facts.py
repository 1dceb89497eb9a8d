"""Training courses recommended to a job seeker, read from the training app's declared
``course_recommendations`` (``TrainingConfig``, found in ``EmploymentConfig.ready()``, never
imported: the layers keep domain apps apart), for the seeker's jobs page. Without the
training app, the page shows no courses."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy

from hrss.core.declarations import DeclaredModule

COURSES_SHOWN = 3

courses = DeclaredModule(
    "course_recommendations",
    missing=gettext_lazy("Training courses are not available."),
    code="course_recommendations_unavailable",
)


def recommended(person_id: uuid.UUID) -> list[dict[str, Any]]:
    """Open courses for the person (title, institution, start, link, reasons), best first."""
    module = courses.module
    if module is None:
        return []
    return list(module.recommended_for(person_id=person_id, limit=COURSES_SHOWN))
