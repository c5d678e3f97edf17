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
	lint.IgnoreComment,
	lint.StaleBaseline,
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
