package rules

import (
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// PluginCompat reports where the FinFocus Vantage plugin (at
// vantage.PluginCommit) and finfocus-vantage disagree about a config: a
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
	for _, p := range problemsOf(pass.File, c) {
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
		pass.Report(lint.Diagnostic{Span: span(p.Range), Severity: sev, Message: p.Message})
	}
	for _, r := range vantage.PluginReadings(c) {
		sp := span(r.Range)
		sp.Anchor = r.Path
		pass.Report(lint.Diagnostic{Span: sp, Severity: lint.Notice, Message: r.Message})
	}
	return nil
}
