package lint

import (
	"fmt"
	"strings"
)

// Severity is how serious a finding is. Larger is more serious.
type Severity int

// The severities, in increasing order.
const (
	// Notice is information worth acting on, never a failure by default.
	Notice Severity = iota + 1
	// Warning is a likely problem.
	Warning
	// Error is a problem that must be fixed.
	Error
	// Never is a threshold no finding reaches (--fail-on none).
	Never
)

// String returns the lowercase name used in output: error, warning, notice.
func (s Severity) String() string {
	switch s {
	case Notice:
		return "notice"
	case Warning:
		return "warning"
	case Error:
		return "error"
	case Never:
		return "none"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses error, warning, notice or none (which is Never).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "notice":
		return Notice, nil
	case "none":
		return Never, nil
	}
	return 0, fmt.Errorf("unknown severity %q; use error, warning, notice or none", s)
}
