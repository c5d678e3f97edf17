import os

VANTAGE_API_TOKEN = "vntg_tkn_3f9a1c7e5b2d4a6c8e0f1a3b5c7d9e1f2a4b6c8d"  # TODO move to env
FALLBACK = os.environ.get("FINFOCUS_VANTAGE_TOKEN", "vntg_tkn_8b2e4d6f0a1c3e5b7d9f1b3d5f7a9c0e2b4d6f81")
