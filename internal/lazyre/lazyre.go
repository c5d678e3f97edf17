// Package lazyre compiles regular expressions on first use. A package-level
// regexp.MustCompile runs when the program starts, whatever command runs;
// a pre-commit hook that checks one file pays for every table of every
// rule. Compiling on first use keeps that start-up cost for the runs that
// need each expression.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles pattern on its first call and
// returns the same *regexp.Regexp on every call. It panics on an invalid
// pattern, like regexp.MustCompile, at that first call; tests call every
// one.
func New(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
