"""Courses recommended to a person, for apps that show them without importing this one.

Declared as ``TrainingConfig.course_recommendations``; the employment app reads it through
``hrss.core.declarations.DeclaredModule`` to show courses on the job seeker's jobs page. The
recommendation itself is ``selectors.recommended_courses`` (from the seeker's intentions
first, then the employment history, then the shortage list).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse

from hrss.core.scope import CITIZEN, Scope
from hrss.training import selectors


def recommended_for(*, person_id: uuid.UUID, limit: int = 3) -> list[dict[str, Any]]:
    """The open courses recommended to the person, as plain facts with their reasons in words."""
    scope = Scope(actor=f"person:{person_id}", roles=frozenset({CITIZEN}), person_id=person_id)
    return [
        {
            "title": r.course.title,
            "institution": r.course.institution.name,
            "starts_on": r.course.starts_on,
            "url": reverse("training:course", args=[r.course.pk]),
            "reasons": r.reason_labels,
        }
        for r in selectors.recommended_courses(scope=scope, limit=limit)
    ]
