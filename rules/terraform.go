package rules

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/zclconf/go-cty/cty"
)

// tfValue is an attribute's expression: its literal string value when it
// has one, the variables it references, and where it is.
type tfValue struct {
	literal   string
	isLiteral bool
	vars      []string
	// exposed are the variables whose value the expression passes on:
	// not those only measured, hashed or compared (length(var.t),
	// sha256(var.t), var.t != "").
	exposed []string
	start   int // byte offsets of the expression
	end     int
}

type tfVariable struct {
	name       string
	nameStart  int
	nameEnd    int
	def        *tfValue
	sensitive  bool
	hasDefault bool
}

type tfOutput struct {
	name      string
	nameStart int
	nameEnd   int
	value     *tfValue
	sensitive bool
}

type tfAssign struct {
	name  string
	value *tfValue
}

// tfFacts is what the Terraform rules need from one file, extracted once.
type tfFacts struct {
	dir        string
	syntaxErr  *hcl.Diagnostic
	providers  []map[string]*tfValue // attributes of each provider "vantage" block
	variables  []tfVariable
	outputs    []tfOutput
	assigns    []tfAssign // .tfvars
	isVarsFile bool
}

type tfKey struct{}

var tfSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "provider", LabelNames: []string{"name"}},
	{Type: "variable", LabelNames: []string{"name"}},
	{Type: "output", LabelNames: []string{"name"}},
}}

// terraformFacts parses a Terraform file once and extracts its facts, or
// returns nil when the file is not Terraform or mentions no keyword.
func terraformFacts(f *lint.File) *tfFacts {
	return f.Memo(tfKey{}, func() any {
		// Only files that mention Vantage are parsed here; the other files of
		// a module that uses the vantage provider are read later, when its
		// variables must be resolved (checkTerraformModules).
		if f.Kind != lint.KindHCL || !mentionsVantage(f) {
			return (*tfFacts)(nil)
		}
		return parseTerraform(f)
	}).(*tfFacts)
}

// parseTerraform parses a Terraform file and extracts its facts.
func parseTerraform(f *lint.File) *tfFacts {
	{
		facts := &tfFacts{dir: path.Dir(f.Name)}
		lower := strings.ToLower(f.Name)
		facts.isVarsFile = strings.HasSuffix(lower, ".tfvars") || strings.HasSuffix(lower, ".tfvars.json")
		var file *hcl.File
		var diags hcl.Diagnostics
		if len(f.Src) > lint.MaxYAMLSize {
			// Like YAML: the parsers' memory is many times the file's, and
			// no Terraform file of interest is this large. leaked-token
			// still reads every line.
			facts.syntaxErr = &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("larger than %d MiB", lint.MaxYAMLSize>>20),
				Detail:  "the file was not parsed (leaked-token still read every line)",
				Subject: &hcl.Range{Filename: f.Name, Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 2, Byte: 1}}}
			return facts
		}
		if off, deep := lint.NestingTooDeep(f.Src, lint.MaxNesting); deep {
			// The HCL parsers recurse once per level: 60,000 levels
			// overflow the stack, which no recover can catch.
			l, c := f.Position(off)
			pos := hcl.Pos{Line: l, Column: c, Byte: off}
			facts.syntaxErr = &hcl.Diagnostic{Severity: hcl.DiagError,
				Summary: fmt.Sprintf("nesting deeper than %d levels", lint.MaxNesting), Detail: "the file was not parsed",
				Subject: &hcl.Range{Filename: f.Name, Start: pos, End: hcl.Pos{Line: l, Column: c + 1, Byte: off + 1}}}
			return facts
		}
		if strings.HasSuffix(lower, ".json") {
			file, diags = hcljson.Parse(f.Src, f.Name)
		} else {
			file, diags = hclsyntax.ParseConfig(f.Src, f.Name, hcl.InitialPos)
		}
		if diags.HasErrors() {
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					facts.syntaxErr = d
					break
				}
			}
		}
		if file == nil || file.Body == nil {
			return facts
		}
		if facts.isVarsFile {
			attrs, _ := file.Body.JustAttributes()
			for name, a := range attrs {
				facts.assigns = append(facts.assigns, tfAssign{name: name, value: tfExpr(a.Expr)})
			}
			return facts
		}
		content, _, _ := file.Body.PartialContent(tfSchema)
		if content == nil {
			return facts
		}
		for _, b := range content.Blocks {
			if len(b.Labels) == 0 {
				continue
			}
			attrs, _ := b.Body.JustAttributes()
			switch b.Type {
			case "provider":
				if b.Labels[0] != "vantage" {
					continue
				}
				m := map[string]*tfValue{}
				for name, a := range attrs {
					m[name] = tfExpr(a.Expr)
				}
				facts.providers = append(facts.providers, m)
			case "variable":
				v := tfVariable{name: b.Labels[0], nameStart: b.LabelRanges[0].Start.Byte, nameEnd: b.LabelRanges[0].End.Byte}
				if a, ok := attrs["default"]; ok {
					v.def, v.hasDefault = tfExpr(a.Expr), true
				}
				if a, ok := attrs["sensitive"]; ok {
					v.sensitive = tfTrue(a.Expr)
				}
				facts.variables = append(facts.variables, v)
			case "output":
				o := tfOutput{name: b.Labels[0], nameStart: b.LabelRanges[0].Start.Byte, nameEnd: b.LabelRanges[0].End.Byte}
				if a, ok := attrs["value"]; ok {
					o.value = tfExpr(a.Expr)
				}
				if a, ok := attrs["sensitive"]; ok {
					o.sensitive = tfTrue(a.Expr)
				}
				facts.outputs = append(facts.outputs, o)
			}
		}
		return facts
	}
}

func tfExpr(e hcl.Expression) *tfValue {
	r := e.Range()
	v := &tfValue{start: r.Start.Byte, end: r.End.Byte}
	for _, t := range e.Variables() {
		if t.RootName() == "var" && len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				v.vars = append(v.vars, a.Name)
			}
		}
	}
	v.exposed = exposedVars(e)
	if len(e.Variables()) == 0 {
		if val, diags := e.Value(nil); !diags.HasErrors() && val.Type() == cty.String && val.IsKnown() && !val.IsNull() {
			v.literal, v.isLiteral = val.AsString(), true
		}
	}
	return v
}

// concealing are functions whose result reveals nothing usable of their
// arguments: a length, a hash.
var concealing = map[string]bool{
	"length": true, "sha1": true, "sha256": true, "sha512": true, "md5": true, "bcrypt": true,
	"base64sha256": true, "base64sha512": true, "uuidv5": true, "can": true, "issensitive": true,
}

// exposedVars returns the var.NAME references whose value e passes on.
func exposedVars(e hcl.Expression) []string {
	var out []string
	all := func(x hcl.Expression) {
		for _, t := range x.Variables() {
			if t.RootName() == "var" && len(t) > 1 {
				if a, ok := t[1].(hcl.TraverseAttr); ok {
					out = append(out, a.Name)
				}
			}
		}
	}
	var walk func(x hclsyntax.Expression, depth int)
	walk = func(x hclsyntax.Expression, depth int) {
		if depth > 64 {
			all(x)
			return
		}
		switch t := x.(type) {
		case *hclsyntax.FunctionCallExpr:
			if concealing[t.Name] {
				return
			}
			for _, a := range t.Args {
				walk(a, depth+1)
			}
		case *hclsyntax.BinaryOpExpr:
			switch t.Op {
			case hclsyntax.OpEqual, hclsyntax.OpNotEqual, hclsyntax.OpLessThan, hclsyntax.OpLessThanOrEqual,
				hclsyntax.OpGreaterThan, hclsyntax.OpGreaterThanOrEqual, hclsyntax.OpLogicalAnd, hclsyntax.OpLogicalOr:
				return // a boolean
			}
			walk(t.LHS, depth+1)
			walk(t.RHS, depth+1)
		case *hclsyntax.UnaryOpExpr:
			if t.Op == hclsyntax.OpLogicalNot {
				return
			}
			walk(t.Val, depth+1)
		case *hclsyntax.ConditionalExpr:
			walk(t.TrueResult, depth+1) // the condition is a boolean
			walk(t.FalseResult, depth+1)
		case *hclsyntax.TemplateExpr:
			for _, p := range t.Parts {
				walk(p, depth+1)
			}
		case *hclsyntax.TemplateWrapExpr:
			walk(t.Wrapped, depth+1)
		case *hclsyntax.ParenthesesExpr:
			walk(t.Expression, depth+1)
		case *hclsyntax.TupleConsExpr:
			for _, it := range t.Exprs {
				walk(it, depth+1)
			}
		case *hclsyntax.ObjectConsExpr:
			for _, it := range t.Items {
				walk(it.ValueExpr, depth+1)
			}
		default:
			all(x)
		}
	}
	if x, ok := e.(hclsyntax.Expression); ok {
		walk(x, 0)
	} else {
		all(e)
	}
	return out
}

func tfTrue(e hcl.Expression) bool {
	val, diags := e.Value(nil)
	return !diags.HasErrors() && val.Type() == cty.Bool && val.IsKnown() && !val.IsNull() && val.True()
}

func containsAnyString(src []byte, kws []string) bool {
	for _, k := range kws {
		if bytes.Contains(src, []byte(k)) {
			return true
		}
	}
	return false
}

// tokenVarNameRe matches variable names that carry a Vantage token.
var tokenVarNameRe = lazyre.New(`(?i)vantage.*(token|key|secret)|(token|key|secret).*vantage`)

// identifierNameRe matches names of the Vantage provider's object tokens
// (workspace_token, folder_token, cost_report_token…): identifiers such as
// wrkspc_…, not secrets, whatever "token" in their name suggests.
var identifierNameRe = lazyre.New(`(?i)(workspace|report|folder|dashboard|segment|team|budget|filter|integration|grant|user|metric|anomaly|alert|group|view)_?token`)

// isTokenVarName reports whether a variable's name says it carries the
// Vantage API token.
func isTokenVarName(name string) bool {
	return tokenVarNameRe().MatchString(name) && !identifierNameRe().MatchString(name)
}
