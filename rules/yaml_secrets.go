package rules

import (
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/rshade/finfocus-vantage/internal/yamlnode"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// nestedKeyHits finds legacy cr_/ws_ tokens written under a key path that
// names Vantage or FinFocus in a YAML or JSON file, such as .NET's
// appsettings.json ("Vantage": {"CostReportToken": "cr_…"}) or Helm
// values (vantage:\n  costReportToken: cr_…): the nested form of
// VANTAGE_COST_REPORT_TOKEN=cr_…, judged the same way (the flat form's
// rule needs the Vantage word on the value's own line). Bare cr_ and ws_
// prefixes are common in ordinary identifiers, so a value counts only
// under such a path, with the flat rule's entropy.
func nestedKeyHits(f *lint.File) []secretHit {
	lower := strings.ToLower(f.Name)
	if !(strings.HasSuffix(lower, ".json") || strings.HasSuffix(lower, ".yaml") || strings.HasSuffix(lower, ".yml")) ||
		len(f.Src) > lint.MaxYAMLSize || !hasLegacyTokenShape(f.Src) { // mentionsVantage: gatesOf
		return nil
	}
	y := f.YAML()
	if y.AST == nil {
		return nil
	}
	var out []secretHit
	var walk func(n ast.Node, under bool)
	walk = func(n ast.Node, under bool) {
		switch t := yamlnode.Unwrap(n).(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			for _, mv := range yamlnode.MappingValues(t) {
				key := strings.ToLower(yamlnode.KeyText(mv.Key))
				walk(mv.Value, under || strings.Contains(key, "vantage") || strings.Contains(key, "finfocus"))
			}
		case *ast.SequenceNode:
			for _, v := range t.Values {
				walk(v, under)
			}
		case *ast.StringNode:
			if !under {
				return
			}
			v := t.Value
			kind := vantage.ClassifyToken(v)
			if (kind != vantage.CostReportToken && kind != vantage.WorkspaceToken) || len(v) < 15 || shannonEntropy(v) <= 2.5 {
				return
			}
			sp := nodeSpan(t, true)
			start := f.Offset(sp.Line, sp.Col)
			if start < 0 || start+len(v) > len(f.Src) || string(f.Src[start:start+len(v)]) != v {
				return // written with escapes or folded: not where a caret can point
			}
			rule := "vantage-cost-report-token"
			if kind == vantage.WorkspaceToken {
				rule = "vantage-workspace-token"
			}
			out = append(out, secretHit{start: start, end: start + len(v), value: v, rule: rule, kind: kind})
		}
	}
	for _, doc := range y.AST.Docs {
		walk(doc.Body, false)
	}
	return out
}

// foldedScalarHits finds tokens in YAML strings a writer wrapped: a
// double-quoted scalar continued with a backslash at the end of a line
// is one string with no break, so a token cut there is whole in the
// value YAML reads, though not in any line of the file. Each is reported
// at the scalar's first line.
func foldedScalarHits(f *lint.File, d *detector) []secretHit {
	if f.Kind != lint.KindYAML && !strings.HasSuffix(strings.ToLower(f.Name), ".json") || len(f.Src) > lint.MaxYAMLSize {
		return nil // a backslash at a line's end: gatesOf
	}
	y := f.YAML()
	if y.AST == nil {
		return nil
	}
	var out []secretHit
	visit := visitorFunc(func(n ast.Node) {
		s, ok := n.(*ast.StringNode)
		if !ok || s.Token == nil || !strings.Contains(s.Token.Origin, "\n") {
			return
		}
		sp := nodeSpan(s, true)
		start := f.Offset(sp.Line, sp.Col)
		if start < 0 {
			return
		}
		end := start + len(s.Token.Origin)
		if end > len(f.Src) {
			end = len(f.Src)
		}
		v := []byte(s.Value)
		for _, h := range vantageHits(v, d, gates{plain: true, encoded: mayBeEncoded(v), split: mayBeSplit(v)}) {
			h.start, h.end, h.how = start, end, "a YAML string folded across lines"
			out = append(out, h)
		}
	})
	for _, doc := range y.AST.Docs {
		ast.Walk(visit, doc)
	}
	return out
}

// visitorFunc is an ast.Visitor calling a function on every node.
type visitorFunc func(ast.Node)

// Visit implements ast.Visitor.
func (v visitorFunc) Visit(n ast.Node) ast.Visitor {
	v(n)
	return v
}

// hasLegacyTokenShape reports a cr_ or ws_ (any case) followed by at
// least 12 letters or digits: without one, there is nothing to parse for.
func hasLegacyTokenShape(src []byte) bool {
	for i := 0; i+3 < len(src); i++ {
		if src[i+2] != '_' {
			continue
		}
		a, b := src[i]|0x20, src[i+1]|0x20
		if !(a == 'c' && b == 'r' || a == 'w' && b == 's') {
			continue
		}
		n := 0
		for j := i + 3; j < len(src) && n < 12 && (src[j] >= '0' && src[j] <= '9' || src[j]|0x20 >= 'a' && src[j]|0x20 <= 'z'); j++ {
			n++
		}
		if n >= 12 {
			return true
		}
	}
	return false
}
