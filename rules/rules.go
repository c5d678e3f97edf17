package rules

import "github.com/rshade/finfocus-vantage/lint"

// All lists every rule in the order they run and are documented. The
// engine's own rules (ignore comments, baseline) come last.
var All = []*lint.Rule{
	ConfigSchema,
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
	TokenInHistory,
	AuthRejected,
	AuthForbidden,
	ReportNotFound,
	TokenWriteScope,
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
