"""The talent app's refusals, each with a stable code (rendered in the one error shape)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from hrss.core.errors import Conflict, InvalidInput


class NotPublicInstitution(InvalidInput):
    code = "not_public_institution"
    default_message = _(
        "Only a public institution (事业单位: a credit code starting with 12) has a staffing quota and posts."
    )


class QuotaExceeded(Conflict):
    """More people than the staffing quota (编制) of the funding kind leaves room for."""

    code = "quota_exceeded"
    default_message = _("This exceeds the institution's staffing quota.")


class PostFull(Conflict):
    code = "post_full"
    default_message = _("Every position of this post is taken.")


class WageTableMissing(Conflict):
    """The salary tables have no figure in force for this grade, step or allowance on the date."""

    code = "wage_table_missing"
    default_message = _("The salary tables have no figure in force for this wage on that date.")
