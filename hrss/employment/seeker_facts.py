"""What a job seeker wants, for the apps that serve them without importing this one.

Declared as ``EmploymentConfig.seeker_facts``; the training app reads it through
``hrss.core.declarations.DeclaredModule`` to recommend courses from a seeker's intentions.
"""

from __future__ import annotations

import uuid

from hrss.employment.models import JobSeekerProfile


def wanted_occupations(person_id: uuid.UUID) -> list[str]:
    """The occupation codes (``codes.Occupation``) the person has said they want, in their order."""
    wanted = JobSeekerProfile.objects.filter(person_id=person_id).values_list("occupations", flat=True).first()
    return [str(code) for code in wanted or []]
