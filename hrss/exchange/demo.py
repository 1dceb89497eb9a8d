"""The exchange demo for `make run` (`hrss demo`): another department's system (the civil
affairs bureau's social assistance system) registered as an agency client with the exchange's
grants and a known development secret.

With it: take a token (client-credentials grant) with the printed client id and secret, ask
``GET /api/v1/exchange/persons/{id_number}/status?questions=alive,insured&purpose=…`` about the
demo citizen, and verify the answer's JWS against ``GET /api/v1/exchange/jwks``; the citizen
sees the answer on 数据共享 (``/exchange/mine/``).

Idempotent: what exists is kept. Development only (the demo command refuses production).
"""

from __future__ import annotations

from oauth2_provider.models import get_application_model

from hrss.exchange import services
from hrss.identity.clients import agency_client_create

CLIENT_NAME = "市民政局社会救助系统（演示）"
CLIENT_SECRET = "hrss-demo-civil-affairs-2026"  # noqa: S105 - development demo only; refused with production settings
GRANTS = [services.STATUS_GRANT, services.CERTIFICATE_GRANT, services.HISTORY_GRANT]


def demo_exchange() -> list[str]:
    Application = get_application_model()
    application = Application.objects.filter(name=CLIENT_NAME).first()
    if application is None:
        agency_client_create(name=CLIENT_NAME, scopes=GRANTS, actor="demo")
        application = Application.objects.get(name=CLIENT_NAME)
    application.client_secret = CLIENT_SECRET
    application.save()
    return [
        f"exchange: department system {CLIENT_NAME}: client id {application.client_id} / secret {CLIENT_SECRET}"
        f" (grants {' '.join(sorted(GRANTS))})"
    ]
