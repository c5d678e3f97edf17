package client

// The token comes from the environment; nothing is hardcoded.
var tokenEnv = "FINFOCUS_VANTAGE_TOKEN"

func crossProduct(ws_count, cr_limit int) int { return ws_count * cr_limit }
