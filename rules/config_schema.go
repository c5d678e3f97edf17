package rules

import (
	"github.com/rshade/finfocus-vantage/lint"
)

// ConfigSchema reports YAML syntax errors and everything in a plugin
// config that the plugin would reject or misread.
var ConfigSchema = &lint.Rule{
	ID:        "config-schema",
	Summary:   "plugin config that is not valid for the plugin's schema",
	Severity:  lint.Error,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkConfigSchema,
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
	for _, p := range v.cfg.Validate() {
		pass.Reportf(span(p.Range), "%s", p.Message)
	}
	return nil
}
