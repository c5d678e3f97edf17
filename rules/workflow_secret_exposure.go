package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/goccy/go-yaml/ast"
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
	Kinds:     []lint.Kind{lint.KindWorkflow},
	Prefilter: mentionsVantage,
	Check:     checkWorkflowSecretExposure,
}

// vantageSecretRefRe finds a Vantage secret brought into a workflow.
var vantageSecretRefRe = regexp.MustCompile(`(?i)secrets\.[A-Za-z0-9_]*(vantage|finfocus)|secrets:\s*inherit`)

// prHeadRefRe finds a checkout of the pull request's own code.
var prHeadRefRe = regexp.MustCompile(`github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/`)

// gitlabReserved are top-level .gitlab-ci.yml keys that are not jobs.
var gitlabReserved = map[string]bool{"default": true, "include": true, "stages": true, "variables": true, "workflow": true, "image": true, "services": true, "cache": true, "before_script": true, "after_script": true}

func checkWorkflowSecretExposure(pass *lint.Pass) error {
	f := pass.File
	y := f.YAML()
	if y.AST == nil || len(y.AST.Docs) == 0 || y.AST.Docs[0] == nil {
		return nil
	}
	root := yamlnode.Unwrap(y.AST.Docs[0].Body)
	gitlab := strings.HasSuffix(path.Base(f.Name), ".gitlab-ci.yml")
	var maps []ast.Node // env, with and variables mappings
	if gitlab {
		maps = append(maps, get(root, "variables"))
		for _, job := range entries(root) {
			if !gitlabReserved[job.key] {
				maps = append(maps, get(job.value, "variables"))
			}
		}
	} else {
		maps = append(maps, get(root, "env"))
		for _, job := range entries(get(root, "jobs")) {
			maps = append(maps, get(job.value, "env"), get(get(job.value, "container"), "env"), get(job.value, "with"), get(job.value, "secrets"))
			for _, svc := range entries(get(job.value, "services")) {
				maps = append(maps, get(svc.value, "env"))
			}
			if steps, ok := get(job.value, "steps").(*ast.SequenceNode); ok {
				for _, st := range steps.Values {
					st = yamlnode.Unwrap(st)
					maps = append(maps, get(st, "env"), get(st, "with"))
				}
			}
		}
	}
	for _, m := range maps {
		for _, e := range entries(m) {
			v := e.value
			if gitlab {
				if inner := get(v, "value"); inner != nil {
					v = inner
				}
			}
			val, ok := scalar(v)
			if !ok {
				continue
			}
			if _, found := literalCredential(e.key, val); !found {
				continue
			}
			fix := "store it as an encrypted repository or environment secret and reference ${{ secrets." + strings.ToUpper(strings.ReplaceAll(e.key, "-", "_")) + " }}"
			if gitlab {
				fix = "store it as a masked, protected CI/CD variable in the project settings"
			}
			pass.Report(lint.Diagnostic{Span: nodeSpan(v, true),
				Message: fmt.Sprintf("workflow sets %s to a literal Vantage token (%s); revoke it, then %s", e.key, vantage.Mask(val), fix)})
		}
	}
	if !gitlab && onPullRequestTarget(get(root, "on")) && vantageSecretRefRe.Match(f.Src) {
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
				if strings.HasPrefix(uses, "actions/checkout") && prHeadRefRe.MatchString(refText) {
					pass.Reportf(nodeSpan(ref, false),
						"pull_request_target workflow checks out the pull request's head while Vantage secrets are in scope, so code from a fork runs with your token; use the pull_request event, or do not check out the head in a job that can read secrets")
				}
			}
		}
	}
	return nil
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
