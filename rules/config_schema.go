package rules

import (
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// ConfigSchema reports YAML syntax errors and everything in a plugin
// config that makes both of its readers refuse it: the plugin, and
// finfocus-vantage or the API. What only one of them refuses, or reads
// differently, is plugin-compat's.
var ConfigSchema = &lint.Rule{
	ID:        "config-schema",
	Summary:   "plugin config no reader of it can load",
	Severity:  lint.Error,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkConfigSchema,
}

// refusedByAll reports whether a problem makes the plugin and
// finfocus-vantage (or the API behind it) both refuse the config.
func refusedByAll(p vantage.Problem) bool {
	return p.RefusedBy&vantage.Plugin != 0 && p.RefusedBy&(vantage.Tool|vantage.API) != 0
}

func checkConfigSchema(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok {
		return nil
	}
	if e := v.syntaxErr; e != nil {
		pass.Reportf(lint.Span{Line: e.Line, Col: e.Col, Anchor: "syntax"},
			"YAML syntax error: %s; fix the file so the plugin can read it", e.Msg)
		return nil
	}
	for _, p := range problemsOf(pass.File, v.cfg, pass.Settings) {
		if refusedByAll(p) {
			pass.Report(lint.Diagnostic{Span: span(p.Range), Message: p.Message, Fix: problemFix(p)})
		}
	}
	return nil
}
