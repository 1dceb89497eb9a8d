"""The synthetic city: reproducible, realistic, personal-data-free test and demo data (``hrss synth``)."""
