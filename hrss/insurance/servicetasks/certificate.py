"""参保缴费证明 (SH-YL-002) as a service item: the certificate's figures from the person's own
contribution lines (S1, A4: certificates from data)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hrss.core.servicetasks import ServiceTaskContext, register_handler
from hrss.insurance import access
from hrss.insurance.dossier import contribution_figures
from hrss.insurance.servicetasks.task_context import acting_scope, person_id_of, record_result, refusing

# --- certificate of contributions (参保缴费证明) --------------------------------------------------


@register_handler("insurance.contribution_certificate")
@refusing
def contribution_certificate(context: ServiceTaskContext) -> dict[str, Any]:
    """The certificate's figures from the person's own contribution lines (A4: certificates from data)."""
    scope = acting_scope(context)
    person = access.person_for(scope, person_id_of(context))
    today = timezone.localdate()
    digest = hashlib.sha256(f"{context.reference}:{person.pk}".encode()).hexdigest()[:12].upper()
    number = f"JFZM-{today:%Y%m%d}-{digest}"
    result = {
        "what": _("Certificate of social insurance contributions issued."),
        "certificate_number": number,
        "issued_on": today.isoformat(),
        "purpose": context.form_data.get("purpose"),
        "name": person.name,
        # The same figures as the signed certificate of the archive (hrss.insurance.dossier).
        **contribution_figures(person.pk),
    }
    return record_result(context, scope, "contribution_certificate", person.pk, result)
