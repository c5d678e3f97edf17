package rules

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// TerraformTokenExposure reports Vantage tokens exposed by Terraform: a
// literal api_token in the vantage provider, token variables with literal
// defaults or without sensitive = true, outputs that expose them, and
// tfvars assignments of token literals.
var TerraformTokenExposure = &lint.Rule{
	ID:        "terraform-token-exposure",
	Summary:   "tokens exposed by Terraform code or tfvars",
	Severity:  lint.Error,
	Kinds:     []lint.Kind{lint.KindHCL},
	Prefilter: mentionsVantage,
	Check:     checkTerraformFile,
	CheckAll:  checkTerraformModules,
}

func checkTerraformFile(pass *lint.Pass) error {
	facts := terraformFacts(pass.File)
	if facts == nil {
		return nil
	}
	f := pass.File
	if d := facts.syntaxErr; d != nil && d.Subject != nil {
		sp := f.SpanOf(d.Subject.Start.Byte, d.Subject.Start.Byte)
		sp.Anchor = "syntax"
		pass.Report(lint.Diagnostic{Span: sp, Severity: lint.Warning,
			Message: fmt.Sprintf("Terraform syntax error: %s: %s; fix it so this file can be checked for exposed tokens", strings.ToLower(d.Summary), lowerFirst(strings.TrimSuffix(d.Detail, ".")))})
	}
	for _, p := range facts.providers {
		if v := p["api_token"]; v != nil && isSecretLiteral(v) {
			pass.Report(lint.Diagnostic{Span: tfSpan(f, v, true),
				Message: fmt.Sprintf(`provider "vantage" sets api_token to a literal token (%s); pass it in a sensitive variable or the VANTAGE_API_TOKEN environment variable, and rotate it`, vantage.Mask(v.literal))})
		}
	}
	for _, v := range facts.variables {
		if v.def != nil && v.def.isLiteral && vantage.ClassifyToken(v.def.literal).IsSecret() {
			pass.Report(lint.Diagnostic{Span: tfSpan(f, v.def, true),
				Message: fmt.Sprintf(`variable %q has a Vantage token as its default (%s); remove the default and supply the value from a secret store (TF_VAR_%s)`, v.name, vantage.Mask(v.def.literal), v.name)})
		}
	}
	for _, a := range facts.assigns {
		if a.value.isLiteral && (vantage.ClassifyToken(a.value.literal).IsSecret() || (isTokenVarName(a.name) && isSecretLiteral(a.value))) {
			pass.Report(lint.Diagnostic{Span: tfSpan(f, a.value, true),
				Message: fmt.Sprintf(`%q is assigned a literal Vantage token (%s) in a tfvars file; set it from a secret store as TF_VAR_%s instead, and keep token-bearing tfvars out of git`, a.name, vantage.Mask(a.value.literal), a.name)})
		}
	}
	return nil
}

// checkTerraformModules correlates the files of each Terraform module
// (folder): which variables carry the token, and who exposes them.
func checkTerraformModules(pass *lint.Pass) error {
	type module struct {
		files  []*lint.File
		tokens map[string]bool
	}
	mods := map[string]*module{}
	var dirs []string
	for _, f := range pass.Files {
		facts := terraformFacts(f)
		if facts == nil {
			continue
		}
		m := mods[facts.dir]
		if m == nil {
			m = &module{tokens: map[string]bool{}}
			mods[facts.dir] = m
			dirs = append(dirs, facts.dir)
		}
		m.files = append(m.files, f)
		for _, p := range facts.providers {
			if v := p["api_token"]; v != nil {
				for _, name := range v.vars {
					m.tokens[name] = true
				}
			}
		}
		for _, v := range facts.variables {
			if isTokenVarName(v.name) {
				m.tokens[v.name] = true
			}
		}
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		m := mods[dir]
		if len(m.tokens) > 0 {
			m.files = append(m.files, moduleSiblings(pass.Settings, dir, m.files)...)
			for _, f := range m.files {
				for _, v := range facts(f).variables {
					if isTokenVarName(v.name) {
						m.tokens[v.name] = true
					}
				}
			}
		}
		for _, f := range m.files {
			facts := facts(f)
			for _, v := range facts.variables {
				if !m.tokens[v.name] {
					continue
				}
				if v.def != nil && isSecretLiteral(v.def) && !vantage.ClassifyToken(v.def.literal).IsSecret() {
					pass.Report(lint.Diagnostic{File: f, Span: tfSpan(f, v.def, true),
						Message: fmt.Sprintf(`variable %q carries the Vantage token but has a literal default; remove the default and supply the value from a secret store (TF_VAR_%s)`, v.name, v.name)})
				}
				if !v.sensitive {
					sp := f.SpanOf(v.nameStart, v.nameEnd)
					sp.Anchor = v.name
					pass.Report(lint.Diagnostic{File: f, Span: sp, Severity: lint.Warning,
						Message: fmt.Sprintf(`variable %q carries the Vantage token but is not marked sensitive; add sensitive = true so Terraform keeps it out of plans and logs`, v.name)})
				}
			}
			for _, o := range facts.outputs {
				if o.value == nil || o.sensitive {
					continue
				}
				for _, name := range o.value.exposed {
					if m.tokens[name] {
						pass.Report(lint.Diagnostic{File: f, Span: tfSpan(f, o.value, false),
							Message: fmt.Sprintf(`output %q exposes var.%s, the Vantage token, without sensitive = true; remove the output or mark it sensitive`, o.name, name)})
						break
					}
				}
			}
			for _, a := range facts.assigns {
				if m.tokens[a.name] && isSecretLiteral(a.value) && !vantage.ClassifyToken(a.value.literal).IsSecret() && !isTokenVarName(a.name) {
					pass.Report(lint.Diagnostic{File: f, Span: tfSpan(f, a.value, true),
						Message: fmt.Sprintf(`%q carries the Vantage token and is assigned a literal in a tfvars file; set it from a secret store as TF_VAR_%s instead`, a.name, a.name)})
				}
			}
		}
	}
	return nil
}

// facts returns a file's Terraform facts, parsing it if the keyword
// prefilter skipped it (a module sibling read for its variables).
func facts(f *lint.File) *tfFacts {
	if t := terraformFacts(f); t != nil {
		return t
	}
	return f.Memo(tfSiblingKey{}, func() any { return parseTerraform(f) }).(*tfFacts)
}

type tfSiblingKey struct{}

// moduleSiblings reads the Terraform files of a module folder that the
// keyword prefilter passed over: they may declare the variables the vantage
// provider uses, or assign them in tfvars.
func moduleSiblings(s *lint.Settings, dir string, have []*lint.File) []*lint.File {
	seen := map[string]bool{}
	for _, f := range have {
		seen[f.Name] = true
	}
	abs := filepath.Join(s.Cwd, filepath.FromSlash(dir))
	if filepath.IsAbs(dir) {
		abs = filepath.FromSlash(dir)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil
	}
	var out []*lint.File
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		// Regular files only: a committed zero.tf -> /dev/zero or a FIFO
		// named pipe.tf is neither followed nor read (lint.ReadFile checks
		// again on the open file, so a swap after ReadDir changes nothing).
		if !e.Type().IsRegular() || seen[name] || lint.KindOf(name) != lint.KindHCL {
			continue
		}
		src, err := lint.ReadFile(filepath.Join(abs, e.Name()), false)
		if err != nil || len(src) > lint.MaxYAMLSize {
			continue
		}
		out = append(out, lint.NewFile(name, src))
	}
	return out
}

// isSecretLiteral reports whether a value is a literal that could be a
// real credential: not empty, not a placeholder, not an identifier.
func isSecretLiteral(v *tfValue) bool {
	if v == nil || !v.isLiteral || v.literal == "" {
		return false
	}
	switch vantage.ClassifyToken(v.literal) {
	case vantage.Placeholder, vantage.ReportID, vantage.WorkspaceID, vantage.EnvReference:
		return false
	}
	return true
}

func tfSpan(f *lint.File, v *tfValue, secret bool) lint.Span {
	start, end := v.start, v.end
	if v.isLiteral && end-start >= 2 && f.Src[start] == '"' && f.Src[end-1] == '"' {
		start, end = start+1, end-1 // the value, not its quotes
	}
	sp := f.SpanOf(start, end)
	if sp.EndLine != sp.Line {
		sp.EndLine, sp.EndCol = sp.Line, sp.Col+1
	}
	sp.Secret = secret
	return sp
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
