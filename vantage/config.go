package vantage

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
)

// NodeKind is the YAML shape of a config value.
type NodeKind int

// The shapes a config value can have.
const (
	// Scalar is a string, number, boolean or date.
	Scalar NodeKind = iota
	// Null is an absent value (`key:` or `key: null`).
	Null
	// Map is a mapping.
	Map
	// Seq is a sequence.
	Seq
	// Other is an alias, anchor-only or otherwise unsupported value.
	Other
)

// Node is one key of a plugin config and its value.
type Node struct {
	// Path is the dotted key path, e.g. "params.page_size".
	Path string
	// Key is where the key is written.
	Key yamlnode.Range
	// Value is where the value is written.
	Value yamlnode.Range
	// Kind is the value's shape.
	Kind NodeKind
	// Type is the YAML scalar type: "string", "int", "float", "bool", "null"
	// or "" for non-scalars.
	Type string
	// Text is the scalar's value, unquoted. It may be a secret.
	Text string
	// Quoted reports whether the scalar was quoted in the file.
	Quoted bool
	// Items holds a sequence's elements.
	Items []*Node
}

// Problem is a structural or schema problem in a config, with where it is
// and which consumers refuse the config for it.
type Problem struct {
	Range   yamlnode.Range
	Message string
	// RefusedBy says who refuses the config for this problem. None means
	// every consumer loads it but reads the value differently from how it
	// is written or documented.
	RefusedBy Consumer
	// Fix, when set, is the text that replaces Range to resolve the
	// problem in one edit.
	Fix string
}

// Config is a FinFocus Vantage plugin config as written, with the position
// of every key and value.
type Config struct {
	nodes map[string]*Node
	// Order lists every node in document order.
	Order []*Node
	// Problems holds what reading the document found wrong: duplicate keys,
	// aliases, non-mapping sections.
	Problems []Problem
	// Start is the position of the document's first key, for findings about
	// missing keys.
	Start yamlnode.Pos
}

// Get returns the node at a dotted key path, or nil.
func (c *Config) Get(path string) *Node {
	if c == nil {
		return nil
	}
	return c.nodes[path]
}

// Text returns the scalar text at path, or "" when absent or not a scalar.
func (c *Config) Text(path string) string {
	n := c.Get(path)
	if n == nil || n.Kind != Scalar {
		return ""
	}
	return n.Text
}

// IsPluginConfig reports whether a parsed YAML file's first document is a
// mapping whose top-level source is vantage.
func IsPluginConfig(f *ast.File) bool {
	m := topMapping(f)
	if m == nil {
		return false
	}
	for _, mv := range m {
		if yamlnode.KeyText(mv.Key) == "source" {
			if s, ok := yamlnode.Unwrap(mv.Value).(*ast.StringNode); ok {
				return s.Value == "vantage"
			}
		}
	}
	return false
}

func topMapping(f *ast.File) []*ast.MappingValueNode {
	if f == nil || len(f.Docs) == 0 || f.Docs[0] == nil {
		return nil
	}
	return yamlnode.MappingValues(f.Docs[0].Body)
}

// FromAST builds the config model from a parsed YAML file's first document.
func FromAST(f *ast.File) *Config {
	c := &Config{nodes: map[string]*Node{}, Start: yamlnode.Pos{Line: 1, Col: 1}}
	if f == nil || len(f.Docs) == 0 || f.Docs[0] == nil {
		return c
	}
	body := yamlnode.Unwrap(f.Docs[0].Body)
	if body == nil {
		return c
	}
	mvs := yamlnode.MappingValues(body)
	if mvs == nil {
		c.Problems = append(c.Problems, Problem{Range: yamlnode.TokenRange(body), RefusedBy: Both, Message: "a plugin config must be a mapping of keys such as version, source and credentials"})
		return c
	}
	if len(mvs) > 0 && mvs[0].Key != nil {
		c.Start = yamlnode.TokenRange(mvs[0].Key).Start
	}
	c.addMapping("", mvs)
	return c
}

func (c *Config) addMapping(prefix string, mvs []*ast.MappingValueNode) {
	for _, mv := range mvs {
		name := yamlnode.KeyText(mv.Key)
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		keyR := yamlnode.TokenRange(mv.Key)
		if prev, dup := c.nodes[path]; dup {
			c.Problems = append(c.Problems, Problem{Range: keyR, RefusedBy: Both,
				Message: fmt.Sprintf("duplicate key %q (first defined at line %d); remove one of them", path, prev.Key.Start.Line)})
			continue
		}
		n := c.node(path, mv.Value)
		n.Key = keyR
		if n.Kind == Null && n.Value.Start.Line == 0 {
			n.Value = yamlnode.Range{Start: keyR.End, End: keyR.End}
		}
		c.nodes[path] = n
		c.Order = append(c.Order, n)
		if n.Kind == Map {
			c.addMapping(path, yamlnode.MappingValues(mv.Value))
		}
	}
}

func (c *Config) node(path string, v ast.Node) *Node {
	n := &Node{Path: path}
	v = yamlnode.Unwrap(v)
	if v == nil {
		n.Kind = Null
		n.Type = "null"
		return n
	}
	n.Value = yamlnode.TokenRange(v)
	switch t := v.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		n.Kind = Map
	case *ast.SequenceNode:
		n.Kind = Seq
		for i, item := range t.Values {
			if _, alias := yamlnode.Unwrap(item).(*ast.AliasNode); alias {
				continue // reported once, for the key, not per item
			}
			n.Items = append(n.Items, c.node(fmt.Sprintf("%s[%d]", path, i), item))
		}
	case *ast.NullNode:
		n.Kind, n.Type = Null, "null"
	case *ast.AliasNode:
		n.Kind = Other
		c.Problems = append(c.Problems, Problem{Range: n.Value, RefusedBy: Tool, Message: fmt.Sprintf("%q uses an alias; write the value out: the plugin resolves aliases, finfocus-vantage does not", path)})
	case *ast.StringNode:
		n.Kind, n.Type, n.Text = Scalar, "string", t.Value
	case *ast.LiteralNode:
		n.Kind, n.Type = Scalar, "string"
		if t.Value != nil {
			n.Text = t.Value.Value
		}
	case *ast.IntegerNode:
		n.Kind, n.Type, n.Text = Scalar, "int", t.GetToken().Value
	case *ast.FloatNode:
		n.Kind, n.Type, n.Text = Scalar, "float", t.GetToken().Value
	case *ast.BoolNode:
		n.Kind, n.Type, n.Text = Scalar, "bool", t.GetToken().Value
	case ast.ScalarNode:
		n.Kind, n.Type = Scalar, "string"
		if tk := t.GetToken(); tk != nil {
			n.Text = tk.Value
		}
	default:
		n.Kind = Other
	}
	if n.Kind == Scalar {
		if tk := v.GetToken(); tk != nil {
			n.Quoted = tk.Type == token.DoubleQuoteType || tk.Type == token.SingleQuoteType
		}
	}
	return n
}
