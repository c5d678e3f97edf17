package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/rshade/finfocus-vantage/internal/lazyre"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// WorkflowSecretExposure reports CI workflows that hold a Vantage token
// literal, and pull_request_target workflows that run a pull request's
// code with Vantage secrets in reach.
var WorkflowSecretExposure = &lint.Rule{
	ID:        "workflow-secret-exposure",
	Summary:   "workflows that expose Vantage secrets",
	Severity:  lint.Error,
	Kinds:     []lint.Kind{lint.KindWorkflow, lint.KindYAML},
	Prefilter: mentionsVantage,
	Check:     checkWorkflowSecretExposure,
}

// vantageSecretRefRe finds a Vantage secret brought into a workflow.
var vantageSecretRefRe = lazyre.New(`(?i)secrets\.[A-Za-z0-9_]*(vantage|finfocus)|secrets:\s*inherit`)

// prHeadRefRe finds a checkout of the pull request's own code.
var prHeadRefRe = lazyre.New(`github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/`)

func checkWorkflowSecretExposure(pass *lint.Pass) error {
	f := pass.File
	if f.Kind == lint.KindYAML && !ciJobRe().Match(f.Src) {
		return nil // not a pipeline, nor a file one includes
	}
	y := f.YAML()
	if y.AST == nil || len(y.AST.Docs) == 0 || y.AST.Docs[0] == nil {
		return nil
	}
	root := yamlnode.Unwrap(y.AST.Docs[0].Body)
	gitlab := strings.HasSuffix(path.Base(f.Name), ".gitlab-ci.yml")
	github := strings.Contains("/"+f.Name, "/.github/") || path.Base(f.Name) == "action.yml" || path.Base(f.Name) == "action.yaml"
	for _, e := range settingsIn(root, 0) {
		val, ok := scalar(e.value)
		if !ok {
			continue
		}
		if _, found := literalCredential(e.key, val); !found {
			continue
		}
		fix := "store it as a masked secret variable of the CI system and reference it by name"
		switch {
		case github:
			fix = "store it as an encrypted repository or environment secret and reference ${{ secrets." + strings.ToUpper(strings.ReplaceAll(e.key, "-", "_")) + " }}"
		case gitlab:
			fix = "store it as a masked, protected CI/CD variable in the project settings"
		}
		pass.Report(lint.Diagnostic{Span: nodeSpan(e.value, true),
			Message: fmt.Sprintf("workflow sets %s to a literal Vantage token (%s); revoke it, then %s", e.key, vantage.Mask(val), fix)})
	}
	if github && onPullRequestTarget(get(root, "on")) && vantageSecretRefRe().Match(f.Src) {
		for _, job := range entries(get(root, "jobs")) {
			steps, ok := get(job.value, "steps").(*ast.SequenceNode)
			if !ok {
				continue
			}
			for _, st := range steps.Values {
				st = yamlnode.Unwrap(st)
				uses, _ := scalar(get(st, "uses"))
				ref := get(get(st, "with"), "ref")
				refText, _ := scalar(ref)
				if strings.HasPrefix(uses, "actions/checkout") && prHeadRefRe().MatchString(refText) {
					pass.Reportf(nodeSpan(ref, false),
						"pull_request_target workflow checks out the pull request's head while Vantage secrets are in scope, so code from a fork runs with your token; use the pull_request event, or do not check out the head in a job that can read secrets")
				}
			}
		}
	}
	return nil
}

// settingKeys are the keys under which CI systems set environment
// variables or step inputs: GitHub's env, with and secrets, GitLab's and
// Azure's variables, CircleCI's environment, Buildkite's env.
var settingKeys = map[string]bool{"env": true, "environment": true, "variables": true, "with": true, "secrets": true}

// maxSettingsDepth bounds the walk of a pipeline's nesting.
const maxSettingsDepth = 32

// settingsIn returns every name/value a pipeline sets, at any level: the
// entries of env, environment, variables, with and secrets mappings, the
// name/value items of Azure's variables lists, GitLab's {value: …}
// variables, and the defaults of an action's inputs.
func settingsIn(n ast.Node, depth int) []yamlEntry {
	n = yamlnode.Unwrap(n)
	if n == nil || depth > maxSettingsDepth {
		return nil
	}
	var out []yamlEntry
	if seq, ok := n.(*ast.SequenceNode); ok {
		for _, v := range seq.Values {
			out = append(out, settingsIn(v, depth+1)...)
		}
		return out
	}
	for _, e := range entries(n) {
		switch {
		case settingKeys[e.key]:
			for _, kv := range entries(e.value) {
				v := kv.value
				if inner := get(v, "value"); inner != nil {
					v = inner // GitLab: NAME: {value: …, description: …}
				}
				out = append(out, yamlEntry{key: kv.key, value: v})
			}
			if seq, ok := yamlnode.Unwrap(e.value).(*ast.SequenceNode); ok {
				for _, it := range seq.Values { // Azure: - name: X / value: Y
					if name, ok := scalar(get(it, "name")); ok && get(it, "value") != nil {
						out = append(out, yamlEntry{key: name, value: get(it, "value")})
					}
				}
			}
		case e.key == "inputs":
			for _, in := range entries(e.value) {
				if d := get(in.value, "default"); d != nil {
					out = append(out, yamlEntry{key: in.key, value: d})
				}
			}
		}
		out = append(out, settingsIn(e.value, depth+1)...)
	}
	return out
}

// onPullRequestTarget reports whether a workflow's `on` includes
// pull_request_target.
func onPullRequestTarget(on ast.Node) bool {
	if s, ok := scalar(on); ok {
		return s == "pull_request_target"
	}
	if seq, ok := on.(*ast.SequenceNode); ok {
		for _, v := range seq.Values {
			if s, _ := scalar(yamlnode.Unwrap(v)); s == "pull_request_target" {
				return true
			}
		}
	}
	return get(on, "pull_request_target") != nil || hasKey(on, "pull_request_target")
}

func hasKey(n ast.Node, key string) bool {
	for _, e := range entries(n) {
		if e.key == key {
			return true
		}
	}
	return false
}
