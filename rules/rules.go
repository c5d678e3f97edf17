package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/suggest"
	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/vantage"
)

// All lists every rule in the order they run and are documented. The
// engine's own rules (ignore comments, baseline) come last.
var All = []*lint.Rule{
	ConfigSchema,
	PluginCompat,
	HardcodedToken,
	UnresolvedEnvRef,
	WorkspaceTokenMisuse,
	TokenFormat,
	StaleRotation,
	TokenReuse,
	LeakedToken,
	TerraformTokenExposure,
	K8sPlaintextSecret,
	WorkflowSecretExposure,
	TokenLogged,
	ConfigNotIgnored,
	InsecureEndpoint,
	PluginDeployment,
	TokenInHistory,
	AuthRejected,
	AuthForbidden,
	AuthUnverified,
	ReportNotFound,
	TokenWriteScope,
	PluginEnv,
	lint.IgnoreComment,
	lint.StaleBaseline,
}

// Defaults returns the rules that run when none are selected: all but
// the optional ones.
func Defaults() []*lint.Rule {
	var out []*lint.Rule
	for _, r := range All {
		if !r.Optional {
			out = append(out, r)
		}
	}
	return out
}

// ByID returns the rule with the given ID, or nil.
func ByID(id string) *lint.Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// IDs returns every rule ID in registry order.
func IDs() []string {
	ids := make([]string, len(All))
	for i, r := range All {
		ids[i] = r.ID
	}
	return ids
}

// Keep selects the files the runner holds after their own check, for the
// rules that compare files: plugin configs and Terraform files.
func Keep(f *lint.File) bool {
	return IsConfig(f) || terraformFacts(f) != nil
}

// Select applies --only, --enable and --disable to the registry. Each list
// holds IDs, repeated or comma-separated; an unknown ID is an error that
// suggests the closest known one.
func Select(enable, disable, only []string) ([]*lint.Rule, error) {
	var lists [3][]string
	for i, list := range [3][]string{enable, disable, only} {
		for _, item := range list {
			for _, id := range strings.Split(item, ",") {
				if id = strings.TrimSpace(id); id == "" {
					continue
				}
				if ByID(id) == nil {
					return nil, fmt.Errorf("%s (run finfocus-vantage rules for the list)", UnknownID(id))
				}
				lists[i] = append(lists[i], id)
			}
		}
	}
	en, dis, on := lists[0], lists[1], lists[2]
	var out []*lint.Rule
	for _, r := range All {
		want := !r.Optional || slices.Contains(en, r.ID)
		if len(on) > 0 {
			want = slices.Contains(on, r.ID)
		}
		if want && !slices.Contains(dis, r.ID) {
			out = append(out, r)
		}
	}
	return out, nil
}

// UnknownID says that id names no rule, suggesting the closest that does.
func UnknownID(id string) string {
	msg := fmt.Sprintf("unknown rule %q", id)
	if s := suggest.Closest(id, IDs()); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg
}

// NewRunner is the engine set up for these rules: every rule ID known to
// ignore comments, configs and Terraform files kept for the rules that
// compare files, Vantage credentials masked, this tool's ignore comments.
func NewRunner(selected []*lint.Rule, s *lint.Settings) *lint.Runner {
	return &lint.Runner{
		Rules:    selected,
		Known:    IDs(),
		Settings: s,
		Redact:   vantage.Redact,
		Mask:     vantage.Mask,
		Keep:     Keep,
		Ignores:  Ignores,
	}
}
