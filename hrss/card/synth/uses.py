"""Synthetic card uses for ``hrss synth`` (step ``card_uses``).

Three months of uses of the active cards — medical settlements (more with age), transport,
identity checks, service counters, city services, and a monthly pension payment for
retirees — by channel (the electronic card mostly for its younger holders), mostly in the
holder's own district. ``cards_core`` regenerates the cards from the same seed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from hrss.card.models import CardUse
from hrss.card.rules import CardStatus
from hrss.card.synth.cards import CARDS, USES, cards_core, timestamps_text
from hrss.synth.public import Advance, Step, SynthContext, register
from hrss.synth.public import districts as district_table

USE_MONTHS = 3
RETIREMENT_AGE = 60.0
# Uses a month by kind, for an active holder under / over 60; pensions come on top.
USES_PER_MONTH = {
    "medical_settlement": (0.6, 2.2),
    "transport": (2.5, 1.2),
    "identity_check": (0.4, 0.5),
    "service_counter": (0.15, 0.25),
    "city_service": (0.4, 0.6),
}
KIND_APPLICATION = {
    "medical_settlement": "MED002",
    "transport": "OTH001",
    "identity_check": "MED001",
    "service_counter": "SIN002",
    "city_service": "OTH002",
    "benefit_payment": "SIN005",
}
KIND_INSTITUTION = {
    "medical_settlement": "定点医疗机构",
    "transport": "公共交通",
    "identity_check": "医院挂号",
    "service_counter": "人社服务窗口",
    "city_service": "公共图书馆",
    "benefit_payment": "社保经办机构",
}
OWN_DISTRICT = 0.8


USE_COLUMNS = (
    "card_id",
    "person_id",
    "kind",
    "channel",
    "at",
    "district_id",
    "institution",
    "institution_name",
    "application_id",
    "amount",
    "reference",
)


@register
class CardUsesStep(Step):
    name = USES
    label = "Card uses"
    requires = (CARDS,)

    def total(self, ctx: SynthContext) -> int:
        return ctx.params.persons

    def run(self, ctx: SynthContext, advance: Advance) -> dict[str, int]:
        params = ctx.params
        months = min(USE_MONTHS, params.months)
        districts = district_table()
        district_codes = np.array(districts.codes, dtype=object)
        district_cdf = np.cumsum(districts.shares)
        district_cdf[-1] = 1.0
        kinds = list(USES_PER_MONTH)
        suffix = ctx.loader.timestamp(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))[19:]
        end = np.datetime64(params.as_of, "s") + np.timedelta64(86399, "s")
        window = months * 30 * 86400
        written = 0
        with ctx.loader.copy(CardUse, USE_COLUMNS) as write:
            for block in ctx.blocks(params.persons):
                core, person = cards_core(ctx, block)
                rng = ctx.rng(USES, block.index, 0)
                active = np.flatnonzero(core.status == CardStatus.ACTIVE)
                age = person.age[core.person[active]]
                old = age >= RETIREMENT_AGE
                rows = []
                for kind in [*kinds, "benefit_payment"]:
                    if kind == "benefit_payment":
                        counts = np.where(old, months, 0)
                    else:
                        young_rate, old_rate = USES_PER_MONTH[kind]
                        counts = rng.poisson(np.where(old, old_rate, young_rate) * months)
                    holders = np.repeat(active, counts)
                    m = holders.size
                    if not m:
                        continue
                    at = end - (rng.random(m) * window).astype("timedelta64[s]")
                    own = person.residence[core.person[holders]]
                    elsewhere = np.searchsorted(district_cdf, rng.random(m), side="right")
                    district = district_codes[np.where(rng.random(m) < OWN_DISTRICT, own, elsewhere)]
                    has_ecard = core.ecard[holders]
                    if kind == "benefit_payment":
                        channel = np.full(m, "online", dtype=object)
                        amount = np.round(rng.lognormal(np.log(3600), 0.3, m), 2)
                    elif kind in ("service_counter",):
                        channel = np.where(has_ecard & (rng.random(m) < 0.4), "electronic", "counter")
                        amount = np.full(m, np.nan)
                    else:
                        electronic = has_ecard & (rng.random(m) < 0.7)
                        channel = np.where(
                            electronic, "electronic", np.where(rng.random(m) < 0.6, "contactless", "contact")
                        )
                        amount = (
                            np.round(rng.lognormal(np.log(120), 0.9, m), 2)
                            if kind == "medical_settlement"
                            else np.round(rng.uniform(2, 6, m), 0)
                            if kind == "transport"
                            else np.full(m, np.nan)
                        )
                    for card_i, when, where, how, value in zip(
                        holders.tolist(),
                        timestamps_text(at, suffix),
                        district.tolist(),
                        channel.tolist(),
                        amount.tolist(),
                        strict=True,
                    ):
                        rows.append(
                            (
                                core.card_hex[card_i],
                                person.uuid_hex[core.person[card_i]],
                                kind,
                                how,
                                when,
                                where,
                                "synth",
                                KIND_INSTITUTION[kind],
                                KIND_APPLICATION[kind],
                                None if value != value else f"{value:.2f}",  # NaN: no amount
                                "",
                            )
                        )
                write(rows)
                written += len(rows)
                advance(block.size)
        return {CardUse._meta.db_table: written}
