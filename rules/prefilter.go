package rules

import "github.com/rshade/finfocus-vantage/lint"

// mentionsVantage is the prefilter of every Vantage rule: the great
// majority of files in a repository never mention Vantage and cost two
// fast byte scans, no parsing and no regular expression.
func mentionsVantage(f *lint.File) bool { return marksOf(f).Any() }

// mentionsVantageLower is the prefilter of plugin-config rules: a config
// says source: vantage.
func mentionsVantageLower(f *lint.File) bool { return marksOf(f).Lower }
