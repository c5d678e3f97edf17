package rules

import (
	"errors"
	"path"
	"strings"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// ConfigNotIgnored reports files that hold a literal Vantage token and
// that .gitignore does not cover: configs, .env files, *.token, *.secret,
// tfvars.
var ConfigNotIgnored = &lint.Rule{
	ID:       "config-not-ignored",
	Summary:  "token-bearing files that .gitignore does not cover",
	Severity: lint.Error,
	Check:    checkConfigNotIgnored,
}

// ignoreCandidate reports whether a file is of a kind that belongs in
// .gitignore when it holds a token, and the pattern to add.
func ignoreCandidate(f *lint.File) (pattern string, ok bool) {
	base := path.Base(f.Name)
	lower := strings.ToLower(base)
	switch {
	case f.Kind == lint.KindEnv:
		if lower == ".env" || strings.HasPrefix(lower, ".env.") {
			return ".env*", true
		}
		return "*.env", true
	case strings.HasSuffix(lower, ".token"), strings.HasSuffix(lower, ".secret"), strings.HasSuffix(lower, ".secrets"):
		return "*" + path.Ext(lower), true
	case strings.HasSuffix(lower, ".tfvars"), strings.HasSuffix(lower, ".tfvars.json"):
		return "/" + f.Name, true
	}
	if IsConfig(f) {
		return "/" + f.Name, true
	}
	return "", false
}

func checkConfigNotIgnored(pass *lint.Pass) error {
	f := pass.File
	if pass.Settings.Ignored == nil {
		return nil
	}
	pattern, ok := ignoreCandidate(f)
	if !ok {
		return nil
	}
	hits, err := secretsIn(f, pass.Settings)
	if err != nil && !errors.Is(err, lint.ErrIncomplete) {
		return err // an incomplete search is leaked-token's to report
	}
	var value string
	var sp lint.Span
	for _, h := range hits {
		if h.kind.IsSecret() {
			value, sp = h.value, f.SpanOf(h.start, h.end)
			break
		}
	}
	if value == "" {
		// A plugin config's literal token that the detector's key-based
		// rules do not name (credentials.token: cr_…).
		if v, ok := pluginConfig(f); ok && v.cfg != nil {
			if n := v.cfg.Get("credentials.token"); isLiteral(n) && vantage.ClassifyToken(n.Text).IsSecret() {
				value, sp = n.Text, span(n.Value)
			}
		}
	}
	if value == "" {
		return nil
	}
	sp.Secret, sp.Anchor = true, pass.Settings.PathInRepo(f.Name)
	ignored, inRepo := pass.Settings.Ignored(f.Name)
	if !inRepo || ignored {
		return nil
	}
	pass.Reportf(sp,
		"%s holds a literal Vantage token (%s) and .gitignore does not cover it; add the line %s to .gitignore, run `git rm --cached %s` if it was committed, and rotate the token",
		path.Base(f.Name), vantage.Mask(value), pattern, f.Name)
	return nil
}
