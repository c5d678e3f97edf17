// Package rules holds the finfocus-vantage rules, one per file, and the
// registry All that lists them. Each rule is a *lint.Rule value whose
// Check reports through its pass; long documentation for rule ID lives in
// docs/rules/ID.md.
package rules
