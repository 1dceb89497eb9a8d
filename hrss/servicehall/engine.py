"""SpiffWorkflow behind the service hall: BPMN validation at load time and the workflow runtime.

A process file is data. ``process_validate`` refuses, with a message an analyst can act
on, anything the hall cannot run safely:

* XML that is not well formed, or not BPMN 2.0 by the OMG schema;
* script tasks, business-rule tasks, call activities and sub-processes (arbitrary code
  or hidden flow: processes here are declarative);
* a user task outside a lane, or in a lane that names no role (lane names are role codes,
  or ``applicant`` for the applicant's own steps such as 补正);
* a service task whose handler nobody registered (see ``hrss.core.servicetasks``); a handler that
  refuses (``ServiceTaskRefused``) ends the application as rejected with its reasons;
* a gateway condition that is not a plain comparison of data (only names, constants,
  comparisons, ``and``/``or``/``not``, ``in`` and ``len()`` are allowed);
* an exclusive gateway without a default flow (an application must never get stuck).
"""

from __future__ import annotations

import ast
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import BpmnValidator, SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from hrss.core import scope as roles
from hrss.core.errors import InvalidInput
from hrss.core.servicetasks import ServiceTaskContext, ServiceTaskRefused, handler_for, handler_names
from hrss.servicehall.formdata import unseal

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
APPLICANT_LANE = "applicant"
WORK_ROLES = frozenset(
    {roles.COUNTER_CLERK, roles.REVIEWER, roles.APPROVER, roles.ARBITRATOR, roles.INSPECTOR, roles.FUND_SUPERVISOR}
)
KNOWN_LANES = WORK_ROLES | {APPLICANT_LANE}
FORBIDDEN_ELEMENTS = {
    "scriptTask": "script tasks run arbitrary code",
    "businessRuleTask": "business-rule tasks are not supported",
    "callActivity": "call activities are not supported",
    "subProcess": "sub-processes are not supported",
    "adHocSubProcess": "sub-processes are not supported",
    "transaction": "transactions are not supported",
}
_ALLOWED_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Tuple,
    ast.List,
    ast.Call,
)
DEFAULT_STEP_LIMIT_WORKDAYS = 1


class ProcessInvalid(InvalidInput):
    code = "process_invalid"


@dataclass(frozen=True)
class ValidatedProcess:
    key: str
    name: str
    sha256: str
    user_steps: dict[str, str]  # step id -> lane (role)
    service_handlers: frozenset[str]


@dataclass(frozen=True)
class ReadyStep:
    """A ready user task: it becomes a work item."""

    task_id: str
    step: str
    name: str
    role: str
    limit_workdays: int


def _refuse(message: str, **fields: str) -> ProcessInvalid:
    return ProcessInvalid(_("The process was refused: %(reason)s") % {"reason": message}, fields=fields)


def condition_check(expression: str) -> str | None:
    """Why a gateway condition is not allowed, or None if it is a plain data comparison."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as error:
        return f"not a valid expression ({error.msg})"
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            return f"'{type(node).__name__}' is not allowed in a condition"
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            return f"the name '{node.id}' is not allowed"
        if isinstance(node, ast.Call) and not (
            isinstance(node.func, ast.Name) and node.func.id == "len" and len(node.args) == 1 and not node.keywords
        ):
            return "only len(x) may be called in a condition"
    return None


def _parse_xml(xml: str | bytes) -> Any:
    raw = xml.encode() if isinstance(xml, str) else xml
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False, huge_tree=False)
    try:
        return etree.fromstring(raw, parser=parser)
    except etree.XMLSyntaxError as error:
        raise _refuse(_("the file is not well-formed XML (%(error)s).") % {"error": error}) from error


def _parser_for(tree: Any) -> SpiffBpmnParser:
    parser = SpiffBpmnParser(validator=BpmnValidator())
    try:
        parser.add_bpmn_xml(tree, filename="process.bpmn")
    except SpiffWorkflowException as error:
        raise _refuse(_("it is not valid BPMN 2.0: %(error)s") % {"error": error}) from error
    return parser


def process_validate(xml: str | bytes, *, expected_key: str | None = None) -> ValidatedProcess:
    """Check a BPMN file before it may be used; raise ProcessInvalid with a clear reason."""
    tree = _parse_xml(xml)
    parser = _parser_for(tree)  # the OMG BPMN 2.0 schema first
    ns = {"bpmn": BPMN_NS}
    for tag, why in FORBIDDEN_ELEMENTS.items():
        found = tree.xpath(f"//bpmn:{tag}", namespaces=ns)
        if found:
            element_id = found[0].get("id", "")
            raise _refuse(
                _("element '%(id)s' is a %(tag)s: %(why)s.") % {"id": element_id, "tag": tag, "why": why},
                element=element_id,
            )
    processes = tree.xpath("//bpmn:process[@isExecutable='true']", namespaces=ns)
    if len(processes) != 1:
        raise _refuse(_("a file must hold exactly one executable process (found %(n)s).") % {"n": len(processes)})
    key = processes[0].get("id", "")
    if expected_key and key != expected_key:
        raise _refuse(
            _("the process id is '%(found)s' but '%(expected)s' was expected.")
            % {"found": key, "expected": expected_key},
            process=key,
        )
    for condition in tree.xpath("//bpmn:conditionExpression", namespaces=ns):
        flow_id = condition.getparent().get("id", "")
        problem = condition_check(condition.text or "")
        if problem:
            raise _refuse(
                _("the condition on flow '%(flow)s' is not allowed: %(problem)s.")
                % {"flow": flow_id, "problem": problem},
                element=flow_id,
            )
    for gateway in tree.xpath("//bpmn:exclusiveGateway", namespaces=ns):
        outgoing = tree.xpath(f"//bpmn:sequenceFlow[@sourceRef='{gateway.get('id')}']", namespaces=ns)
        if len(outgoing) > 1 and not gateway.get("default"):
            raise _refuse(
                _("gateway '%(id)s' has no default flow, so an application could get stuck there.")
                % {"id": gateway.get("id")},
                element=gateway.get("id", ""),
            )
    if not tree.xpath("//bpmn:endEvent", namespaces=ns):
        raise _refuse(_("the process has no end event."))

    try:
        spec = parser.get_spec(key)
    except SpiffWorkflowException as error:
        raise _refuse(str(error)) from error
    user_steps: dict[str, str] = {}
    service_handlers: set[str] = set()
    known_handlers = handler_names()
    for task_spec in sorted(spec.task_specs.values(), key=lambda spec_: str(spec_.name)):
        kind = type(task_spec).__name__
        bpmn_id = getattr(task_spec, "bpmn_id", None)
        if kind == "UserTask":
            lane = getattr(task_spec, "lane", None)
            if lane not in KNOWN_LANES:
                raise _refuse(
                    _("user task '%(id)s' is in lane '%(lane)s', which names no role (use one of: %(roles)s).")
                    % {"id": bpmn_id, "lane": lane or "", "roles": ", ".join(sorted(KNOWN_LANES))},
                    element=bpmn_id or "",
                )
            user_steps[str(bpmn_id)] = str(lane)
        elif kind == "ServiceTask":
            name = task_spec.operation_name
            if name not in known_handlers:
                raise _refuse(
                    _("service task '%(id)s' calls '%(handler)s', which no app has registered.")
                    % {"id": bpmn_id, "handler": name},
                    element=bpmn_id or "",
                )
            service_handlers.add(name)
        elif kind in ("ManualTask", "NoneTask", "SendTask", "ReceiveTask"):
            raise _refuse(
                _("task '%(id)s' has no type: make it a user task (in a lane) or a service task.") % {"id": bpmn_id},
                element=bpmn_id or "",
            )
    if not user_steps and not service_handlers:
        raise _refuse(_("the process has neither user tasks nor service tasks."))
    raw = xml.encode() if isinstance(xml, str) else xml
    return ValidatedProcess(
        key=key,
        name=processes[0].get("name", key),
        sha256=hashlib.sha256(raw).hexdigest(),
        user_steps=user_steps,
        service_handlers=frozenset(service_handlers),
    )


@lru_cache(maxsize=64)
def _spec(key: str, sha256: str, xml: str) -> Any:
    """Parsed process spec, cached by content hash (a changed file is a new key)."""
    parser = _parser_for(_parse_xml(xml))
    return parser.get_spec(key)


@lru_cache(maxsize=1)
def _serializer() -> BpmnWorkflowSerializer:
    return BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


class HallScriptEngine(PythonScriptEngine):
    """Evaluates gateway conditions on the task data and calls service-task handlers."""

    def __init__(self, context_factory: Any = None) -> None:
        super().__init__()
        self.context_factory = context_factory

    def call_service(self, task: Any, **kwargs: Any) -> str:
        name = kwargs["operation_name"]
        handler = handler_for(name)
        if handler is None:  # validated at load, but a handler can disappear with an app
            raise RuntimeError(f"no service-task handler registered for {name}")
        params = {key: value.get("value") for key, value in (kwargs.get("operation_params") or {}).items()}
        data = dict(task.data)
        context = self.context_factory(data, params) if self.context_factory else None
        if context is None:
            context = ServiceTaskContext(
                application_id=data.get("application_id"),
                reference=data.get("reference", ""),
                item_code=data.get("item_code", ""),
                person_id=data.get("person_id"),
                employer_id=data.get("employer_id"),
                # The handler gets the clear answers; the workflow keeps them sealed.
                form_data=unseal(data.get("application_id"), data.get("form") or {}),
                workflow_data=data,
                params=params,
            )
        try:
            answer = handler(context)
        except ServiceTaskRefused as refusal:
            # A refusal is an outcome, not a fault: the application ends rejected with the
            # handler's reasons (gateways after the task see ``decision == "reject"``), and
            # the figures behind it become the application's result.
            answer = refusal.result
            task.data.update(
                {"decision": "reject", "reasons": str(refusal.message), "decided_by": name, "result": answer}
            )
        return json.dumps(answer, default=str)


def workflow_start(*, key: str, sha256: str, xml: str, data: dict[str, Any]) -> BpmnWorkflow:
    workflow = BpmnWorkflow(_spec(key, sha256, xml), script_engine=HallScriptEngine())
    start = workflow.get_tasks(state=TaskState.READY)
    for task in start:
        task.data.update(json.loads(json.dumps(data, default=str)))
    workflow.do_engine_steps()
    return workflow


def workflow_load(state: str) -> BpmnWorkflow:
    workflow = _serializer().deserialize_json(state)
    workflow.script_engine = HallScriptEngine()
    return workflow


def workflow_dump(workflow: BpmnWorkflow) -> str:
    return str(_serializer().serialize_json(workflow))


def ready_steps(workflow: BpmnWorkflow) -> list[ReadyStep]:
    steps = []
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        spec = task.task_spec
        properties = (getattr(spec, "extensions", None) or {}).get("properties", {})
        try:
            limit = int(properties.get("limit_workdays", DEFAULT_STEP_LIMIT_WORKDAYS))
        except (TypeError, ValueError):
            limit = DEFAULT_STEP_LIMIT_WORKDAYS
        steps.append(
            ReadyStep(
                task_id=str(task.id),
                step=spec.bpmn_id,
                name=spec.bpmn_name or spec.bpmn_id,
                role=spec.lane or "",
                limit_workdays=limit,
            )
        )
    return steps


def workflow_complete_step(workflow: BpmnWorkflow, *, task_id: str, data: dict[str, Any]) -> None:
    """Complete one ready user task with the given data and run the engine on to the next wait."""
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        if str(task.id) == task_id:
            task.data.update(json.loads(json.dumps(data, default=str)))
            task.run()
            workflow.do_engine_steps()
            return
    raise InvalidInput(_("This step is no longer waiting to be done."), code="step_not_ready")


def workflow_data(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The data at the end of the process (or of the last completed task)."""
    last = workflow.last_task
    return dict(last.data) if last is not None else {}
