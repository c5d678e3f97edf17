package rules

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// TokenReuse reports one bearer token shared by configs of different
// environments. Values are compared by hash and never printed.
var TokenReuse = &lint.Rule{
	ID:       "token-reuse",
	Summary:  "one token shared by configs of different environments",
	Severity: lint.Error,
	CheckAll: checkTokenReuse,
}

// tokenUse is one config's bearer token, identified by hash.
type tokenUse struct {
	file *lint.File
	sp   lint.Span
	env  string
	ref  string // the variable it came from, "" for a literal
	hash [32]byte
}

func checkTokenReuse(pass *lint.Pass) error {
	groups := map[[32]byte][]tokenUse{}
	for _, f := range pass.Files {
		v, ok := pluginConfig(f)
		if !ok || v.cfg == nil {
			continue
		}
		n := v.cfg.Get("credentials.token")
		if n == nil || n.Kind != vantage.Scalar || n.Text == "" {
			continue
		}
		env, _ := Environment(f, v.cfg, pass.Settings)
		u := tokenUse{file: f, sp: valueSpan(n, true), env: env}
		switch {
		case isLiteral(n):
			if k := vantage.ClassifyToken(n.Text); !k.IsSecret() && k != vantage.NotToken {
				continue // placeholders and identifiers are not tokens
			}
			u.hash = sha256.Sum256([]byte(n.Text))
		case pass.Settings.ResolveEnv:
			val, err := resolver(pass.Settings).Expand(n.Text)
			if err != nil || val == "" {
				continue
			}
			u.ref = n.Text
			u.hash = sha256.Sum256([]byte(val))
		default:
			continue
		}
		groups[u.hash] = append(groups[u.hash], u)
	}
	for _, uses := range groups {
		for i, u := range uses {
			var others []string
			for j, o := range uses {
				// Two configs naming the same variable share it by
				// construction in this process; that is not reuse.
				if i == j || o.env == u.env || (u.ref != "" && u.ref == o.ref) {
					continue
				}
				others = append(others, fmt.Sprintf("%s (%s)", o.file.Name, o.env))
			}
			if len(others) == 0 {
				continue
			}
			sort.Strings(others)
			pass.Report(lint.Diagnostic{File: u.file, Span: u.sp,
				Message: fmt.Sprintf("the %s token here is also used by %s; issue one token per environment so a leak in one does not expose the others",
					u.env, strings.Join(others, ", "))})
		}
	}
	return nil
}
