// Package vantage holds what finfocus-vantage knows about the FinFocus
// Vantage plugin and the Vantage API: the plugin config model and its
// validation, environment-reference resolution, and the shapes of Vantage
// credentials (token kinds, masking and redaction).
//
// Everything that turns a config into a bearer token lives here, so the
// static rules, the live auth check and the cost pull resolve credentials
// with the same code.
package vantage
