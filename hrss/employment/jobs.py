"""The scheduled jobs of employment services (declared on ``EmploymentConfig.scheduled_jobs``).

- ``vacancies_expire`` (daily, ``employment.vacancies_expire``): open vacancies past their
  ``valid_until`` become ``expired`` in one UPDATE, and the agents of each employer are told
  in-app once, naming its vacancies. A second run finds nothing left to expire.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from hrss.core.audit import audit_record
from hrss.employment.models import Vacancy
from hrss.employment.notify_templates import VACANCIES_EXPIRED_TEMPLATE
from hrss.identity.models import User
from hrss.notify import services as notify
from hrss.notify.links import site_url

# The titles named in one employer's message (the count says how many there were).
TITLES_NAMED = 5


def vacancies_expire() -> dict[str, int]:
    """Close every open vacancy whose last day has passed; tell each employer's agents."""
    today = timezone.localdate()
    with transaction.atomic():
        due = Vacancy.objects.filter(status=Vacancy.Status.OPEN, valid_until__lt=today)
        rows = list(
            due.select_for_update()
            .order_by("employer_id", "valid_until", "id")
            .values_list("id", "employer_id", "title")
        )
        if not rows:
            return {"expired": 0, "told": 0}
        expired = Vacancy.objects.filter(pk__in=[pk for pk, _e, _t in rows], status=Vacancy.Status.OPEN).update(
            status=Vacancy.Status.EXPIRED, updated_at=timezone.now()
        )
        titles: dict[object, list[str]] = defaultdict(list)
        for _pk, employer_id, title in rows:
            titles[employer_id].append(title)
        audit_record(
            actor="employment.vacancies_expire",
            actor_role="system",
            action="employment.vacancies_expire",
            object_type="vacancy",
            object_id="",
            detail={"expired": expired, "employers": len(titles), "on": today.isoformat()},
        )
        url = site_url("employment:vacancies")
        told = 0
        agents = User.objects.filter(employer_id__in=list(titles), is_active=True).values_list("pk", "employer_id")
        for agent_id, employer_id in agents:
            named = titles[employer_id]
            shown = "、".join(named[:TITLES_NAMED]) + ("…" if len(named) > TITLES_NAMED else "")
            notify.send_in_app(
                user_id=agent_id,
                template=VACANCIES_EXPIRED_TEMPLATE,
                params={"count": len(named), "titles": shown, "url": url},
            )
            told += 1
    return {"expired": expired, "told": told}
