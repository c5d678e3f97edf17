package rules

import (
	"bytes"
	"errors"
	"path"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// configKinds are the file kinds that can hold a plugin config.
var configKinds = []lint.Kind{lint.KindYAML}

// configView is a file seen as a plugin config: the model, or the syntax
// error that prevented building it.
type configView struct {
	cfg       *vantage.Config
	syntaxErr *lint.ParseError
}

type configKey struct{}

// hasSourceVantage reports whether a line starts with source: vantage
// (quoted or not), which every plugin config has at its top level: only
// such YAML files are parsed as configs.
func hasSourceVantage(src []byte) bool {
	for off := 0; ; {
		i := bytes.Index(src[off:], []byte("source:"))
		if i < 0 {
			return false
		}
		at := off + i
		off = at + len("source:")
		if at > 0 && src[at-1] != '\n' {
			continue
		}
		rest := bytes.TrimLeft(src[off:], " \t\"'")
		if bytes.HasPrefix(rest, []byte("vantage")) {
			return true
		}
	}
}

// pluginConfig returns the file's config model when the file is a plugin
// config: named on --config, or a .yaml/.yml file whose top level says
// source: vantage (a README, a changelog or a test file that quotes a
// config is not one). A file that says so but does not parse returns its
// syntax error.
func pluginConfig(f *lint.File) (configView, bool) {
	v := f.Memo(configKey{}, func() any {
		if !f.Config && (f.Kind != lint.KindYAML || !marksOf(f).Lower || !hasSourceVantage(f.Src)) {
			return (*configView)(nil)
		}
		y := f.YAML()
		if y.Err != nil {
			return &configView{syntaxErr: toParseError(y.Err)}
		}
		if !f.Config && !vantage.IsPluginConfig(y.AST) {
			return (*configView)(nil)
		}
		return &configView{cfg: vantage.FromAST(y.AST)}
	}).(*configView)
	if v == nil {
		return configView{}, false
	}
	return *v, true
}

type problemsKey struct{ version string }

// problemsOf validates f's config once for the rules that split its
// problems between them (config-schema, plugin-compat), as the chosen
// plugin version reads it: for a release, which reads no file, what only
// the 1c637b6 loader refused is dropped and the rest is worded as the
// loader's, the file being finfocus-vantage's own config.
func problemsOf(f *lint.File, c *vantage.Config, s *lint.Settings) []vantage.Problem {
	v := pluginVersion(s)
	return f.Memo(problemsKey{v.Name}, func() any {
		probs := c.Validate()
		if v.File {
			return probs
		}
		out := probs[:0:0]
		for _, p := range probs {
			if p.RefusedBy == vantage.Plugin {
				continue
			}
			msg := strings.ReplaceAll(p.Message, "the plugin's docs", "\x00")
			msg = strings.ReplaceAll(msg, "the plugin", "the 1c637b6 loader")
			p.Message = strings.ReplaceAll(msg, "\x00", "the plugin's docs")
			p.Message = strings.ReplaceAll(p.Message, "${"+vantage.PluginEnvToken+"}", "${"+vantage.EnvToken+"}")
			out = append(out, p)
		}
		return out
	}).([]vantage.Problem)
}

// problemFix is a problem's one-edit fix as a lint fix, or nil.
func problemFix(p vantage.Problem) *lint.Fix {
	if p.Fix == "" {
		return nil
	}
	return rangeFix(p.Range, p.Fix)
}

// rangeFix replaces a key or value with text.
func rangeFix(r yamlnode.Range, text string) *lint.Fix {
	return &lint.Fix{Description: "write " + text, Line: r.Start.Line, Col: r.Start.Col, EndLine: r.End.Line, EndCol: r.End.Col, Text: text}
}

// pluginVersion is the plugin version a run checks for: the one the
// caller chose, else the newest.
func pluginVersion(s *lint.Settings) *vantage.PluginVersion {
	if s != nil {
		if v := vantage.FindPluginVersion(s.ReaderVersion); v != nil {
			return v
		}
	}
	return vantage.PluginVersions[0]
}

// ConfigOf returns f's plugin config model when f is a plugin config that
// parses.
func ConfigOf(f *lint.File) (*vantage.Config, bool) {
	v, ok := pluginConfig(f)
	return v.cfg, ok && v.cfg != nil
}

// IsConfig reports whether f is a plugin config, for the summary.
func IsConfig(f *lint.File) bool {
	_, ok := pluginConfig(f)
	return ok
}

// toParseError extracts position and message from a YAML parser error.
func toParseError(err error) *lint.ParseError {
	var pe *lint.ParseError
	if errors.As(err, &pe) {
		return pe
	}
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		return &lint.ParseError{Line: se.Token.Position.Line, Col: se.Token.Position.Column, Msg: se.Message}
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &lint.ParseError{Line: 1, Col: 1, Msg: msg}
}

// span converts a config range to a lint span.
func span(r yamlnode.Range) lint.Span {
	return lint.Span{Line: r.Start.Line, Col: r.Start.Col, EndLine: r.End.Line, EndCol: r.End.Col}
}

// valueSpan is the span of a node's value, marked secret when it holds one.
func valueSpan(n *vantage.Node, secret bool) lint.Span {
	sp := span(n.Value)
	sp.Secret = secret
	sp.Anchor = n.Path
	return sp
}

// innerSpan is the span of rune offsets [start, end) inside a scalar
// value written on one line, allowing for an opening quote.
func innerSpan(n *vantage.Node, start, end int) lint.Span {
	col := n.Value.Start.Col
	if n.Quoted {
		col++
	}
	return lint.Span{Line: n.Value.Start.Line, Col: col + start, EndLine: n.Value.Start.Line, EndCol: col + end}
}

// Environment decides which environment a config is for: its
// environment key, else its file name (prod, staging, dev), else
// --environment, else production. The second result says which.
func Environment(f *lint.File, c *vantage.Config, s *lint.Settings) (env, from string) {
	if e := c.Text("environment"); slices.Contains(vantage.Environments, e) {
		return e, "its environment key"
	}
	if e := environmentFromName(f.Name); e != "" {
		return e, "its file name"
	}
	if slices.Contains(vantage.Environments, s.Environment) {
		return s.Environment, "--environment"
	}
	return "production", "the default"
}

var nameWordRe = lazyre.New(`[a-z]+`)

func environmentFromName(name string) string {
	for _, w := range nameWordRe().FindAllString(strings.ToLower(path.Base(name)), -1) {
		switch w {
		case "prod", "production", "prd":
			return "production"
		case "staging", "stage", "stg":
			return "staging"
		case "dev", "development", "local":
			return "development"
		}
	}
	return ""
}

// resolver builds the env resolver from the run's settings.
func resolver(s *lint.Settings) vantage.Resolver {
	return vantage.Resolver{Env: s.LookupEnv, ReadFile: s.ReadFile, Allow: s.AllowEnv}
}

// tokenFields are the config fields that hold credentials, with the
// variable each should reference.
var tokenFields = []struct {
	path, env string
}{
	{"credentials.token", vantage.EnvToken},
	{"params.cost_report_token", vantage.EnvCostReportToken},
	{"params.workspace_token", vantage.EnvWorkspaceToken},
}

// isLiteral reports whether a scalar holds a value written in the file
// rather than a ${NAME} reference.
func isLiteral(n *vantage.Node) bool {
	return n != nil && n.Kind == vantage.Scalar && n.Text != "" && !strings.Contains(n.Text, "${")
}
