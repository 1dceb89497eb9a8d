"""Synthetic cards and card uses for ``hrss synth``: steps ``cards`` (``cards.py``) and
``card_uses`` (``uses.py``), registered on import (``CardConfig.ready()`` imports this
package when ``hrss.synth`` is installed)."""

from hrss.card.synth import uses
from hrss.card.synth.cards import CARDS, USES, CardsCore, card_numbers, cards_core

__all__ = ["CARDS", "USES", "CardsCore", "card_numbers", "cards_core", "uses"]
