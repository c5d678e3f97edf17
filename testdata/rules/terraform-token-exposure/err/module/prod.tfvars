vantage_token = "vntg_tkn_c4e6a8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2"
api_token = "fedcba9876543210fedcba"
