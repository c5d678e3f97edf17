package rules

import (
	"errors"
	"fmt"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/suggest"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// UnresolvedEnvRef reports ${NAME} references the plugin cannot expand:
// malformed ones, unknown FINFOCUS_VANTAGE_* names, a known name in the
// wrong field and, with --resolve-env, variables that are not set.
var UnresolvedEnvRef = &lint.Rule{
	ID:        "unresolved-env-ref",
	Summary:   "environment references the plugin cannot resolve",
	Severity:  lint.Error,
	Kinds:     configKinds,
	Prefilter: mentionsVantageLower,
	Check:     checkUnresolvedEnvRef,
}

func checkUnresolvedEnvRef(pass *lint.Pass) error {
	v, ok := pluginConfig(pass.File)
	if !ok || v.cfg == nil {
		return nil
	}
	c := v.cfg
	fieldEnv := map[string]string{}
	for _, f := range tokenFields {
		fieldEnv[f.path] = f.env
	}
	for _, n := range c.Order {
		for _, s := range append([]*vantage.Node{n}, n.Items...) {
			if s.Kind != vantage.Scalar || s.Type != "string" {
				continue
			}
			checkRefs(pass, s, fieldEnv[n.Path])
		}
	}
	if !pass.Settings.ResolveEnv {
		return nil
	}
	res := resolver(pass.Settings)
	for _, f := range tokenFields {
		n := c.Get(f.path)
		if n == nil || n.Kind != vantage.Scalar {
			continue
		}
		refs, _ := vantage.ParseRefs(n.Text)
		for _, ref := range refs {
			if !vantage.ReadableEnvName(ref.Name, pass.Settings.AllowEnv) {
				continue // reported above, and never looked up
			}
			r, err := res.Resolve(ref.Name)
			sp := innerSpan(n, ref.Start, ref.End)
			sp.Anchor = ref.Name
			reportResolution(pass, sp, r, err, "")
		}
	}
	if c.Get("credentials.token") == nil {
		r, err := res.Resolve(vantage.EnvToken)
		at := lint.Span{Line: c.Start.Line, Col: c.Start.Col, Anchor: "credentials.token"}
		if n := c.Get("credentials"); n != nil {
			at = span(n.Key)
			at.Anchor = "credentials.token"
		}
		reportResolution(pass, at, r, err, `"credentials.token" is not set, so the plugin reads `+vantage.EnvToken+", but ")
	}
	return nil
}

// checkRefs reports malformed and misplaced references in one value.
func checkRefs(pass *lint.Pass, n *vantage.Node, want string) {
	refs, bad := vantage.ParseRefs(n.Text)
	for _, b := range bad {
		sp := innerSpan(n, b.Start, b.End)
		sp.Anchor = b.Text
		var sev lint.Severity
		if b.Placeholder {
			sev = lint.Notice
		}
		pass.Report(lint.Diagnostic{Span: sp, Severity: sev, Message: fmt.Sprintf("reference %s in %q %s", b.Text, n.Path, b.Problem)})
	}
	for _, ref := range refs {
		sp := innerSpan(n, ref.Start, ref.End)
		sp.Anchor = ref.Name
		switch {
		case strings.HasPrefix(ref.Name, vantage.EnvPrefix) && !vantage.IsKnownEnvName(ref.Name):
			msg := fmt.Sprintf("%q references %s, which the plugin does not know", n.Path, ref.Name)
			if s := suggest.Closest(ref.Name, vantage.KnownEnvNames); s != "" {
				msg += fmt.Sprintf("; did you mean ${%s}?", s)
			} else if want != "" {
				msg += fmt.Sprintf("; use ${%s}", want)
			}
			pass.Reportf(sp, "%s", msg)
		case want != "" && strings.HasSuffix(ref.Name, vantage.FileSuffix) && vantage.IsKnownEnvName(ref.Name):
			pass.Reportf(sp, "%q references %s, which holds a file path, not the token; reference ${%s} instead and keep %s set: the plugin reads the file",
				n.Path, ref.Name, strings.TrimSuffix(ref.Name, vantage.FileSuffix), ref.Name)
		case want != "" && vantage.IsKnownEnvName(ref.Name) && ref.Name != want:
			pass.Reportf(sp, "%q references %s, which is meant for another field; use ${%s}", n.Path, ref.Name, want)
		case !vantage.ReadableEnvName(ref.Name, pass.Settings.AllowEnv):
			use := want
			if use == "" {
				use = "a FINFOCUS_VANTAGE_* variable"
			} else {
				use = "${" + use + "}"
			}
			pass.Reportf(sp, "%q references %s, which finfocus-vantage will not read: a config anyone can commit to must not choose which secret of the environment is sent to Vantage; use %s, or allow the name with --allow-env %s", n.Path, ref.Name, use, ref.Name)
		}
	}
}

// reportResolution reports a failed or unsafe resolution. prefix, when
// set, explains why the variable was looked up.
func reportResolution(pass *lint.Pass, sp lint.Span, r vantage.Resolution, err error, prefix string) {
	if err != nil {
		msg := err.Error()
		if prefix != "" {
			msg = prefix + msg
		}
		var re *vantage.ResolveError
		if errors.As(err, &re) && errors.Is(err, vantage.ErrUnset) && prefix == "" {
			msg = fmt.Sprintf("${%s} does not resolve: %s", r.Name, msg)
		}
		pass.Reportf(sp, "%s", msg)
		return
	}
	if r.File != "" && r.FileMode&0o077 != 0 {
		pass.Report(lint.Diagnostic{Span: sp, Severity: lint.Warning,
			Message: fmt.Sprintf("%s%s names %s, which other users can read (mode %04o); run chmod 600 %s", r.Name, vantage.FileSuffix, r.File, r.FileMode, r.File)})
	}
}
