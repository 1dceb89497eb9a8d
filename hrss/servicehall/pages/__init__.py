"""HTML pages: the citizen and employer web hall (``hall``) and the staff counter workbench (``workbench``).

Thin views: parse, authorise through the caller's scope, call a service or selector, render.
What both share (scope, channel, staff guard, safe redirects) is in ``shared``.
"""

from hrss.servicehall.pages.hall import (
    application_detail,
    application_supplement,
    application_upload,
    application_withdraw,
    apply,
    favicon,
    hall_home,
    item_detail,
    kiosk,
    manifest,
    material_download,
    messages,
    messages_preference,
    messages_read,
    my_applications,
    service_worker,
)
from hrss.servicehall.pages.shared import ELDERLY_COOKIE, KIOSK_COOKIE, staff_required
from hrss.servicehall.pages.workbench import (
    assign,
    decide,
    staff_application,
    supervisor,
    take_next,
    walk_in,
    walk_in_apply,
    work,
    workbench,
)

__all__ = [
    "ELDERLY_COOKIE",
    "KIOSK_COOKIE",
    "application_detail",
    "application_supplement",
    "application_upload",
    "application_withdraw",
    "apply",
    "assign",
    "decide",
    "favicon",
    "hall_home",
    "item_detail",
    "kiosk",
    "manifest",
    "material_download",
    "messages",
    "messages_preference",
    "messages_read",
    "my_applications",
    "service_worker",
    "staff_application",
    "staff_required",
    "supervisor",
    "take_next",
    "walk_in",
    "walk_in_apply",
    "work",
    "workbench",
]
