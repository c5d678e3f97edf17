// Package lint is a rule engine: rules, the files they inspect, the
// findings they report, and the path from files to output. It knows no
// tool and no credential: the rules, the ignore-comment syntax, the
// masking of secrets and the tool's name and URL all come from its caller.
//
// The data path of a check, with the file of each step:
//
//	sources     walk.go, git.go     paths, staged files or a diff → Inputs
//	read        input.go, read_*.go  regular files only; binary and large files counted
//	views       file.go             lines and YAML parsed lazily, once, shared (File.Memo)
//	rules       runner.go           each Rule's Check on a Pass (runRules: one filter
//	                                for files and windows), CheckAll after every file
//	windows     window.go           files over WindowThreshold in bounded windows
//	findings    runner.go, finding.go  rule, severity, file, masked snippet, fingerprint
//	suppress    suppress.go, baseline.go  ignore comments, then the baseline
//	                                (Suppress) and stale-baseline notices
//	report      output.go           NewReport counts the summary once
//	writers     output.go, sarif.go, github.go, xmlout.go
//	                                text, json, sarif, github, junit, checkstyle
package lint
