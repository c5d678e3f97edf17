package rules

import (
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// PluginEnv reports, for check --env, the environment of the running
// process as the chosen plugin version reads it: what makes it refuse to
// work (an error), variables it ignores that were evidently meant for it
// (a warning, naming the one it reads), and remarks. It reads no file, so
// it has no Check: the command runs it.
var PluginEnv = &lint.Rule{ID: "plugin-env", Summary: "environment the chosen plugin version refuses or ignores", Severity: lint.Error}

// EnvFindings checks an environment for plugin version v: names are the
// variables set, env looks their values up, and cfgs are the configs the
// version would load (only the 1c637b6 loader loads one; none is nil).
// Findings sit on the variable ($NAME) and never quote a value.
func EnvFindings(v *vantage.PluginVersion, names []string, env vantage.Lookup, cfgs []*vantage.Config) []lint.Finding {
	if len(cfgs) == 0 || !v.File {
		cfgs = []*vantage.Config{nil}
	}
	r := &lint.Runner{Redact: vantage.Redact, Mask: vantage.Mask}
	var out []lint.Finding
	for _, c := range cfgs {
		for _, p := range v.CheckEnv(names, env, c) {
			sev := lint.Notice
			switch {
			case p.Refused:
				sev = lint.Error
			case p.Warn:
				sev = lint.Warning
			}
			out = append(out, r.Finding(PluginEnv, lint.Diagnostic{
				Path: "$" + p.Var, Span: lint.Span{Line: 1, Col: 1, Anchor: p.Var + ": " + p.Message}, Severity: sev, Message: p.Message,
			}))
		}
	}
	return lint.Finalize(out)
}
