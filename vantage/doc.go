// Package vantage holds what finfocus-vantage knows about the FinFocus
// Vantage plugin: the plugin config model and its validation,
// environment-reference resolution, and the shapes of Vantage credentials
// (token kinds, masking and redaction). It makes no HTTP calls: the API
// client is package vantage/api.
//
// Everything that turns a config into a bearer token lives here, so the
// static rules, the live auth check and the cost pull resolve credentials
// with the same code.
package vantage
