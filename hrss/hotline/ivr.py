"""The 12333 voice menu (IVR) as data, and its export as an Asterisk dialplan (A1, #24).

``data/ivr.json`` holds the tree: a node is a menu (``options``, keyed by the digit
pressed) or a leaf — ``article`` (a knowledge-base article read aloud), ``query`` (a
keypad query after an identity check) or ``agent`` (an agent queue). ``menu_tree()``
loads and validates it; ``asterisk_dialplan()`` writes the ``extensions.conf`` an Asterisk
server loads (one context per menu, ``i``/``t`` handling with a retry limit, ``*`` to go
back, ``Queue()`` for agents), and ``prompts()`` the texts the platform turns into sound
files (``hrss/ivr-<key>``) with its text-to-speech.

Articles and keypad queries are answered live: the dialplan hands them to the platform's
AGI adapter (``AGI(<agi>,article,<code>)`` / ``AGI(<agi>,query,<name>)``), which calls
``/api/v1/hotline/ivr/...`` (docs/api.md) and speaks the text it gets back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from hrss.core.errors import InvalidInput

DATA = Path(__file__).resolve().parent / "data" / "ivr.json"
QUERIES = ("contribution_months", "latest_payment", "application_status")
DIGITS = frozenset("0123456789")
BACK = "*"
KEY_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
CONTEXT_PREFIX = "hrss-ivr"


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    digit: str = ""
    prompt: str = ""
    article: str = ""
    query: str = ""
    agent: str = ""
    options: tuple[Node, ...] = field(default_factory=tuple)

    @property
    def is_menu(self) -> bool:
        return bool(self.options)

    @property
    def context(self) -> str:
        return f"{CONTEXT_PREFIX}-{self.key}"

    def walk(self) -> Iterator[Node]:
        yield self
        for option in self.options:
            yield from option.walk()


@dataclass(frozen=True)
class Tree:
    number: str
    agi: str
    timeout_seconds: int
    retries: int
    root: Node

    def menus(self) -> list[Node]:
        return [n for n in self.root.walk() if n.is_menu]

    def leaves(self) -> list[Node]:
        return [n for n in self.root.walk() if not n.is_menu]

    def agents(self) -> list[str]:
        return sorted({n.agent for n in self.leaves() if n.agent})

    def articles(self) -> list[str]:
        return sorted({n.article for n in self.leaves() if n.article})


def _node(raw: dict[str, Any], errors: list[str], where: str) -> Node:
    key = str(raw.get("key", ""))
    if not KEY_RE.match(key):
        errors.append(f"{where}: key {key!r} must be lower-case letters, digits and hyphens")
    leaf_kinds = [k for k in ("article", "query", "agent") if raw.get(k)]
    raw_options = raw.get("options") or []
    if raw_options and leaf_kinds:
        errors.append(f"{where} ({key}): a menu cannot also be a {leaf_kinds[0]}")
    if not raw_options and len(leaf_kinds) != 1:
        errors.append(f"{where} ({key}): a leaf needs exactly one of article, query, agent")
    if raw.get("query") and raw["query"] not in QUERIES:
        errors.append(f"{where} ({key}): unknown query {raw['query']!r} (one of {', '.join(QUERIES)})")
    if raw.get("agent") and not KEY_RE.match(str(raw["agent"])):
        errors.append(f"{where} ({key}): agent queue {raw['agent']!r} is not a valid name")
    if raw_options and not str(raw.get("prompt", "")).strip():
        errors.append(f"{where} ({key}): a menu needs a prompt")
    options = tuple(_node(o, errors, f"{where}/{o.get('digit', '?')}") for o in raw_options)
    seen: set[str] = set()
    for option in options:
        if option.digit not in DIGITS:
            errors.append(f"{where} ({key}): option {option.key} has digit {option.digit!r}, not 0-9")
        elif option.digit in seen:
            errors.append(f"{where} ({key}): digit {option.digit} is used twice")
        seen.add(option.digit)
    return Node(
        key=key,
        label=str(raw.get("label", "")),
        digit=str(raw.get("digit", "")),
        prompt=str(raw.get("prompt", "")),
        article=str(raw.get("article", "")),
        query=str(raw.get("query", "")),
        agent=str(raw.get("agent", "")),
        options=options,
    )


def tree_parse(data: dict[str, Any]) -> Tree:
    """A validated tree from its JSON form; every problem at once in one InvalidInput."""
    errors: list[str] = []
    raw_root = data.get("menu")
    if not isinstance(raw_root, dict) or not raw_root.get("options"):
        raise InvalidInput(_("The voice menu has no options."), code="ivr_invalid")
    root = _node(raw_root, errors, "menu")
    keys = [n.key for n in root.walk()]
    for duplicate in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"key {duplicate} is used twice")
    number = str(data.get("number", ""))
    if not number.isdigit():
        errors.append("number must be digits")
    agi = str(data.get("agi", ""))
    if not re.match(r"^[A-Za-z0-9_./:-]+$", agi):
        errors.append("agi must name the AGI adapter")
    try:
        timeout, retries = int(data.get("timeout_seconds", 6)), int(data.get("retries", 2))
    except (TypeError, ValueError):
        timeout, retries = 0, -1
    if not 1 <= timeout <= 30 or not 0 <= retries <= 5:
        errors.append("timeout_seconds must be 1-30 and retries 0-5")
    if errors:
        raise InvalidInput(_("The voice menu is not valid."), code="ivr_invalid", fields={"ivr": "; ".join(errors)})
    return Tree(number=number, agi=agi, timeout_seconds=timeout, retries=retries, root=root)


@lru_cache(maxsize=1)
def menu_tree() -> Tree:
    """The shipped tree (``data/ivr.json``)."""
    return tree_parse(json.loads(DATA.read_text(encoding="utf-8")))


def tree_as_dict(tree: Tree) -> dict[str, Any]:
    def node(n: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"key": n.key, "label": n.label}
        for name in ("digit", "prompt", "article", "query", "agent"):
            if getattr(n, name):
                out[name] = getattr(n, name)
        if n.options:
            out["options"] = [node(o) for o in n.options]
        return out

    return {
        "number": tree.number,
        "agi": tree.agi,
        "timeout_seconds": tree.timeout_seconds,
        "retries": tree.retries,
        "menu": node(tree.root),
    }


def sound(key: str) -> str:
    return f"hrss/ivr-{key}"


def prompts(tree: Tree) -> dict[str, str]:
    """The sound files the dialplan plays (``hrss/ivr-<key>``) and the text each must say."""
    out = {sound(menu.key): menu.prompt for menu in tree.menus()}
    out[sound("invalid")] = "您的输入有误，请重新选择。"
    out[sound("transfer")] = "正在为您转接人工服务，请稍候。"
    out[sound("goodbye")] = "感谢您的来电，再见。"
    return out


def _leaf_lines(tree: Tree, node: Node, menu: Node) -> list[str]:
    if node.agent:
        return [f"exten => {node.digit},1,Goto({CONTEXT_PREFIX}-queue,{node.agent},1)"]
    kind, value = ("article", node.article) if node.article else ("query", node.query)
    return [
        f"exten => {node.digit},1,Set(HRSS_NODE={node.key})",
        f" same => n,AGI({tree.agi},{kind},{value})",
        f" same => n,Goto({menu.context},s,1)",
    ]


def asterisk_dialplan(tree: Tree) -> str:
    """The tree as an Asterisk ``extensions.conf`` (include it from the server's own)."""
    lines = [
        "; 12333 voice menu, generated by `hrss hotline ivr-export` from hrss/hotline/data/ivr.json.",
        "; Do not edit by hand: change the data and export again.",
        f"; Sound files (hrss/ivr-*) come from `hrss hotline ivr-export --format prompts`; AGI adapter: {tree.agi}.",
        "",
        "[general]",
        "static=yes",
        "writeprotect=yes",
        "",
        "[globals]",
        f"HRSS_IVR_RETRIES={tree.retries}",
        "",
        f"[{CONTEXT_PREFIX}]",
        f"; incoming calls to {tree.number}",
        f"exten => {tree.number},1,Goto({CONTEXT_PREFIX},s,1)",
        "exten => s,1,Answer()",
        " same => n,Set(CHANNEL(language)=zh)",
        " same => n,Set(HRSS_TRIES=0)",
        f" same => n,Goto({tree.root.context},s,1)",
        "",
    ]
    parents: dict[str, Node] = {}
    for menu in tree.menus():
        for option in menu.options:
            parents[option.key] = menu
    for menu in tree.menus():
        lines += [
            f"[{menu.context}]",
            f"; {menu.label or menu.key}",
            "exten => s,1,Set(TIMEOUT(digit)=3)",
            f" same => n,Set(TIMEOUT(response)={tree.timeout_seconds})",
            f" same => n,Background({sound(menu.key)})",
            f" same => n,WaitExten({tree.timeout_seconds})",
        ]
        for option in menu.options:
            lines.append(f"; {option.digit}: {option.label}")
            if option.is_menu:
                lines.append(f"exten => {option.digit},1,Goto({option.context},s,1)")
            else:
                lines += _leaf_lines(tree, option, menu)
        parent = parents.get(menu.key)
        if parent is not None:
            lines.append(f"exten => {BACK},1,Goto({parent.context},s,1)")
        lines += [
            "exten => i,1,Playback(" + sound("invalid") + ")",
            f" same => n,Goto({menu.context},s,1)",
            "exten => t,1,Set(HRSS_TRIES=$[${HRSS_TRIES} + 1])",
            f" same => n,GotoIf($[${{HRSS_TRIES}} > ${{HRSS_IVR_RETRIES}}]?{CONTEXT_PREFIX}-queue,general,1)",
            f" same => n,Goto({menu.context},s,1)",
            "",
        ]
    lines += [f"[{CONTEXT_PREFIX}-queue]", "; agent queues (queues.conf: hrss-<name>)"]
    for agent in sorted({*tree.agents(), "general"}):
        lines += [
            f"exten => {agent},1,Playback({sound('transfer')})",
            f" same => n,Queue(hrss-{agent},t,,,600)",
            f" same => n,Playback({sound('goodbye')})",
            " same => n,Hangup()",
        ]
    lines.append("")
    return "\n".join(lines)


FORMATS = {"asterisk": "text/plain", "prompts": "application/json", "tree": "application/json"}


def export(fmt: str, tree: Tree | None = None) -> str:
    """The shipped (or given) tree in one of ``FORMATS``."""
    tree = tree or menu_tree()
    if fmt == "asterisk":
        return asterisk_dialplan(tree)
    if fmt == "prompts":
        return json.dumps(prompts(tree), ensure_ascii=False, indent=2) + "\n"
    if fmt == "tree":
        return json.dumps(tree_as_dict(tree), ensure_ascii=False, indent=2) + "\n"
    raise InvalidInput(_("Unknown export format."), code="ivr_format")
