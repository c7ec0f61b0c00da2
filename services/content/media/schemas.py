"""Media as the API documents it (see services/content/contract.py)."""
from __future__ import annotations

API_INPUTS: tuple = ()
API_OUTPUTS: tuple = ()
