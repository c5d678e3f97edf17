package vantage

import "strings"

// Suggest returns the candidate closest to word when it is close enough to
// be a likely typo (edit distance at most a third of the word, at least 2),
// or "" when none is.
func Suggest(word string, candidates []string) string {
	best, bestD := "", 1<<30
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "-", "_")) }
	w := norm(word)
	for _, c := range candidates {
		d := Distance(w, norm(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := len(word) / 3
	if limit < 2 {
		limit = 2
	}
	if bestD > limit || best == word {
		return ""
	}
	return best
}

// Distance is the Levenshtein edit distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
