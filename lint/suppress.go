package lint

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Suppression has one home, this file: ignore comments in the files
// (applied by the runner as each file is checked), the baseline (Suppress,
// after the run), and stale-baseline findings for entries that matched
// nothing. A report's summary is counted once, from the final findings
// (NewReport).

// Ignores is the syntax of ignore comments a runner honours:
//
//	# DIRECTIVE RULE[,RULE] [exp=YYYY-MM-DD] reason
//
// on the offending line or the line above it.
type Ignores struct {
	// Directive is the marker, such as "mytool:ignore".
	Directive string
	// Maybe, when set, is asked first: false means the file cannot hold
	// the directive (a cheaper test the rules already pay for).
	Maybe func(*File) bool
	// ListRules is the command that lists rule IDs, quoted in messages.
	ListRules string
	// Unwaivable lists the rules whose findings an ignore comment added
	// by the change under review cannot suppress (a committed secret is
	// not made safe by a comment); Unwaived is what their message then
	// adds. Other rules' added suppressions hold but are reported.
	Unwaivable []string
	Unwaived   string
}

// MaxExpiry is how far ahead an ignore comment's exp= may lie before it is
// itself a warning: a waiver is a promise to look again.
const MaxExpiry = 366 * 24 * time.Hour

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
	problem string   // why the comment is itself a finding, if it is
	sev     Severity // the problem's severity; 0 means the rule's
	active  bool     // whether it suppresses
	added   bool     // written by the change under review (not in its base)
}

type ignoresKey struct{}

// ignoresOf parses a file's ignore comments, once.
func (r *Runner) ignoresOf(f *File) []ignore {
	syn := r.Ignores
	return f.Memo(ignoresKey{}, func() any {
		if syn == nil || syn.Directive == "" || (syn.Maybe != nil && !syn.Maybe(f)) || !Contains(f.Src, syn.Directive) {
			return []ignore(nil)
		}
		var out []ignore
		var base []byte
		inBase := false
		if f.base != nil {
			base, inBase = f.base()
		}
		for n := 1; n <= f.LineCount(); n++ {
			text := f.Line(n)
			i := strings.Index(text, syn.Directive)
			if i < 0 {
				continue
			}
			ig := syn.parse(text[i+len(syn.Directive):], r.Settings.Now, r.Known)
			ig.line = n + f.lineBase
			ig.col = len([]rune(text[:i])) + 1
			// Under review, a comment the base does not hold is the
			// change's own: it cannot waive what the change adds unseen.
			ig.added = f.base != nil && !(inBase && Contains(base, strings.TrimSpace(text)))
			out = append(out, ig)
		}
		return out
	}).([]ignore)
}

// parse reads what follows the directive.
func (syn *Ignores) parse(rest string, now time.Time, known []string) ignore {
	rest = strings.TrimSpace(rest)
	for _, closer := range []string{"-->", "*/", "#}"} {
		rest = strings.TrimSpace(strings.TrimSuffix(rest, closer))
	}
	fields := strings.Fields(rest)
	ig := ignore{active: true}
	if len(fields) == 0 {
		ig.active, ig.sev = false, Warning
		ig.problem = "ignore comment names no rule, so it suppresses nothing; write " + syn.Directive + " RULE reason"
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
			ig.active, ig.sev = false, Warning
			ig.problem = fmt.Sprintf("ignore comment has an invalid expiry %q, so it suppresses nothing; write exp=YYYY-MM-DD", Printable(d))
		case !now.IsZero() && !now.Before(t.AddDate(0, 0, 1)):
			ig.active = false
			ig.problem = fmt.Sprintf("ignore comment for %s expired on %s; fix the finding or set a later exp=", strings.Join(ig.rules, ","), d)
		case !now.IsZero() && t.Sub(now) > MaxExpiry:
			ig.sev = Warning
			ig.problem = fmt.Sprintf("ignore comment for %s expires on %s, more than a year ahead; set an exp= within a year so the waiver is looked at again", strings.Join(ig.rules, ","), d)
		}
		ig.expires = t
	}
	ig.reason = strings.Join(fields, " ")
	if known != nil {
		for _, id := range ig.rules {
			if !slices.Contains(known, id) {
				ig.problem = fmt.Sprintf("ignore comment names unknown rule %q; run `%s` for the list", id, syn.ListRules)
				break
			}
		}
	}
	if ig.reason == "" && ig.active {
		// An unexplained waiver waives nothing: the finding stays, and
		// so does this warning, until someone writes down why.
		ig.active, ig.sev = false, Warning
		ig.problem = fmt.Sprintf("ignore comment for %s gives no reason, so it suppresses nothing; add one after the rule so reviewers know why", strings.Join(ig.rules, ","))
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
// suppressed. Under review, a comment the change added does not suppress
// an Unwaivable rule's finding (its message says why), and any other
// suppression it adds is reported as a warning of its own.
func (r *Runner) applyIgnores(fs []Finding, files map[string]*File) []Finding {
	var added []Finding
	warned := map[string]bool{}
	for i := range fs {
		f := &fs[i]
		if f.RuleID == IgnoreComment.ID {
			continue
		}
		file := files[f.File]
		if file == nil {
			continue
		}
		for _, ig := range r.ignoresOf(file) {
			if !ig.covers(f.RuleID, f.Line) {
				continue
			}
			if ig.added && slices.Contains(r.Ignores.Unwaivable, f.RuleID) {
				f.Message += "; " + r.Ignores.Unwaived
				break
			}
			f.Suppressed, f.SuppressedBy = true, "comment"
			if key := fmt.Sprint(file.Name, ig.line); ig.added && !warned[key] {
				warned[key] = true
				sp := Span{Line: ig.line, Col: ig.col, EndCol: ig.col + len(r.Ignores.Directive), Anchor: "added " + fmt.Sprint(ig.rules)}
				added = append(added, r.finding(IgnoreComment, Diagnostic{Span: sp, Severity: Warning, File: file,
					Message: fmt.Sprintf("suppression added by this change: it waives %s on line %d; a reviewer should agree with its reason before this merges", f.RuleID, f.Line)}))
			}
			break
		}
	}
	return append(fs, added...)
}

// ignoreFindings reports a file's ignore comments that are themselves
// problems, when the ignore-comment rule is enabled.
func (r *Runner) ignoreFindings(f *File) []Finding {
	if !slices.Contains(r.Rules, IgnoreComment) {
		return nil
	}
	var out []Finding
	for _, ig := range r.ignoresOf(f) {
		if ig.problem == "" {
			continue
		}
		sp := Span{Line: ig.line, Col: ig.col, EndCol: ig.col + len(r.Ignores.Directive), Anchor: fmt.Sprint(ig.rules)}
		out = append(out, r.finding(IgnoreComment, Diagnostic{Span: sp, Severity: ig.sev, Message: ig.problem, File: f}))
	}
	return out
}

// Suppress applies a baseline (nil for none) to a run's findings: those it
// knows are marked suppressed, and, when reportStale is set, each entry
// that matched nothing becomes a stale-baseline notice. The result is
// sorted: the final findings a report is made of.
func Suppress(fs []Finding, b *Baseline, reportStale bool) []Finding {
	if b == nil {
		return fs
	}
	fs, stale := b.apply(fs)
	if reportStale {
		fs = append(fs, stale...)
	}
	return SortFindings(fs)
}
