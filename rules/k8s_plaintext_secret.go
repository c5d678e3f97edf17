package rules

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"

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

func checkK8sPlaintextSecret(pass *lint.Pass) error {
	f := pass.File
	if !bytes.Contains(f.Src, []byte("kind:")) || !(mentionsVantage(f) || containsAnyString(f.Src, base64TokenKeywords)) {
		return nil
	}
	y := f.YAML()
	if y.AST == nil {
		return nil // not YAML we can read; other rules report syntax where it matters
	}
	for _, doc := range y.AST.Docs {
		if doc == nil {
			continue
		}
		body := yamlnode.Unwrap(doc.Body)
		kind, _ := scalar(get(body, "kind"))
		if kind != "Secret" && kind != "ConfigMap" {
			continue
		}
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
