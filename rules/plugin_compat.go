package rules

import (
	"fmt"
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// PluginCompat reports where the FinFocus Vantage plugin (at
// the chosen version) and finfocus-vantage disagree about a config: a
// value one of them, or the API, refuses while the other accepts it
// (a warning), and a value both load but read differently from how it is
// written or documented (a notice). A config with no plugin-compat warning
// and no config-schema error loads in the plugin. When pull checks its
// config (Settings.ForUse), what finfocus-vantage or the API refuses is an
// error: the pull stops before its first request.
var PluginCompat = &lint.Rule{
	ID:        "plugin-compat",
	Summary:   "config the plugin reads differently from finfocus-vantage",
	Severity:  lint.Warning,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkPluginCompat,
}

func checkPluginCompat(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok || v.cfg == nil {
		return nil
	}
	c := v.cfg
	pv := pluginVersion(pass.Settings)
	if !pv.File {
		pass.Report(lint.Diagnostic{Span: lint.Span{Line: c.Start.Line, Col: c.Start.Col, Anchor: "plugin-version"}, Severity: lint.Notice, Message: ignoredFile(pv, c)})
	}
	for _, p := range problemsOf(pass.File, c, pass.Settings) {
		if refusedByAll(p) {
			continue // config-schema's
		}
		var sev lint.Severity
		switch {
		case p.RefusedBy == 0:
			sev = lint.Notice
		case pass.Settings.ForUse && p.RefusedBy&(vantage.Tool|vantage.API) != 0:
			sev = lint.Error // pull is about to use what it cannot
		}
		pass.Report(lint.Diagnostic{Span: span(p.Range), Severity: sev, Message: p.Message, Fix: problemFix(p)})
	}
	if !pv.File {
		return nil
	}
	for _, r := range vantage.PluginReadings(c) {
		sp := span(r.Range)
		sp.Anchor = r.Path
		pass.Report(lint.Diagnostic{Span: sp, Severity: lint.Notice, Message: r.Message})
	}
	return nil
}

// ignoredFile says that a plugin version which reads no file ignores this
// one, and which variables carry its settings there: names, never values.
func ignoredFile(v *vantage.PluginVersion, c *vantage.Config) string {
	vars := []string{v.Token}
	if c.Text("params.cost_report_token") != "" || c.Text("params.workspace_token") != "" {
		vars = append(vars, v.Report)
	}
	msg := fmt.Sprintf("plugin %s reads no config file, so FinFocus does not use this one; the plugin takes the token from %s (or one FinFocus sends with each request) and the Cost Report from %s. Where FinFocus runs, set %s and run finfocus-vantage check --env there. This file is still finfocus-vantage's own config for auth and pull (and the 1c637b6 loader's: --plugin-version 1c637b6)",
		v.Name, v.Token, v.Report, strings.Join(vars, " and "))
	if c.Text("params.cost_report_token") == "" && c.Text("params.workspace_token") != "" {
		msg += fmt.Sprintf("; the releases choose costs by Cost Report only, so a workspace token has no place there: set %s to a report's token (rprt_…)", v.Report)
	}
	return msg
}
