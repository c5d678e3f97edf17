// Package scan is the static half of `check` and `baseline`: it turns
// what the user asked for (paths, --config files, --staged, --diff,
// --history, rule selection) into inputs and a lint.Runner, runs it, and
// hands back the findings with the files and counts a report needs.
//
// The data path, step by step:
//
//	Prepare   scan.go  select rules; list inputs (walk, staged, diff);
//	                   check that explicitly named files can be read
//	Run       scan.go  lint.Runner.Run: read, prefilter, parse once,
//	                   run rules, ignore comments, sort, fingerprint
//	CheckConfig        the config rules on one config, for pull
//
// It knows nothing of the command line: cmd/finfocus-vantage maps flags to
// Options and errors to exit codes.
package scan
