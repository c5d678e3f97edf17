package main

import (
	"errors"
	"fmt"
)

// Exit codes. They are part of the interface: pipelines branch on them.
const (
	// exitOK means nothing at or above --fail-on was found (or, for auth,
	// the token was verified).
	exitOK = 0
	// exitFindings means findings at or above --fail-on were reported.
	exitFindings = 1
	// exitUsage means the command line was wrong, an input named
	// explicitly could not be read, or an output could not be written on
	// this machine (a missing folder, permissions, a full disk).
	exitUsage = 2
	// exitAuth means the Vantage API rejected the token.
	exitAuth = 3
	// exitAPI means the API or the network failed, or the answer could not
	// be trusted (for example totals that do not reconcile).
	exitAPI = 4
	// exitIncomplete means the scan could not cover what it was asked to
	// (a git command failed part way, a file or folder could not be read):
	// the findings it made are reported, but "no problems" would be false.
	exitIncomplete = 5
	// exitInterrupted means the run was cancelled by SIGINT (Ctrl-C).
	exitInterrupted = 130
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
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// withCode attaches an exit code to err.
func withCode(code int, err error) error {
	return &exitError{code: code, err: err}
}

// exitCode maps an error from a command to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitUsage
}

// exitCodesHelp is the exit-code table of check's help.
const exitCodesHelp = "EXIT CODES: 0 nothing at or above --fail-on, 1 findings at or above --fail-on,\n" +
	"   2 usage or a file that cannot be read or written, 3 token rejected (--live), 4 API failure (--live),\n" +
	"   5 incomplete scan (something could not be read: the findings made are reported), 130 interrupted."
