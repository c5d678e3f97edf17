package rules

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// TokenFormat reports token values the API cannot accept: empty, padded
// with whitespace, truncated, placeholders, or identifiers used as tokens.
var TokenFormat = &lint.Rule{
	ID:        "token-format",
	Summary:   "token values the Vantage API cannot accept",
	Severity:  lint.Error,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkTokenFormat,
}

// MaxTokenLen is the longest token value accepted before it is reported
// as something other than a token (a pasted file, a certificate).
const MaxTokenLen = 4096

func checkTokenFormat(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok || v.cfg == nil {
		return nil
	}
	for _, f := range tokenFields {
		n := v.cfg.Get(f.path)
		if n == nil || n.Kind != vantage.Scalar {
			continue
		}
		if !strings.Contains(n.Text, "${") {
			if msg := tokenProblem(n.Text, f.path == "credentials.token"); msg != "" {
				// A placeholder written in a file is documentation, not a
				// leak or a broken token: a notice at most.
				var sev lint.Severity
				if msg == placeholderProblem {
					sev = lint.Notice
				}
				pass.Report(lint.Diagnostic{Span: valueSpan(n, true), Severity: sev,
					Message: fmt.Sprintf("%q %s; set ${%s} to the token from Vantage (Settings → API Access Tokens)", f.path, msg, f.env)})
			}
			continue
		}
		if !pass.Settings.ResolveEnv {
			continue
		}
		refs, bad := vantage.ParseRefs(n.Text)
		if len(bad) > 0 {
			continue // unresolved-env-ref reports it
		}
		res := resolver(pass.Settings)
		for _, ref := range refs {
			r, err := res.Resolve(ref.Name)
			if err != nil {
				continue // unresolved-env-ref reports it
			}
			if msg := tokenProblem(r.Value, f.path == "credentials.token"); msg != "" {
				src := "the value of " + ref.Name
				if r.File != "" {
					src = fmt.Sprintf("the token in %s (from %s%s)", r.File, ref.Name, vantage.FileSuffix)
				}
				sp := innerSpan(n, ref.Start, ref.End)
				sp.Anchor = ref.Name
				pass.Reportf(sp, "%s, used for %q, %s; fix it where it is set", src, f.path, msg)
			}
		}
	}
	return nil
}

const placeholderProblem = "is a placeholder, not a token"

// tokenProblem describes what is wrong with a token value, or "". It never
// includes the value. bearer is set for credentials.token.
func tokenProblem(s string, bearer bool) string {
	switch {
	case s == "":
		return "is empty"
	case len(s) > MaxTokenLen:
		return fmt.Sprintf("is %d characters long, more than any token (%d); it is probably a pasted file", len(s), MaxTokenLen)
	case strings.HasSuffix(s, "\n") || strings.HasSuffix(s, "\r"):
		return "ends with a line break, which would be sent in the Authorization header"
	case strings.TrimSpace(s) != s:
		return "has leading or trailing spaces"
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return "contains whitespace, which no token has"
	case strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "contains non-printable characters"
	}
	switch k := vantage.ClassifyToken(s); k {
	case vantage.Placeholder:
		return placeholderProblem
	case vantage.MalformedAPIToken:
		return fmt.Sprintf("looks truncated: a Vantage API token is %s and %d lowercase hex characters (%d characters in all)",
			vantage.APITokenPrefix, vantage.APITokenHexLen, len(vantage.APITokenPrefix)+vantage.APITokenHexLen)
	case vantage.ReportID, vantage.WorkspaceID:
		if bearer {
			return fmt.Sprintf("is a %s, not an API token; identifiers belong in params, the bearer token starts with %s", k, vantage.APITokenPrefix)
		}
	}
	return ""
}
