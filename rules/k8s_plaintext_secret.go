package rules

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/rshade/finfocus-vantage/internal/yamlnode"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// K8sPlaintextSecret reports Kubernetes Secrets and ConfigMaps committed
// with a Vantage token in them.
var K8sPlaintextSecret = &lint.Rule{
	ID:       "k8s-plaintext-secret",
	Summary:  "plaintext Secrets and ConfigMaps holding a token",
	Severity: lint.Error,
	Kinds:    []lint.Kind{lint.KindYAML},
	Keywords: []string{"Secret", "ConfigMap"},
	Check:    checkK8sPlaintextSecret,
}

// manifests returns the Secrets and ConfigMaps of one document: the
// document itself, or the items of a List (kind: List, SecretList…),
// nested lists included.
func manifests(body ast.Node, depth int) []ast.Node {
	kind, _ := scalar(get(body, "kind"))
	switch {
	case kind == "Secret" || kind == "ConfigMap":
		return []ast.Node{body}
	case strings.HasSuffix(kind, "List") && depth < 8:
		var out []ast.Node
		if items, ok := get(body, "items").(*ast.SequenceNode); ok {
			for _, it := range items.Values {
				out = append(out, manifests(yamlnode.Unwrap(it), depth+1)...)
			}
		}
		return out
	}
	return nil
}

func checkK8sPlaintextSecret(pass *lint.Pass) error {
	f := pass.File
	if !bytes.Contains(f.Src, []byte("kind:")) || !(mentionsVantage(f) || containsAnyString(f.Src, base64TokenKeywords)) {
		return nil
	}
	y := f.YAML()
	if y.AST == nil {
		return nil // not YAML we can read; other rules report syntax where it matters
	}
	var objects []ast.Node
	for _, doc := range y.AST.Docs {
		if doc != nil {
			objects = append(objects, manifests(yamlnode.Unwrap(doc.Body), 0)...)
		}
	}
	for _, body := range objects {
		kind, _ := scalar(get(body, "kind"))
		name, _ := scalar(get(get(body, "metadata"), "name"))
		sections := []string{"data"}
		if kind == "Secret" {
			sections = []string{"stringData", "data"}
		}
		for _, section := range sections {
			for _, e := range entries(get(body, section)) {
				val, ok := scalar(e.value)
				if !ok {
					continue
				}
				encoded := kind == "Secret" && section == "data"
				if encoded {
					dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(val))
					if err != nil {
						continue
					}
					val = strings.TrimRight(string(dec), "\r\n")
				}
				tk, found := literalCredential(e.key, val)
				if !found {
					continue
				}
				what := "a Vantage token"
				if tk != vantage.NotToken {
					what = "a " + tk.String()
				}
				if kind == "Secret" {
					how := "committed"
					if encoded {
						how = "committed base64-encoded, which is not encryption"
					}
					pass.Report(lint.Diagnostic{Span: nodeSpan(e.value, true),
						Message: fmt.Sprintf("Secret %q holds %s (%s) under %s.%s, %s; keep the token in an external store (Vault, AWS Secrets Manager, External Secrets, Sealed Secrets) and sync it into the cluster",
							name, what, vantage.Mask(val), section, e.key, how)})
				} else {
					pass.Report(lint.Diagnostic{Span: nodeSpan(e.value, true),
						Message: fmt.Sprintf("ConfigMap %q holds %s (%s) under data.%s; ConfigMaps are not secret: move it to a Secret synced from an external store (Vault, AWS Secrets Manager, External Secrets, Sealed Secrets)",
							name, what, vantage.Mask(val), e.key)})
				}
			}
		}
	}
	return nil
}
