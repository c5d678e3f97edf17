package rules

import (
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// HardcodedToken reports credentials written into a plugin config instead
// of referenced from the environment.
var HardcodedToken = &lint.Rule{
	ID:        "hardcoded-token",
	Summary:   "credentials written into a plugin config",
	Severity:  lint.Error,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkHardcodedToken,
}

func checkHardcodedToken(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok || v.cfg == nil {
		return nil
	}
	c := v.cfg
	env, _ := Environment(pass.File, c, pass.Settings)
	reported := map[*vantage.Node]bool{}

	if n := c.Get("credentials.token"); isLiteral(n) {
		kind := vantage.ClassifyToken(n.Text)
		switch kind {
		case vantage.Placeholder, vantage.ReportID, vantage.WorkspaceID:
			// Not a secret: token-format explains what is wrong.
		default:
			sev := lint.Error
			note := "; rotate it in Vantage if this file was ever shared"
			if env == "development" {
				sev = lint.Warning
				note = "; the plugin allows this for local development only, so keep the file out of version control"
			}
			ref := "${" + tokenRef(pass.Settings) + "}"
			pass.Report(lint.Diagnostic{Span: valueSpan(n, true), Severity: sev, Fix: rangeFix(n.Value, ref),
				Message: `"credentials.token" holds a literal ` + kindName(kind) + " (" + vantage.Mask(n.Text) + "); reference it as " + ref + " and store the token in a secret manager or CI secret" + note})
		}
		reported[n] = true
	}
	for _, f := range tokenFields[1:] {
		n := c.Get(f.path)
		if !isLiteral(n) {
			continue
		}
		kind := vantage.ClassifyToken(n.Text)
		want := vantage.CostReportToken
		if f.env == vantage.EnvWorkspaceToken {
			want = vantage.WorkspaceToken
		}
		if kind == want {
			pass.Report(lint.Diagnostic{Span: valueSpan(n, true), Severity: lint.Warning, Fix: rangeFix(n.Value, "${"+f.env+"}"),
				Message: `"` + f.path + `" holds a literal ` + kind.String() + " (" + vantage.Mask(n.Text) + "); reference it as ${" + f.env + "} so it can change without editing the config"})
			reported[n] = true
		}
	}
	// An API token anywhere else in the config is a leaked secret.
	for _, n := range c.Order {
		for _, s := range append([]*vantage.Node{n}, n.Items...) {
			if reported[s] || s.Kind != vantage.Scalar || vantage.ClassifyToken(s.Text) != vantage.APIToken {
				continue
			}
			pass.Reportf(valueSpan(s, true),
				`%q holds a Vantage API token (%s); remove it, reference ${%s} from credentials.token and rotate the token in Vantage`,
				n.Path, vantage.Mask(s.Text), tokenRef(pass.Settings))
		}
	}
	return nil
}

// kindName names a literal's kind, "token" when it has no known shape.
func kindName(k vantage.TokenKind) string {
	if k == vantage.NotToken {
		return "token"
	}
	return k.String()
}

// tokenRef is the variable credentials.token should reference for the
// chosen plugin version: the loader at 1c637b6 reads the file as written
// but lets PULUMICOST_VANTAGE_TOKEN replace the token, so that reference
// is only a marker; for the releases the file is finfocus-vantage's own,
// which expands FINFOCUS_VANTAGE_TOKEN, the variable the plugin reads.
func tokenRef(s *lint.Settings) string {
	return pluginVersion(s).Token
}
