package rules

import "github.com/rshade/finfocus-vantage/lint"

// The live rules are reported by `finfocus-vantage auth` and `check
// --live` from the Vantage API's answers, not by reading files: they have
// no Check.
var (
	// AuthRejected: the API answered 401 to the token.
	AuthRejected = &lint.Rule{ID: "auth-rejected", Summary: "tokens the Vantage API rejects", Severity: lint.Error}
	// AuthForbidden: the API answered 403.
	AuthForbidden = &lint.Rule{ID: "auth-forbidden", Summary: "tokens the Vantage API refuses access for", Severity: lint.Error}
	// ReportNotFound: the configured cost report does not exist for the token.
	ReportNotFound = &lint.Rule{ID: "report-not-found", Summary: "cost reports the token cannot find", Severity: lint.Error}
	// AuthUnverified: the check itself failed (network, API, timeout), so
	// the token is neither verified nor rejected.
	AuthUnverified = &lint.Rule{ID: "auth-unverified", Summary: "tokens the live check could not verify", Severity: lint.Error}
	// TokenWriteScope: a token used only to read costs has write scope.
	TokenWriteScope = &lint.Rule{ID: "token-write-scope", Summary: "tokens with write scope used only for reading", Severity: lint.Warning}
)

// Live lists the live rules.
var Live = []*lint.Rule{AuthRejected, AuthForbidden, AuthUnverified, ReportNotFound, TokenWriteScope}
