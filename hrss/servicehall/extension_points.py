"""The hall's extension points: facts other apps provide to it, without the hall importing them.

An app declares a provider as data on its ``AppConfig`` — a dotted path — and
``ServicehallConfig.ready()`` registers it, in every process:

- ``credit_provider = "..."``: an applicant's credit class for the gateways (the credit app,
  A7, declares ``hrss.credit.selectors.hall_credit_class``; a subject with no credit event
  has no class and gateways see ``credit_class == None``).
- ``card_lookup = "hrss.card.selectors.holder_by_card_number"`` (``CardConfig``): how the
  counter's walk-in search finds a person by social security card number.
- ``processes_dir = "processes"``: the folder (relative to the app) holding the BPMN files
  of the catalogue items the app owns, ``<process_key>.bpmn``; the hall runs them.
- ``submission_checks = {"SH-KA-001": "hrss.card.servicetasks.hall_submission_check"}``
  (``CardConfig``): what the app would refuse later that is already known when an
  application of its item comes in (one card per person), checked at submission so the
  applicant is told at once, next to the form.
- ``channel_reply = "hrss.hotline.replies.channel_reply"`` (``HotlineConfig``): the answer to
  an SMS text or WeChat keyword that is not a status query, from the knowledge base.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
CreditProvider = Callable[..., str | None]
_credit_providers: list[CreditProvider] = []


def register_credit_provider(provider: CreditProvider) -> CreditProvider:
    """``provider(person=..., employer=...)`` returns a credit class such as "A".."D", or None."""
    if provider not in _credit_providers:
        _credit_providers.append(provider)
    return provider


def unregister_credit_provider(provider: CreditProvider) -> None:
    if provider in _credit_providers:
        _credit_providers.remove(provider)


def credit_class_for(*, person: Any = None, employer: Any = None) -> str | None:
    for provider in _credit_providers:
        try:
            found = provider(person=person, employer=employer)
        except Exception:  # a failing provider must not stop an application; review then decides
            logger.exception("credit provider %s failed", provider)
            continue
        if found:
            return str(found)
    return None


# How a counter finds a person by social security card number (``CardConfig.card_lookup``):
# ``provider(scope=..., number=...)`` returns the card holder (a registry Person) or raises
# a DomainError (NotFound, InvalidInput). The hall never imports the card app.
CardLookup = Callable[..., Any]
_card_lookup: list[CardLookup] = []


def register_card_lookup(lookup: CardLookup) -> CardLookup:
    _card_lookup[:] = [lookup]
    return lookup


def unregister_card_lookup() -> None:
    _card_lookup.clear()


def person_by_card(*, scope: Any, number: str) -> Any:
    from django.utils.translation import gettext as _

    from hrss.core.errors import NotFound

    if not _card_lookup:
        raise NotFound(
            _("Finding a person by card number is not available yet; use the ID number."),
            code="card_lookup_unavailable",
        )
    return _card_lookup[0](scope=scope, number=number)


# Where the shipped BPMN files are: each app's ``processes_dir`` (the hall's own included).
_process_dirs: list[Path] = []


def register_process_dir(path: Path) -> Path:
    path = Path(path).resolve()
    if path not in _process_dirs:
        _process_dirs.append(path)
    return path


def process_dirs() -> list[Path]:
    return list(_process_dirs)


def process_file(key: str) -> Path | None:
    """The shipped file of a process (``<key>.bpmn`` in an app's ``processes_dir``), if any."""
    for folder in _process_dirs:
        path = folder / f"{key}.bpmn"
        if path.is_file():
            return path
    return None


# Checks an app runs when an application of one of its items is submitted:
# ``check(item_code=..., person=..., employer=..., form_data=...)`` returns nothing, or
# raises a DomainError whose message tells the applicant why they cannot apply (and what to
# do instead). Run inside the submission's transaction, under a lock on the applicant.
SubmissionCheck = Callable[..., None]
_submission_checks: dict[str, list[SubmissionCheck]] = {}


def register_submission_check(item_code: str, check: SubmissionCheck) -> SubmissionCheck:
    checks = _submission_checks.setdefault(item_code, [])
    if check not in checks:
        checks.append(check)
    return check


def unregister_submission_check(item_code: str, check: SubmissionCheck) -> None:
    checks = _submission_checks.get(item_code, [])
    if check in checks:
        checks.remove(check)


def submission_checks(item_code: str) -> list[SubmissionCheck]:
    return list(_submission_checks.get(item_code, ()))


# Answers for channel messages the hall does not understand itself (SMS texts other than
# ``CX``, WeChat keywords and menu clicks): ``provider(text=..., channel="sms"|"wechat")``
# returns the reply, or "" when it has none (``HotlineConfig.channel_reply``: the 12333
# knowledge base). The first non-empty reply wins; the hall falls back to its own help.
ChannelReply = Callable[..., str]
_channel_replies: list[ChannelReply] = []


def register_channel_reply(provider: ChannelReply) -> ChannelReply:
    if provider not in _channel_replies:
        _channel_replies.append(provider)
    return provider


def unregister_channel_reply(provider: ChannelReply) -> None:
    if provider in _channel_replies:
        _channel_replies.remove(provider)


def channel_reply(*, text: str, channel: str) -> str:
    for provider in _channel_replies:
        try:
            found = provider(text=text, channel=channel)
        except Exception:  # a failing provider must not leave a message unanswered: the hall's help follows
            logger.exception("channel reply provider %s failed", provider)
            continue
        if found:
            return str(found)
    return ""
