"""The insurance steps of the service hall's items: service-task handlers (S1, S3, A3).

The hall runs an item's process (accept, review, approve: ``hrss/servicehall/processes``);
when the process reaches an insurance step it calls the handler this package registers
under the name the BPMN file gives (registry: ``hrss.core.servicetasks``; the hall and this app never
import each other). Handlers act only through this app's services and policy module.

* ``benefits``: ``insurance.pension_award_preview`` / ``insurance.pension_award`` — 退休申请
  (SH-YL-004), computed after acceptance so the reviewer sees the figures, granted after
  approval; ``insurance.unemployment_claim_preview`` / ``insurance.unemployment_claim`` —
  失业保险金申领 (SH-SY-001), the same way.
* ``transfer``: ``insurance.transfer_preview`` / ``insurance.transfer`` — 养老保险关系转移接续
  (SH-YL-005).
* ``enrolment``: ``insurance.flexible_worker_enrol`` — 灵活就业人员参保登记 (SH-YL-001).
* ``certificate``: ``insurance.contribution_certificate`` — 参保缴费证明 (SH-YL-002), from the
  contribution lines (``selectors.contributions.contribution_summary``).
* ``employers``: ``insurance.employer_register_preview`` / ``insurance.employer_register`` —
  用人单位社会保险登记 (SH-YL-003): the insurances, the work-injury risk class and its rate,
  the first month, worked out for the reviewer, registered after approval.
* ``task_context``: what they share (refusals, the acting scope, the audit link and retry key).

Who acts: the hall has authorised the step (role lane, the staff member's data scope, the
decision), so a handler acts city-wide in the name of the staff member whose decision led
to it — ``Scope.system(context.actor)``, as this app's other system paths do. The services
audit their writes as usual; each handler that writes adds one audit entry linking the
application to the record it made, with its result — the retry key: a task run again for
the same application answers as the first run did instead of writing twice.

Refusals: a service's answer that the case does not qualify (not eligible, already insured,
a bad region code...) ends the application as rejected with that reason
(``ServiceTaskRefused``); anything else (a missing policy figure, a fault) is an error for
the staff member and leaves the application where it was.
"""

# Importing the modules registers their handlers (``InsuranceConfig.ready``).
from hrss.insurance.servicetasks import benefits, certificate, employers, enrolment, transfer  # noqa: F401
