// Package yamlnode holds small helpers over goccy/go-yaml's AST shared by
// the plugin config model and the rules that read Kubernetes manifests and
// CI workflows: positions in characters, anchors and tags stripped, keys
// as text.
package yamlnode

import (
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
)

// Pos is a 1-based position in a file; Col counts characters, not bytes.
type Pos struct {
	Line, Col int
}

// Range is the span of a key or value in a file. End is exclusive.
type Range struct {
	Start, End Pos
}

// TokenRange returns where a node's token is written: its start, and its
// end on the same line.
func TokenRange(n ast.Node) Range {
	if n == nil {
		return Range{}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Range{}
	}
	start := Pos{Line: tk.Position.Line, Col: tk.Position.Column}
	text := strings.TrimSpace(tk.Origin)
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = strings.TrimSpace(text[:i])
	}
	if text == "" {
		text = tk.Value
	}
	width := utf8.RuneCountInString(text)
	if width == 0 {
		width = 1
	}
	return Range{Start: start, End: Pos{Line: start.Line, Col: start.Col + width}}
}

// MappingValues returns the key/value pairs of a mapping node (after
// anchors and tags), or nil when n is not a mapping.
func MappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := Unwrap(n).(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

// Unwrap strips anchors and tags from a node; nil for comments.
func Unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.TagNode:
			n = t.Value
		case *ast.CommentNode, *ast.CommentGroupNode:
			return nil
		default:
			return n
		}
	}
}

// KeyText returns a mapping key as text.
func KeyText(k ast.MapKeyNode) string {
	if k == nil {
		return ""
	}
	if s, ok := k.(*ast.StringNode); ok {
		return s.Value
	}
	if tk := k.GetToken(); tk != nil {
		return tk.Value
	}
	return ""
}
