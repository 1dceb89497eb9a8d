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


# --- Talent programmes and their expert review (R1) ------------------------------------------


class ProgrammePolicyMissing(Conflict):
    code = "programme_policy_missing"
    default_message = _("The programmes' policy has no figure in force on that date.")


class DeclarationWindowClosed(Conflict):
    """Outside the programme's declaration window (申报期)."""

    code = "declaration_window_closed"
    default_message = _("This programme does not take declarations now.")


class TooFewExperts(Conflict):
    """The pool has too few experts free of conflicts for the draw."""

    code = "too_few_experts"
    default_message = _("Too few experts without a conflict of interest are in the pool for this declaration.")


class DeclarationState(Conflict):
    """The declaration is not at the step this action belongs to."""

    code = "declaration_state"
    default_message = _("The declaration is not at this step.")


class AppealWindowClosed(Conflict):
    code = "appeal_window_closed"
    default_message = _("The notice period of the results is over: an appeal can no longer be lodged.")
