// Package lint is the engine of finfocus-vantage: rules, the files they
// inspect, the findings they report, and the path from files to output.
//
// The data path of a check is: sources yield Files → each File is parsed
// lazily, once, into the views rules ask for (lines, YAML) → every Rule's
// Check runs on a Pass and reports Diagnostics → the runner stamps rule,
// severity, file, snippet and fingerprint into Findings → ignore comments
// and the baseline suppress what is known → findings are sorted and
// de-duplicated → a Writer prints them.
//
// The package knows nothing about Vantage itself: rules live in package
// rules and the plugin model in package vantage.
package lint
