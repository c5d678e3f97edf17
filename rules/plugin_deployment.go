package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/lint"
)

// PluginDeployment reports deployment files (workflows, compose files,
// Kubernetes manifests, Helm values, Dockerfiles, scripts) that run
// FinFocus with the Vantage plugin but give it its settings under names
// the chosen plugin version does not read, or without the cost report
// variable the releases require.
var PluginDeployment = &lint.Rule{
	ID:        "plugin-deployment",
	Summary:   "deployments that give the plugin names it does not read",
	Severity:  lint.Warning,
	Kinds:     []lint.Kind{lint.KindWorkflow, lint.KindYAML, lint.KindDockerfile, lint.KindShell, lint.KindEnv},
	Prefilter: mentionsVantage,
	Check:     checkPluginDeployment,
}

var (
	// runsAdapterRe finds FinFocus run with the Vantage plugin: its
	// --adapter vantage (in a command line or an args list), the plugin
	// installed, or its binary or image.
	runsAdapterRe = lazyre.New(`--adapter["']?(?:=|[\s,]+)["']?vantage\b|\bfinfocus\s+plugin\s+install\s+["']?vantage\b|\bfinfocus-plugin-vantage\b`)
	// setVarRes find a variable being given a value: name: NAME (a
	// Kubernetes env entry), ENV or ARG NAME (a Dockerfile), and NAME=…
	// (shell, .env, ENV NAME=…, docker -e) or NAME: … (a YAML env
	// mapping). The first group of each is the name.
	setVarRes = []func() *regexp.Regexp{
		lazyre.New(`\bname:[ \t]*["']?([A-Za-z_][A-Za-z0-9_]*)`),
		lazyre.New(`(?m)^\s*(?:ENV|ARG)\s+([A-Za-z_][A-Za-z0-9_]*)\s`),
		lazyre.New(`(?m)(?:^|[\s"'-])([A-Za-z_][A-Za-z0-9_]*)(?:=|:[ \t]|:$)`),
	}
)

func checkPluginDeployment(pass *lint.Pass) error {
	src := string(pass.File.Src)
	run := runsAdapterRe().FindStringIndex(src)
	if run == nil {
		return nil
	}
	v := pluginVersion(pass.Settings)
	seen := map[string]bool{}
	type set struct {
		name  string
		start int
	}
	var sets []set
	for _, re := range setVarRes {
		for _, m := range re().FindAllStringSubmatchIndex(src, -1) {
			sets = append(sets, set{src[m[2]:m[3]], m[2]})
		}
	}
	slices.SortFunc(sets, func(a, b set) int { return a.start - b.start })
	for _, st := range sets {
		name, start := st.name, st.start
		if !strings.Contains(strings.ToUpper(name), "VANTAGE") || seen[name] {
			continue
		}
		seen[name] = true
		if want := v.Instead(name, nil); want != "" {
			sp := pass.File.SpanOf(start, start+len(name))
			sp.Anchor = name
			pass.Reportf(sp, "this runs FinFocus with the Vantage plugin, but plugin %s does not read %s; %s", v.Name, name, want)
		}
	}
	if v.Report != "" && !strings.Contains(src, v.Report) {
		sp := pass.File.SpanOf(run[0], run[1])
		sp.Anchor = "missing " + v.Report
		pass.Report(lint.Diagnostic{Span: sp, Message: fmt.Sprintf(
			"this runs FinFocus with the Vantage plugin but never sets %s: plugin %s answers every cost request with FailedPrecondition (\"Vantage cost report token is required\") without it; set it to the report's token (rprt_…) where %s is set, and check the result with finfocus-vantage check --env",
			v.Report, v.Name, v.Token)})
	}
	return nil
}
