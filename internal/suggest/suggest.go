// Package suggest finds the likely intended word for a typo: rule IDs,
// config keys, enum values and environment variable names.
package suggest

import (
	"strings"

	"github.com/agext/levenshtein"
)

// Closest returns the candidate closest to word when it is close enough to
// be a likely typo (edit distance at most a third of the word, at least 2),
// or "" when none is. Case and the difference between - and _ are ignored.
func Closest(word string, candidates []string) string {
	best, bestD := "", 1<<30
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "-", "_")) }
	w := norm(word)
	for _, c := range candidates {
		if d := levenshtein.Distance(w, norm(c), nil); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > max(len(word)/3, 2) || best == word {
		return ""
	}
	return best
}
