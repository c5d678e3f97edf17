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
		switch h.kind {
		case vantage.APIToken, vantage.CostReportToken, vantage.WorkspaceToken:
			pass.Reportf(sp, "a Vantage %s (%s) is committed here; revoke it in Vantage, remove it, and load it at run time from a secret store, e.g. ${%s}",
				strings.TrimPrefix(h.kind.String(), "Vantage "), vantage.Mask(h.value), envFor(h.kind))
		default:
			pass.Reportf(sp, "a secret matching gitleaks rule %s (%s) is committed here; revoke it with its issuer and load it from a secret store",
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
