"""What a domain app's synth steps may use from ``hrss synth`` (their public interface).

A step in ``hrss/<app>/synth.py`` imports from here and from ``hrss.synth.steps`` only,
never from the kernel's generators, reference tables or crypto modules directly:

- the step interface (``Step``, ``register``, ``SynthContext``, ``Block``, ``Advance``);
- the persons every domain builds on: ``person_core`` regenerates one block's core
  attributes (``PersonCore``) from the seed; ``DAYS_PER_YEAR`` converts its ages;
- the employers: ``employer_table`` regenerates every employer's core attributes
  (``EmployerTable``: id, industry section, district, size weight, founding date);
- ``uuid4_hex``: reproducible version-4 UUIDs from a step's random stream;
- ``districts``: the city's districts with their population shares;
- ``BulkCipher``: encrypts a column in bulk as the model's encrypted field does.

Import it from a module ``AppConfig.ready()`` loads (the generators need the models).
"""

from __future__ import annotations

from hrss.synth.crypto import BulkCipher
from hrss.synth.generators.employers import EmployerTable, employer_table
from hrss.synth.generators.persons import DAYS_PER_YEAR, PersonCore, person_core, uuid4_hex
from hrss.synth.reference import Districts, districts
from hrss.synth.steps import Advance, Block, Step, SynthContext, register

__all__ = [
    "DAYS_PER_YEAR",
    "Advance",
    "Block",
    "BulkCipher",
    "Districts",
    "EmployerTable",
    "PersonCore",
    "Step",
    "SynthContext",
    "districts",
    "employer_table",
    "person_core",
    "register",
    "uuid4_hex",
]
