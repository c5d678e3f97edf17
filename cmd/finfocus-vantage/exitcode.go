package main

import (
	"errors"
	"fmt"
)

// Exit codes. They are part of the interface: pipelines branch on them.
const (
	// ExitOK means nothing at or above --fail-on was found (or, for auth,
	// the token was verified).
	ExitOK = 0
	// ExitFindings means findings at or above --fail-on were reported.
	ExitFindings = 1
	// ExitUsage means the command line was wrong or an input named
	// explicitly could not be read.
	ExitUsage = 2
	// ExitAuth means the Vantage API rejected the token.
	ExitAuth = 3
	// ExitAPI means the API or the network failed, or the answer could not
	// be trusted (for example totals that do not reconcile).
	ExitAPI = 4
	// ExitInterrupted means the run was cancelled by SIGINT (Ctrl-C).
	ExitInterrupted = 130
)

// exitError carries an exit code up to run, the one place that returns it.
type exitError struct {
	code int
	err  error // nil: nothing to print (the output already said it)
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf is a command-line mistake: exit 2.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// withCode attaches an exit code to err.
func withCode(code int, err error) error {
	return &exitError{code: code, err: err}
}

// exitCode maps an error from a command to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitUsage
}
