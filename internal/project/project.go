// Package project reads .finfocus-vantage.yaml, the project file a
// repository keeps at its root, as tflint keeps .tflint.hcl: which rules
// run, the severity that fails, the plugin version and paths to skip. It
// can never allow an environment variable: a pull request can edit the
// file, and must not choose which secret is sent to Vantage.
package project

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Name is the project file's name at the repository root.
const Name = ".finfocus-vantage.yaml"

// File is a project file's settings.
type File struct {
	// Enable, Disable and Only select rules, as the flags of that name do.
	Enable, Disable, Only []string
	// FailOn is the severity that fails a check ("" when not set).
	FailOn string
	// PluginVersion is the plugin version to check for ("" when not set).
	PluginVersion string
	// SkipPaths are slash-separated globs, relative to the repository
	// root, of paths not scanned ("vendor/**", "testdata/*.yaml").
	SkipPaths []string
}

// Error is a project file's mistake, at its position.
type Error struct {
	Name      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Col, e.Msg) }

// Parse reads a project file's content; name is shown in errors.
func Parse(name string, src []byte) (*File, error) {
	f := &File{}
	doc, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, &Error{Name: name, Line: 1, Col: 1, Msg: "not YAML: " + firstLine(err.Error())}
	}
	if len(doc.Docs) == 0 || doc.Docs[0].Body == nil {
		return f, nil
	}
	top, ok := doc.Docs[0].Body.(*ast.MappingNode)
	if !ok {
		return nil, at(name, doc.Docs[0].Body, "the project file is a mapping of settings (rules, fail-on, plugin-version, skip-paths)")
	}
	for _, kv := range top.Values {
		key := kv.Key.String()
		switch key {
		case "fail-on":
			s, err := scalar(name, kv.Value, []string{"error", "warning", "notice", "none"})
			if err != nil {
				return nil, err
			}
			f.FailOn = s
		case "plugin-version":
			s, err := scalar(name, kv.Value, nil)
			if err != nil {
				return nil, err
			}
			f.PluginVersion = s
		case "skip-paths":
			list, err := stringList(name, kv.Value)
			if err != nil {
				return nil, err
			}
			for i, p := range list {
				if strings.HasPrefix(p, "/") || strings.Contains(p, "..") || strings.Contains(p, "\\") {
					return nil, at(name, kv.Value.(*ast.SequenceNode).Values[i], fmt.Sprintf("skip-paths: %q must be a slash-separated path inside the repository", p))
				}
				if _, err := path.Match(strings.ReplaceAll(p, "**", "*"), ""); err != nil {
					return nil, at(name, kv.Value.(*ast.SequenceNode).Values[i], fmt.Sprintf("skip-paths: %q is not a glob: %v", p, err))
				}
			}
			f.SkipPaths = list
		case "rules":
			m, ok := kv.Value.(*ast.MappingNode)
			if !ok {
				return nil, at(name, kv.Value, "rules holds enable, disable and only, each a list of rule IDs")
			}
			for _, r := range m.Values {
				list, err := stringList(name, r.Value)
				if err != nil {
					return nil, err
				}
				switch r.Key.String() {
				case "enable":
					f.Enable = list
				case "disable":
					f.Disable = list
				case "only":
					f.Only = list
				default:
					return nil, at(name, r.Key, fmt.Sprintf("rules: unknown key %q; use enable, disable or only", r.Key.String()))
				}
			}
		case "allow-env", "allow_env", "allowEnv":
			return nil, at(name, kv.Key, "the project file cannot allow an environment variable: a pull request can edit it, and must not choose which secret is sent to Vantage; pass --allow-env NAME on the command line, or the Action's allow-env input")
		default:
			return nil, at(name, kv.Key, fmt.Sprintf("unknown setting %q; the settings are rules, fail-on, plugin-version and skip-paths", key))
		}
	}
	return f, nil
}

// Skip reports whether a slash-separated path relative to the repository
// root is one the project file skips. "dir/**" skips everything under
// dir; a glob with a slash matches the path or a folder of it from the
// root; one without matches any file or folder name at any depth.
func (f *File) Skip(rel string) bool {
	if f == nil {
		return false
	}
	for _, g := range f.SkipPaths {
		if prefix, ok := strings.CutSuffix(g, "/**"); ok && !strings.ContainsAny(prefix, "*?[") {
			if rel == prefix || strings.HasPrefix(rel, prefix+"/") {
				return true
			}
			continue
		}
		if ok, _ := path.Match(g, rel); ok {
			return true
		}
		// A glob with a slash names paths from the root: it skips a folder
		// it matches. One without names any file or folder, at any depth,
		// as in .gitignore.
		for p := rel; p != "." && p != "/"; p = path.Dir(p) {
			subject := p
			if !strings.Contains(g, "/") {
				subject = path.Base(p)
			}
			if ok, _ := path.Match(g, subject); ok {
				return true
			}
		}
	}
	return false
}

func scalar(name string, n ast.Node, allowed []string) (string, error) {
	s, ok := n.(ast.ScalarNode)
	if !ok {
		return "", at(name, n, "want a single value")
	}
	v := fmt.Sprint(s.GetValue())
	if allowed != nil && !slices.Contains(allowed, v) {
		return "", at(name, n, fmt.Sprintf("%q is not one of %s", v, strings.Join(allowed, ", ")))
	}
	return v, nil
}

func stringList(name string, n ast.Node) ([]string, error) {
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		return nil, at(name, n, "want a list")
	}
	var out []string
	for _, v := range seq.Values {
		s, ok := v.(ast.ScalarNode)
		if !ok {
			return nil, at(name, v, "want a string")
		}
		out = append(out, fmt.Sprint(s.GetValue()))
	}
	return out, nil
}

func at(name string, n ast.Node, msg string) error {
	e := &Error{Name: name, Line: 1, Col: 1, Msg: msg}
	if n != nil && n.GetToken() != nil {
		e.Line, e.Col = n.GetToken().Position.Line, n.GetToken().Position.Column
	}
	return e
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
