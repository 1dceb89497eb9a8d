"""Insurance API (S1, S2, S3): thin handlers over services and selectors, one error shape."""

from __future__ import annotations

from decimal import ROUND_HALF_UP

from django.http import HttpRequest
from ninja import Router

from hrss.identity.auth import API_AUTH
from hrss.insurance import calculators, rules
from hrss.insurance.schemas import ErrorOut, PensionEstimateIn, PensionEstimateOut

router = Router(tags=["insurance"], auth=API_AUTH)
_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 503: ErrorOut}


def estimate_out(result: calculators.EstimateResult) -> PensionEstimateOut:
    estimate = result.estimate
    return PensionEstimateOut(
        basic_pension=estimate.basic,
        account_pension=estimate.account,
        transitional_pension=estimate.transitional,
        total=estimate.total,
        months_divisor=estimate.divisor,
        contribution_years=estimate.contribution_years.quantize(rules.CENT, rounding=ROUND_HALF_UP),
        notes=result.notes,
    )


@router.post(
    "/pension/estimate",
    auth=None,
    response={200: PensionEstimateOut, 422: ErrorOut, 503: ErrorOut},
    summary="Public pension calculator (养老金测算): no sign-in",
)
def pension_estimate(request: HttpRequest, payload: PensionEstimateIn) -> PensionEstimateOut:
    return estimate_out(
        calculators.pension_estimate_compute(
            average_wage=payload.average_wage,
            average_index=payload.average_index,
            contribution_months=payload.contribution_months,
            account_balance=payload.account_balance,
            retirement_age=rules.Age(payload.retirement_age_years, payload.retirement_age_months),
            deemed_contribution_months=payload.deemed_contribution_months,
            deemed_index=payload.deemed_index,
        )
    )
