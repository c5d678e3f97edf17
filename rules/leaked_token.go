package rules

import (
	"fmt"
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// LeakedToken reports Vantage credentials in any file: source, docs,
// .env files, compose files, JSON, notebooks. It is the catch-all: where a
// more specific rule reports the same value, that rule's finding stands.
var LeakedToken = &lint.Rule{
	ID:       "leaked-token",
	Summary:  "credentials committed in any file",
	Severity: lint.Error,
	Fallback: true,
	Windowed: true,
	Binary:   true,
	Check:    checkLeakedToken,
}

func checkLeakedToken(pass *lint.Pass) error {
	if tok := vantage.APITokenIn(pass.File.Name); tok != "" {
		pass.Report(lint.Diagnostic{Span: lint.Span{Line: 1, Col: 1, Anchor: "file name"},
			Message: fmt.Sprintf("a Vantage API token (%s) is in this file's name, which git, CI logs and every listing show; revoke it in Vantage and rename the file", vantage.Mask(tok))})
	}
	if s := pass.Settings; s.AllSecrets {
		root := ""
		if s.RepoRoot != nil {
			root = s.RepoRoot(pass.File.Name)
		}
		gitleaksFor(s, root).reportProblems(pass, root)
	}
	hits, err := secretsIn(pass.File, pass.Settings)
	if err != nil {
		err = fmt.Errorf("secret detection: %w", err) // after reporting what was found
	}
	for _, h := range hits {
		sp := pass.File.SpanOf(h.start, h.end)
		sp.Secret = true
		// Each finding names the detector rule that found it, as a field.
		report := func(sev lint.Severity, format string, args ...any) {
			pass.Report(lint.Diagnostic{Span: sp, Severity: sev, Message: fmt.Sprintf(format, args...), DetectorRule: h.rule})
		}
		switch h.kind {
		case vantage.APIToken, vantage.CostReportToken, vantage.WorkspaceToken:
			if h.how != "" {
				report(0, "%s at line %d: decodes to a Vantage %s (%s), committed here in that form; revoke it in Vantage, remove it, and load it at run time from a secret store, e.g. ${%s}",
					h.how, sp.Line, strings.TrimPrefix(h.kind.String(), "Vantage "), vantage.Mask(h.value), envFor(h.kind))
				continue
			}
			if h.kind == vantage.APIToken && hexSuffix(pass.File.Src[h.end:]) {
				// 41 or more hex digits: not the API's shape, but the
				// first 40 may be a real token someone ran into more. (A
				// word after it, …example or …_old, is a token's suffix.)
				report(lint.Notice,
					"a Vantage API token's shape (%s) is followed by more hex digits: a truncated, padded or concatenated value? If its first 40 digits are a token, revoke it in Vantage; if it is test data, write a placeholder or a ${FINFOCUS_VANTAGE_TOKEN} reference", vantage.Mask(h.value))
				continue
			}
			report(0, "a Vantage %s (%s) is committed here; revoke it in Vantage, remove it, and load it at run time from a secret store, e.g. ${%s}",
				strings.TrimPrefix(h.kind.String(), "Vantage "), vantage.Mask(h.value), envFor(h.kind))
		default:
			// Where gitleaks puts it: the match's first line. The
			// fingerprint stays anchored on the secret, as before, so
			// baselines keep matching.
			first, _, _ := strings.Cut(h.value, "\n")
			sp = pass.File.SpanOf(h.matchStart, h.end)
			sp.Secret, sp.Anchor = true, first
			report(0, "a secret matching gitleaks rule %s (%s) is committed here; revoke it with its issuer and load it from a secret store",
				h.rule, vantage.Mask(h.value))
		}
	}
	return err
}

// envFor names the variable that should carry a credential of kind k.
func envFor(k vantage.TokenKind) string {
	switch k {
	case vantage.CostReportToken:
		return vantage.EnvCostReportToken
	case vantage.WorkspaceToken:
		return vantage.EnvWorkspaceToken
	}
	return vantage.EnvToken
}

// hexSuffix reports text that starts with a run of letters and digits
// that are all hex digits: more of a token's hex, not a word.
func hexSuffix(b []byte) bool {
	n := 0
	for n < len(b) && (b[n] >= '0' && b[n] <= '9' || b[n]|0x20 >= 'a' && b[n]|0x20 <= 'z') {
		if !isHex(b[n]) {
			return false
		}
		n++
	}
	return n > 0
}
