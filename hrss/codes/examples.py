"""Values the API's request examples share (the house rule: every request body in OpenAPI
carries a valid example).

The identifiers are those of the records `hrss demo` creates, so an example tried in
`/api/v1/docs` against `make run` finds them: the citizen 张伟 (和平区, born 1990-03-07,
ID number with its GB 11643 check digit) and his employer 天津示范科技有限公司 (credit code
with its GB 32100 check character and the GB 11714 check of the organisation code). They
are checked by `tests/reliability/test_openapi_examples.py`; the demo builds its records
from them.
"""

from __future__ import annotations

ID_NUMBER = "120101199003073214"  # 张伟, the demo citizen
PERSON_NAME = "张伟"
CREDIT_CODE = "91120101MA05K1230Y"  # 天津示范科技有限公司, the demo employer
DISTRICT = "120101"  # 和平区 (GB/T 2260)
# A third-generation card number: eight characters and an ISO 7064 MOD 37,36 check character.
CARD_NUMBER = "TJ260001H"
