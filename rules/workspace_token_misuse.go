package rules

import (
	"fmt"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// WorkspaceTokenMisuse reports workspace tokens used where a cost report
// token belongs, and the reverse.
var WorkspaceTokenMisuse = &lint.Rule{
	ID:        "workspace-token-misuse",
	Summary:   "workspace tokens used where a cost report token belongs",
	Severity:  lint.Warning,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkWorkspaceTokenMisuse,
}

func checkWorkspaceTokenMisuse(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok || v.cfg == nil {
		return nil
	}
	c := v.cfg
	cr, ws := c.Get("params.cost_report_token"), c.Get("params.workspace_token")
	crSet, wsSet := isSet(cr), isSet(ws)

	// Values of the wrong family.
	crKind, crResolved := effectiveKind(pass, cr)
	wsKind, wsResolved := effectiveKind(pass, ws)
	if crKind == vantage.WorkspaceToken || crKind == vantage.WorkspaceID {
		pass.Report(lint.Diagnostic{Span: valueSpan(cr, crKind.IsSecret()), Severity: lint.Error,
			Message: fmt.Sprintf(`"params.cost_report_token" %s a %s; put the cost report's token (cr_… or rprt_…) here, or move this value to params.workspace_token`, verb(crResolved), crKind)})
	}
	if wsKind == vantage.CostReportToken || wsKind == vantage.ReportID {
		pass.Report(lint.Diagnostic{Span: valueSpan(ws, wsKind.IsSecret()), Severity: lint.Error,
			Message: fmt.Sprintf(`"params.workspace_token" %s a %s; move it to params.cost_report_token`, verb(wsResolved), wsKind)})
	}

	switch {
	case crSet && wsSet:
		pass.Reportf(span(ws.Key),
			`"params.workspace_token" is set alongside "params.cost_report_token": the API ignores it and the plugin's security guidance says never to use a workspace token when a cost report token is available; remove it`)
	case wsSet:
		if env, from := Environment(pass.File, c, pass.Settings); env == "production" {
			pass.Reportf(span(ws.Key),
				`only a workspace token is configured for production (from %s): it can read every report in the workspace; create a cost report in Vantage and set "params.cost_report_token" instead (least privilege)`, from)
		}
	}

	// A workspace token as the bearer token while a cost report is configured.
	if tok := c.Get("credentials.token"); crSet && tok != nil {
		if k, resolved := effectiveKind(pass, tok); k == vantage.WorkspaceToken {
			pass.Report(lint.Diagnostic{Span: valueSpan(tok, true),
				Message: fmt.Sprintf(`"credentials.token" %s a workspace token while a cost report is configured; use a token scoped to the cost report`, verb(resolved))})
		}
	}
	return nil
}

func isSet(n *vantage.Node) bool {
	return n != nil && n.Kind == vantage.Scalar && n.Text != ""
}

// effectiveKind classifies a token field's value: the literal, or with
// --resolve-env the value its reference resolves to. resolved reports the
// latter.
func effectiveKind(pass *lint.Pass, n *vantage.Node) (vantage.TokenKind, bool) {
	if !isSet(n) {
		return vantage.NotToken, false
	}
	k := vantage.ClassifyToken(n.Text)
	if k != vantage.EnvReference {
		return k, false
	}
	if !pass.Settings.ResolveEnv {
		return vantage.NotToken, false
	}
	val, err := resolver(pass.Settings).Expand(n.Text)
	if err != nil {
		return vantage.NotToken, false
	}
	return vantage.ClassifyToken(val), true
}

func verb(resolved bool) string {
	if resolved {
		return "resolves to"
	}
	return "holds"
}
