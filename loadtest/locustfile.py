"""Load scenario (X1): citizens, applicants and counter staff against ``hrss serve``.

Weights (per simulated user, between 0.5 and 2 s of thinking between tasks):

- citizen queries (weight 10): own registry record, contributions, card, the catalogues;
- applications (weight 2): a service-hall submission with a new Idempotency-Key, and now
  and then the same submission again (a retry: must answer the same application, 200);
- staff work (weight 3): person search in the clerk's districts, the work queue.

Tokens come from the JSON file in ``HRSS_LOAD_TOKENS`` (written by ``loadtest/prepare.py``).
Every non-2xx answer counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid

from locust import HttpUser, between, task

TOKENS = json.load(open(os.environ["HRSS_LOAD_TOKENS"], encoding="utf-8"))  # noqa: SIM115
_citizens = itertools.cycle(TOKENS["citizen"])
_clerks = itertools.cycle(TOKENS["clerk"])
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"]


class Citizen(HttpUser):
    weight = 4
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(_citizens)}"
        self.last_key: str | None = None

    @task(3)
    def own_record(self) -> None:
        self.client.get("/api/v1/registry/persons/me", name="citizen: my record")

    @task(3)
    def contributions(self) -> None:
        self.client.get("/api/v1/insurance/me/contributions", name="citizen: my contributions")

    @task(2)
    def card(self) -> None:
        self.client.get("/api/v1/card/me", name="citizen: my card")

    @task(2)
    def catalogue(self) -> None:
        self.client.get("/api/v1/servicehall/items", name="catalogue: service items")
        self.client.get("/api/v1/card/catalogue", name="catalogue: card applications")

    @task(2)
    def apply(self) -> None:
        retry = self.last_key is not None and random.random() < 0.3
        key = self.last_key if retry else uuid.uuid4().hex
        with self.client.post(
            "/api/v1/servicehall/applications",
            json={"item_code": "SH-YL-002", "form": {"purpose": "other"}, "channel": "app"},
            headers={"Idempotency-Key": key},
            name="application: submit (retry)" if retry else "application: submit",
            catch_response=True,
        ) as response:
            expected = 200 if retry else 201
            if response.status_code != expected:
                response.failure(f"{response.status_code} instead of {expected}")
        self.last_key = key


class Clerk(HttpUser):
    weight = 1
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {next(_clerks)}"

    @task(3)
    def search(self) -> None:
        surname = random.choice(SURNAMES)
        self.client.get(
            f"/api/v1/registry/persons?name={surname}&limit=20&purpose=counter", name="staff: person search"
        )

    @task(2)
    def queue(self) -> None:
        self.client.get("/api/v1/servicehall/work-items", name="staff: my work items")
