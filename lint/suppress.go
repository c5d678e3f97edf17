package lint

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// IgnoreDirective is the marker of an ignore comment:
//
//	# finfocus-vantage:ignore RULE[,RULE] [exp=YYYY-MM-DD] reason
//
// on the offending line or the line above it.
const IgnoreDirective = "finfocus-vantage:ignore"

// IgnoreComment is the engine's rule for ignore comments that are
// expired, give no reason or name no known rule.
var IgnoreComment = &Rule{
	ID:       "ignore-comment",
	Summary:  "ignore comments that are expired, unexplained or unknown",
	Severity: Notice,
}

// ignore is one parsed ignore comment.
type ignore struct {
	line    int
	col     int
	rules   []string
	expires time.Time
	reason  string
	problem string // why the comment is itself a finding, if it is
	active  bool   // whether it suppresses
}

type ignoresKey struct{}

// ignoresOf parses a file's ignore comments, once.
func ignoresOf(f *File, now time.Time, known []string) []ignore {
	return f.Memo(ignoresKey{}, func() any {
		// The directive says "vantage": files that do not are done.
		if !f.Marks().Lower || !Contains(f.Src, IgnoreDirective) {
			return []ignore(nil)
		}
		var out []ignore
		for n := 1; n <= f.LineCount(); n++ {
			text := f.Line(n)
			i := strings.Index(text, IgnoreDirective)
			if i < 0 {
				continue
			}
			ig := parseIgnore(text[i+len(IgnoreDirective):], now, known)
			ig.line = n + f.lineBase
			ig.col = len([]rune(text[:i])) + 1
			out = append(out, ig)
		}
		return out
	}).([]ignore)
}

func parseIgnore(rest string, now time.Time, known []string) ignore {
	rest = strings.TrimSpace(rest)
	for _, closer := range []string{"-->", "*/", "#}"} {
		rest = strings.TrimSpace(strings.TrimSuffix(rest, closer))
	}
	fields := strings.Fields(rest)
	ig := ignore{active: true}
	if len(fields) == 0 {
		ig.active = false
		ig.problem = "ignore comment names no rule; write " + IgnoreDirective + " RULE reason"
		return ig
	}
	for _, id := range strings.Split(fields[0], ",") {
		if id = strings.TrimSpace(id); id != "" {
			ig.rules = append(ig.rules, id)
		}
	}
	fields = fields[1:]
	if len(fields) > 0 && strings.HasPrefix(fields[0], "exp=") {
		d := strings.TrimPrefix(fields[0], "exp=")
		fields = fields[1:]
		t, err := time.Parse("2006-01-02", d)
		switch {
		case err != nil:
			ig.problem = fmt.Sprintf("ignore comment has an invalid expiry %q; write exp=YYYY-MM-DD", d)
		case !now.IsZero() && !now.Before(t.AddDate(0, 0, 1)):
			ig.active = false
			ig.problem = fmt.Sprintf("ignore comment for %s expired on %s; fix the finding or set a later exp=", strings.Join(ig.rules, ","), d)
		}
		ig.expires = t
	}
	ig.reason = strings.Join(fields, " ")
	if known != nil {
		for _, id := range ig.rules {
			if !slices.Contains(known, id) {
				ig.problem = fmt.Sprintf("ignore comment names unknown rule %q; run `finfocus-vantage rules` for the list", id)
				break
			}
		}
	}
	if ig.problem == "" && ig.reason == "" {
		ig.problem = fmt.Sprintf("ignore comment for %s gives no reason; add one after the rule so reviewers know why", strings.Join(ig.rules, ","))
	}
	return ig
}

// covers reports whether the ignore suppresses a finding of rule on line.
func (ig ignore) covers(rule string, line int) bool {
	if !ig.active || (line != ig.line && line != ig.line+1) {
		return false
	}
	return slices.Contains(ig.rules, rule)
}

// applyIgnores marks findings covered by an active ignore comment of their
// file as suppressed. Findings of ignore-comment itself are never
// suppressed.
func applyIgnores(fs []Finding, files map[string]*File, r *Runner) []Finding {
	for i := range fs {
		f := &fs[i]
		if f.RuleID == IgnoreComment.ID {
			continue
		}
		file := files[f.File]
		if file == nil {
			continue
		}
		for _, ig := range ignoresOf(file, r.Settings.Now, r.Known) {
			if ig.covers(f.RuleID, f.Line) {
				f.Suppressed, f.SuppressedBy = true, "comment"
				break
			}
		}
	}
	return fs
}

// ignoreFindings reports a file's ignore comments that are themselves
// problems, when the ignore-comment rule is enabled.
func (r *Runner) ignoreFindings(f *File) []Finding {
	if !slices.Contains(r.Rules, IgnoreComment) {
		return nil
	}
	var out []Finding
	for _, ig := range ignoresOf(f, r.Settings.Now, r.Known) {
		if ig.problem == "" {
			continue
		}
		sp := Span{Line: ig.line, Col: ig.col, EndCol: ig.col + len(IgnoreDirective), Anchor: fmt.Sprint(ig.rules)}
		out = append(out, r.finding(IgnoreComment, Diagnostic{Span: sp, Message: ig.problem, File: f}))
	}
	return out
}
