package lint

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Finding is one problem found in one place. Lines and columns are 1-based
// and count characters; EndColumn is exclusive.
type Finding struct {
	RuleID    string
	Severity  Severity
	Message   string
	File      string
	Line      int
	Column    int
	EndLine   int
	EndColumn int
	// Fingerprint identifies the finding across edits: it hashes the rule,
	// the file and the content under the span, never storing that content.
	Fingerprint string
	// Suppressed is set when an ignore comment or the baseline covers the
	// finding; SuppressedBy says which ("comment" or "baseline").
	Suppressed   bool
	SuppressedBy string
	// Snippet is the source line with every secret masked; SnippetCol and
	// SnippetWidth place the caret in it. Empty when there is no line.
	Snippet      string
	SnippetCol   int
	SnippetWidth int
	// DetectorRule names the rule of the secret detector beneath the
	// finding (a gitleaks rule ID such as github-pat), when there is one.
	DetectorRule string
	// Fix is the edit that resolves the finding, when there is one.
	Fix *Fix
	// Commit and AuthorDate place a history finding: the commit that
	// brought it and its author date (YYYY-MM-DD).
	Commit, AuthorDate string

	anchor   string
	fallback bool
}

// String formats the finding as file:line:col: severity: message [rule-id].
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Message, f.RuleID)
}

// SortFindings orders findings by file, line, column, rule and message,
// and drops exact duplicates.
func SortFindings(fs []Finding) []Finding {
	slices.SortStableFunc(fs, compareFindings)
	return slices.CompactFunc(fs, func(a, b Finding) bool {
		return compareFindings(a, b) == 0 && a.Severity == b.Severity
	})
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Message, b.Message),
	)
}

// fingerprint fills in content-anchored fingerprints. Findings of one rule
// in one file with the same anchor are told apart by their order. A file
// is named in the key by path(f.File): its path in its repository, so a
// baseline matches wherever the scan is run from.
func fingerprint(fs []Finding, path func(string) string) {
	seen := map[string]int{}
	for i := range fs {
		f := &fs[i]
		name := f.File
		if path != nil {
			name = path(name)
		}
		key := f.RuleID + "\x00" + name + "\x00" + f.anchor
		n := seen[key]
		seen[key] = n + 1
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, n)))
		f.Fingerprint = hex.EncodeToString(sum[:16])
	}
}

// Counts tallies findings by severity; suppressed findings count apart.
type Counts struct {
	Errors, Warnings, Notices, Suppressed int
}

// Count tallies fs.
func Count(fs []Finding) Counts {
	var c Counts
	for _, f := range fs {
		switch {
		case f.Suppressed:
			c.Suppressed++
		case f.Severity == Error:
			c.Errors++
		case f.Severity == Warning:
			c.Warnings++
		case f.Severity == Notice:
			c.Notices++
		}
	}
	return c
}

// Worst returns the highest severity among unsuppressed findings, or 0.
func Worst(fs []Finding) Severity {
	var w Severity
	for _, f := range fs {
		if !f.Suppressed && f.Severity > w {
			w = f.Severity
		}
	}
	return w
}

// snippet builds the masked source line and caret placement of a finding.
// envRef is a whole environment reference, ${NAME} or $NAME: the name of
// a secret, not a secret, so it is shown as written rather than masked
// (masked, "${FINFOCUS_VANTAGE_TOKEN}" read "…KEN}", like a leak). A
// default (${NAME:-value}) is not one: it may hold a secret.
var envRef = regexp.MustCompile(`^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$`)

func snippet(file *File, sp Span, redact, mask func(string) string) (line string, col, width int) {
	text := validUTF8(file.Line(sp.Line))
	if text == "" {
		return "", 0, 0
	}
	r := []rune(text)
	start := clamp(sp.Col-1, 0, len(r))
	end := len(r)
	if sp.EndLine == 0 || sp.EndLine == sp.Line {
		end = clamp(sp.EndCol-1, start, len(r))
	}
	if end == start && start < len(r) {
		end = start + 1
	}
	// On a long line only the part around the span is shown: cut it out
	// (with a margin, so a secret near the shown part is still whole when
	// redacted) before the redaction, which would otherwise read the
	// whole line for each finding on it.
	const margin = 512
	if from, to := max(start-snippetWindow/2-margin, 0), min(end+snippetWindow+margin, len(r)); from > 0 || to < len(r) {
		r, start, end = r[from:to], start-from, end-from
	}
	pre, mid, post := string(r[:start]), string(r[start:end]), string(r[end:])
	if q := len(mid); sp.Secret && q >= 2 && (mid[0] == '"' || mid[0] == '\'') && mid[q-1] == mid[0] {
		if !envRef.MatchString(mid[1 : q-1]) {
			mid = mid[:1] + mask(mid[1:q-1]) + mid[q-1:]
		}
	} else if sp.Secret && strings.TrimSpace(mid) != "" && !envRef.MatchString(mid) {
		mid = mask(mid)
	}
	// Redact the whole line at once: a secret may straddle the span.
	line = redact(pre + mid + post)
	rl := []rune(line)
	col = len([]rune(redact(pre))) + 1
	if !strings.HasPrefix(line, redact(pre)) {
		col = min(len([]rune(pre))+1, len(rl))
	}
	width = max(min(len([]rune(mid)), len(rl)-col+1), 1)
	// Keep very long lines readable: a window around the caret.
	const window = snippetWindow
	if rl := []rune(line); len(rl) > 2*window {
		from := max(col-1-window/2, 0)
		to := min(from+window, len(rl))
		line = "…" + string(rl[from:to]) + "…"
		col = col - from + 1
		width = min(width, to-from)
	}
	return line, col, width
}

// snippetWindow is how many characters of a long line a snippet shows
// around its span.
const snippetWindow = 160

func clamp(v, lo, hi int) int {
	return max(lo, min(v, hi))
}

// validUTF8 replaces each invalid byte with U+FFFD, one for one, so that
// columns (which count an invalid byte as one character) still line up.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
