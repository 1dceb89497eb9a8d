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


class GreenCardHeld(Conflict):
    """A person holds at most one valid talent green card (人才绿卡)."""

    code = "green_card_held"
    default_message = _("You already hold a valid talent green card: apply again once it has expired.")


class GreenCardMissing(Conflict):
    code = "green_card_missing"
    default_message = _(
        "The benefits of the talent green card are for holders of a valid card: apply for the card first."
    )


class GreenCardBenefitOpen(Conflict):
    code = "green_card_benefit_open"
    default_message = _(
        "You have already applied for this benefit, or it is granted: follow it on your green card page."
    )


class GreenCardPolicyMissing(Conflict):
    """The codes have no green card figure in force on the date (an administrator adds it)."""

    code = "green_card_policy_missing"
    default_message = _("The green card's conditions have no figure in force on that date.")


class GreenCardIneligible(Conflict):
    code = "green_card_ineligible"
    default_message = _("The conditions of this green card category are not met.")
