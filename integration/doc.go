// Package integration tests finfocus-vantage where users run it: the
// GitHub Action's steps in a simulated Actions environment, the real
// pre-commit framework installing the hook from this repository, and the
// release configuration. It has no code of its own, only tests.
//
// Tests that need tools CI installs (pre-commit, goreleaser) skip when the
// tool is missing, unless FINFOCUS_VANTAGE_INTEGRATION=1 (set by .ci/run),
// where a missing tool is a failure.
package integration
