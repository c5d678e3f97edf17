package rules

import (
	"encoding/base64"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// yamlEntry is one key/value pair of a YAML mapping, with positions.
type yamlEntry struct {
	key   string
	keyN  ast.Node
	value ast.Node // anchors and tags stripped
}

// entries lists a mapping's pairs; nil when n is not a mapping.
func entries(n ast.Node) []yamlEntry {
	var out []yamlEntry
	for _, mv := range yamlnode.MappingValues(n) {
		out = append(out, yamlEntry{key: yamlnode.KeyText(mv.Key), keyN: mv.Key, value: yamlnode.Unwrap(mv.Value)})
	}
	return out
}

// get returns the value under key in a mapping, or nil.
func get(n ast.Node, key string) ast.Node {
	for _, e := range entries(n) {
		if e.key == key {
			return e.value
		}
	}
	return nil
}

// scalar returns a scalar node's text and whether it is one.
func scalar(n ast.Node) (string, bool) {
	switch t := n.(type) {
	case *ast.StringNode:
		return t.Value, true
	case *ast.LiteralNode:
		if t.Value != nil {
			return t.Value.Value, true
		}
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return t.GetToken().Value, true
	}
	return "", false
}

// nodeSpan is where a node's value is written; quotes are left out for a
// quoted scalar so that the caret and mask fall on the value itself.
func nodeSpan(n ast.Node, secret bool) lint.Span {
	r := yamlnode.TokenRange(n)
	sp := lint.Span{Line: r.Start.Line, Col: r.Start.Col, EndLine: r.End.Line, EndCol: r.End.Col, Secret: secret}
	if s, ok := n.(*ast.StringNode); ok && s.Token != nil && (s.Token.Type == token.DoubleQuoteType || s.Token.Type == token.SingleQuoteType) {
		sp.Col++
		sp.EndCol--
	}
	return sp
}

// envTokenNameRe matches variable and key names that carry a Vantage
// credential: FINFOCUS_VANTAGE_TOKEN, VANTAGE_API_TOKEN, vantage_key…
var envTokenNameRe = lazyre.New(`(?i)^[A-Z0-9_.\-]*(VANTAGE|FINFOCUS)[A-Z0-9_.\-]*(TOKEN|KEY|SECRET)[A-Z0-9_.\-]*$`)

// isTokenName reports whether a key or variable name carries a Vantage
// credential value (not a path to one: *_FILE names hold paths).
func isTokenName(name string) bool {
	return envTokenNameRe().MatchString(name) && !strings.HasSuffix(strings.ToUpper(name), "_FILE")
}

// literalCredential reports whether value, found under key, is a
// credential written in the file: a token by its shape, or any real-looking
// literal under a token-named key. References, templates, placeholders and
// identifiers are not.
func literalCredential(key, value string) (vantage.TokenKind, bool) {
	v := strings.TrimSpace(value)
	if v == "" || strings.Contains(v, "${") || strings.Contains(v, "{{") || strings.HasPrefix(v, "$") {
		return vantage.NotToken, false
	}
	k := vantage.ClassifyToken(v)
	if k.IsSecret() {
		return k, true
	}
	if k == vantage.NotToken && isTokenName(key) && len(v) >= 8 && !strings.ContainsAny(v, " /") {
		return k, true
	}
	return k, false
}

// base64TokenKeywords are the forms "vntg_tkn_" takes inside base64 text
// at each of the three byte alignments, for prefiltering Secret data.
var base64TokenKeywords = func() []string {
	var out []string
	for k := 0; k < 3; k++ {
		enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("A", k) + vantage.APITokenPrefix))
		from := (8*k + 5) / 6
		to := 8 * (k + len(vantage.APITokenPrefix)) / 6
		out = append(out, enc[from:to])
	}
	return out
}()
