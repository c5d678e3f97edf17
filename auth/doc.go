// Package auth is the live check of a FinFocus Vantage config: it loads a
// config, resolves the token exactly as the plugin does, asks the Vantage
// API who the token is (GET /me) and, when a cost report is configured,
// whether the report exists (GET /cost_reports/{token}), and turns the
// answers into a verdict (verified, invalid or unknown) and findings at
// the config's positions.
//
// The data path, step by step:
//
//	Load       config.go   read and parse the plugin config
//	Check      check.go    resolve the token, build the client, GET /me,
//	                       GET /cost_reports/{token}, report findings
//	Outcome    outcome.go  the verdict as a header line and JSON fields
//	CheckAll   check.go    the same for every config a scan found (check --live)
//
// `auth`, `check --live` and `pull` all call it; it knows nothing of the
// command line.
package auth
