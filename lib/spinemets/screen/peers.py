"""The checks other screens have (statcheck, scrutiny, rsprite2), on the screen's printed intervals."""

from __future__ import annotations
