const token = "vntg_tkn_5b4a3c2d1e0f" +
  "9a8b7c6d5e4f3a2b1c0d9e8f7a6b";
