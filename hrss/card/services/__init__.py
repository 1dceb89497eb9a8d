"""Writes of the card app (A5), one module per sub-domain:

- ``access``: the card office's roles, the agency clients' grants, the checks writes start with;
- ``lifecycle``: apply, withdraw, issue, activate, PIN, loss reports, unfreeze, cancel;
- ``ecard``: the electronic card and its dynamic codes;
- ``uses``: card uses recorded by institutions and outlets;
- ``production``: batch files for the card factory and its results;
- ``payments``: payment orders and the daily reconciliation.

The public functions are re-exported here: callers write ``services.card_apply(...)``.
"""

from hrss.card.events import CardApplied, CardStatusChanged
from hrss.card.services.access import (
    CARD_GRANTS,
    CARD_OFFICE_ROLES,
    GRANT_HOLDER_ID_NUMBER,
    GRANT_HOLDER_NAME,
    GRANT_LOSS_REPORT,
    GRANT_USE_RECORD,
    GRANT_VERIFY,
    RECONCILER_ROLES,
    is_card_office,
    may_record_use,
    require_card_office,
    require_holder_or_office,
)
from hrss.card.services.ecard import CODE_TTL_SECONDS, ecard_code_create, ecard_issue, ecard_revoke, ecard_token_key
from hrss.card.services.lifecycle import (
    card_activate,
    card_apply,
    card_cancel,
    card_get_for_update,
    card_issue,
    card_pin_change,
    card_pin_check,
    card_report_loss,
    card_report_temporary_loss,
    card_unfreeze,
    card_valid_until,
    card_withdraw,
    person_cards_cancel,
    temporary_losses_lapse,
)
from hrss.card.services.payments import (
    PaymentStarted,
    payment_notification_apply,
    payment_order_create,
    payment_reference,
    reconciliation_run,
)
from hrss.card.services.production import (
    FORMATS,
    PERSONALISATION_COLUMNS,
    RESULT_COLUMNS,
    factory_directory,
    factory_results_simulate,
    production_batch_create,
    production_batches_send,
    production_results_apply,
)
from hrss.card.services.uses import card_use_record

__all__ = [
    "CARD_GRANTS",
    "CARD_OFFICE_ROLES",
    "CODE_TTL_SECONDS",
    "FORMATS",
    "GRANT_HOLDER_ID_NUMBER",
    "GRANT_HOLDER_NAME",
    "GRANT_LOSS_REPORT",
    "GRANT_USE_RECORD",
    "GRANT_VERIFY",
    "PERSONALISATION_COLUMNS",
    "RECONCILER_ROLES",
    "RESULT_COLUMNS",
    "CardApplied",
    "CardStatusChanged",
    "PaymentStarted",
    "card_activate",
    "card_apply",
    "card_cancel",
    "card_get_for_update",
    "card_issue",
    "card_pin_change",
    "card_pin_check",
    "card_report_loss",
    "card_report_temporary_loss",
    "card_unfreeze",
    "card_use_record",
    "card_valid_until",
    "card_withdraw",
    "ecard_code_create",
    "ecard_issue",
    "ecard_revoke",
    "ecard_token_key",
    "factory_directory",
    "factory_results_simulate",
    "is_card_office",
    "may_record_use",
    "payment_notification_apply",
    "payment_order_create",
    "payment_reference",
    "person_cards_cancel",
    "production_batch_create",
    "production_batches_send",
    "production_results_apply",
    "reconciliation_run",
    "require_card_office",
    "require_holder_or_office",
    "temporary_losses_lapse",
]
