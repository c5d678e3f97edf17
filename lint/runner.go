package lint

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
)

// Runner runs rules over files.
type Runner struct {
	// Rules are the rules to run, in registry order.
	Rules []*Rule
	// Known lists every rule ID that exists, enabled or not, so ignore
	// comments naming a disabled rule are not reported as unknown.
	Known []string
	// Settings are passed to every rule.
	Settings *Settings
	// Workers bounds the files checked at once; 0 means GOMAXPROCS.
	Workers int
	// Trace, when set, is told what became of each input (scanned, binary,
	// skipped and why, not read), in input order, after the run.
	Trace func(name, what string)
	// Redact masks credential-shaped text in messages and snippets.
	Redact func(string) string
	// Mask hides a span that a rule marked secret.
	Mask func(string) string
	// Keep selects the files held after their own check, for CheckAll
	// rules and for the caller (Result.Files); the content of every other
	// file is released as soon as its rules have run. nil keeps none.
	Keep func(*File) bool
	// MaxFileSize is the size above which files are skipped; 0 means no
	// limit: files over WindowThreshold are read in windows.
	MaxFileSize int64
	// Ignores is the syntax of ignore comments; nil honours none.
	Ignores *Ignores
}

// ErrIncomplete marks an error after which a run could not cover what it
// was asked to (a git command failed part way, a file could not be read):
// its findings stand, but a clean result would be false.
var ErrIncomplete = errors.New("the scan is incomplete")

// Result is what a run produced.
type Result struct {
	// Findings are sorted, fingerprinted, with ignore comments applied.
	Findings []Finding
	// Stats counts the files read and skipped.
	Stats Stats
	// Files are the files rules kept for CheckAll (plugin configs), whose
	// views can still be asked for after the run.
	Files []*File
}

// Stats counts what a run read.
type Stats struct {
	// Scanned counts files whose content was checked.
	Scanned int
	// Binary and Large count files skipped as binary or over MaxFileSize;
	// Special counts symbolic links and devices, FIFOs and sockets, which
	// are never read inside a scanned tree.
	Binary, Large, Special int
	// Unreadable lists files that could not be read, with the reason.
	Unreadable []string
	// Applied lists the scanned repositories' files that changed what was
	// reported (Settings.Applied).
	Applied []string
	// Partial lists what was read only in part (Settings.Partial).
	Partial []string
}

// Run reads and checks every input with every rule and returns the
// findings, ignore comments applied, fingerprinted and sorted. Files are
// checked in parallel; each file's content is dropped once its rules have
// run unless a rule kept it for CheckAll. Rule failures and panics do not
// stop the run: they are joined into the returned error.
func (r *Runner) Run(ctx context.Context, inputs []Input) (*Result, error) {
	if r.Settings == nil {
		r.Settings = &Settings{}
	}
	if r.Redact == nil {
		r.Redact = func(s string) string { return s }
	}
	if r.Mask == nil {
		r.Mask = func(string) string { return "…" }
	}
	workers := r.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	type outcome struct {
		findings []Finding
		file     *File // kept for CheckAll
		skip     skipReason
		err      error
	}
	results := make([]outcome, len(inputs))
	var errs []error
	var errMu sync.Mutex
	fail := func(err error) {
		errMu.Lock()
		errs = append(errs, err)
		errMu.Unlock()
	}

	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(workers, max(len(inputs), 1)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker reads into one buffer it reuses: a repository's
			// worth of fresh allocations would cost more than the reading.
			var buf []byte
			for i := range jobs {
				f, skip, err := r.load(inputs[i], &buf)
				if errors.Is(err, errWindowed) {
					fs, skip, err := r.checkWindowed(ctx, inputs[i], fail)
					results[i] = outcome{findings: fs, skip: skip, err: err}
					continue
				}
				if f == nil {
					results[i] = outcome{skip: skip, err: err}
					continue
				}
				if skip == skipBinary {
					results[i] = outcome{findings: r.applyIgnores(r.runRules(ctx, f, false, fail), map[string]*File{f.Name: f}), skip: skip}
					continue
				}
				fs := r.checkFile(ctx, f, fail)
				if r.Keep == nil || !r.Keep(f) {
					f = nil
				} else if len(buf) > 0 && len(f.Src) > 0 && &f.Src[0] == &buf[0] {
					f.Src = bytes.Clone(f.Src) // kept: give it its own copy
				}
				results[i] = outcome{findings: fs, file: f}
			}
		}()
	}
feed:
	for i := range inputs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res := &Result{}
	var kept []*File
	trace := func(i int, what string) {
		if r.Trace != nil {
			r.Trace(r.Redact(inputs[i].Name), what)
		}
	}
	for i, o := range results {
		switch {
		case o.err != nil && inputs[i].Listed && errors.Is(o.err, fs.ErrNotExist):
			// Deleted from the work tree but still in the index: nothing to scan.
			trace(i, "skipped: deleted from the work tree, still in git's index")
		case errors.Is(o.err, errSymlink) || errors.Is(o.err, errNotRegular):
			res.Stats.Special++
			trace(i, "skipped: a symbolic link or special file, never followed or read")
		case o.err != nil:
			res.Stats.Unreadable = append(res.Stats.Unreadable, r.Redact(fmt.Sprintf("%s: %s", inputs[i].Name, o.err.Error())))
			trace(i, "NOT READ: "+r.Redact(o.err.Error()))
		case o.skip == skipBinary:
			res.Stats.Binary++
			trace(i, "binary: searched for tokens only")
		case o.skip == skipLarge:
			res.Stats.Large++
			trace(i, "skipped: larger than --max-file-size")
		default:
			res.Stats.Scanned++
			trace(i, "scanned")
		}
		res.Findings = append(res.Findings, o.findings...)
		if o.file != nil {
			kept = append(kept, o.file)
		}
	}
	// Rules that compare files run once, after every file. A rule may
	// report on a file it read itself (a Terraform module's other files).
	byName := map[string]*File{}
	for _, f := range kept {
		byName[f.Name] = f
	}
	var cross []Finding
	for _, rule := range r.Rules {
		if rule.CheckAll == nil {
			continue
		}
		pass := &Pass{Rule: rule, Files: kept, Settings: r.Settings, Context: ctx}
		pass.report = func(d Diagnostic) {
			if d.File != nil && byName[d.File.Name] == nil {
				byName[d.File.Name] = d.File
			}
			cross = append(cross, r.finding(rule, d))
		}
		if err := r.safely(rule, "all files", func() error { return rule.CheckAll(pass) }); err != nil {
			fail(err)
		}
	}
	res.Files = kept
	res.Findings = append(res.Findings, r.applyIgnores(cross, byName)...)
	res.Findings = SortFindings(dropFallbacks(res.Findings))
	fingerprint(res.Findings, r.Settings.PathInRepo)
	res.Stats.Applied = r.Settings.applications()
	res.Stats.Partial = r.Settings.partials()
	return res, errors.Join(errs...)
}

// checkFile runs every applicable rule on one file and applies the file's
// ignore comments.
func (r *Runner) checkFile(ctx context.Context, f *File, fail func(error)) []Finding {
	fs := r.applyIgnores(r.runRules(ctx, f, false, fail), map[string]*File{f.Name: f})
	if f.raw != nil {
		raw := NewFile(f.Name, f.raw)
		raw.binary, raw.base = true, f.base
		fs = append(fs, r.applyIgnores(r.runRules(ctx, raw, false, fail), map[string]*File{raw.Name: raw})...)
	}
	return append(fs, r.ignoreFindings(f)...)
}

// runRules runs on f every rule that wants it: rules for its kind whose
// keywords and prefilter it passes (a --config file passes every
// prefilter); on a window of a large file only the Windowed rules, and on
// a file that looks binary only the Binary ones.
func (r *Runner) runRules(ctx context.Context, f *File, window bool, fail func(error)) []Finding {
	var fs []Finding
	for _, rule := range r.Rules {
		if rule.Check == nil || (window && !rule.Windowed) || (f.binary && !rule.Binary) || !rule.appliesTo(f) || !f.hasAny(rule.Keywords) ||
			(rule.Prefilter != nil && !f.Config && !rule.Prefilter(f)) {
			continue
		}
		pass := &Pass{Rule: rule, File: f, Settings: r.Settings, Context: ctx}
		n := 0
		var last Diagnostic
		pass.report = func(d Diagnostic) {
			// A file made of findings (a generated file, an attack) must not
			// cost time and memory without bound: past MaxFindingsPerRule
			// the rest are counted, and said once.
			if n++; n <= MaxFindingsPerRule {
				fs = append(fs, r.finding(rule, d))
			}
			last = d
		}
		if err := r.safely(rule, f.Name, func() error { return rule.Check(pass) }); err != nil {
			fail(err)
		}
		if n > MaxFindingsPerRule {
			last.Message = fmt.Sprintf("and %d more findings of %s in this file, not listed; fix the ones above and run again", n-MaxFindingsPerRule, rule.ID)
			last.Span.Anchor, last.Span.Secret = "more", false
			fs = append(fs, r.finding(rule, last))
		}
	}
	return fs
}

// MaxFindingsPerRule bounds the findings one rule reports on one file (or
// window); the rest are counted in one last finding.
const MaxFindingsPerRule = 500

// safely runs a rule, turning a panic into an error that names the rule
// and file (never the panic value, which could hold file content).
func (r *Runner) safely(rule *Rule, where string, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			stack := string(debug.Stack())
			if i := strings.Index(stack, "panic("); i >= 0 {
				stack = stack[i:]
			}
			err = fmt.Errorf("rule %s crashed on %s; please report this bug with the stack below:\n%s", rule.ID, where, stack)
		}
	}()
	if err := fn(); err != nil {
		return &ruleError{msg: fmt.Sprintf("rule %s on %s: %s", rule.ID, where, r.Redact(err.Error())), err: err}
	}
	return nil
}

// ruleError is a rule's failure, its message redacted, its cause kept for
// errors.Is (ErrIncomplete).
type ruleError struct {
	msg string
	err error
}

func (e *ruleError) Error() string { return e.msg }
func (e *ruleError) Unwrap() error { return e.err }

// Finding turns a diagnostic reported outside Run (by the live auth check)
// into a finding the same way Run does: severity, snippet, masking. Pass
// the result through Finalize.
func (r *Runner) Finding(rule *Rule, d Diagnostic) Finding {
	if r.Redact == nil {
		r.Redact = func(s string) string { return s }
	}
	if r.Mask == nil {
		r.Mask = func(string) string { return "…" }
	}
	return r.finding(rule, d)
}

// Finalize sorts findings made outside Run, drops duplicates and gives
// them fingerprints.
func Finalize(fs []Finding) []Finding {
	fs = SortFindings(fs)
	fingerprint(fs, nil)
	return fs
}

// finding stamps a diagnostic with the rule, severity, file and snippet.
func (r *Runner) finding(rule *Rule, d Diagnostic) Finding {
	sev := d.Severity
	if sev == 0 {
		sev = rule.Severity
	}
	sp := d.Span
	if sp.Line < 1 {
		sp.Line, sp.Col = 1, 1
	}
	if sp.Col < 1 {
		sp.Col = 1
	}
	if sp.EndLine < sp.Line {
		sp.EndLine = sp.Line
	}
	if sp.EndCol < 1 || (sp.EndLine == sp.Line && sp.EndCol <= sp.Col) {
		sp.EndCol = sp.Col + 1
	}
	f := Finding{
		RuleID:    rule.ID,
		Severity:  sev,
		Message:   r.Redact(d.Message),
		Line:      sp.Line,
		Column:    sp.Col,
		EndLine:   sp.EndLine,
		EndColumn: sp.EndCol,
		anchor:    sp.Anchor,
		fallback:  rule.Fallback,

		DetectorRule: d.DetectorRule,
		Fix:          d.Fix,
		Commit:       d.Commit,
		AuthorDate:   d.AuthorDate,
	}
	// A file's name is written by whoever named it: it is masked like any
	// text (a token in a file name is a leak too).
	if d.File == nil {
		f.File = r.Redact(d.Path)
		if f.anchor == "" {
			f.anchor = d.Message
		}
	} else {
		f.File = r.Redact(d.File.Name)
		if f.anchor == "" {
			f.anchor = spanText(d.File, sp)
		}
		f.Snippet, f.SnippetCol, f.SnippetWidth = snippet(d.File, sp, r.Redact, r.Mask)
		// A window of a large file: make the position the file's own.
		if base := d.File; base.lineBase > 0 || base.colBase > 0 {
			f.Fix = nil // placed in the window, not the file
			if f.Line == 1 {
				f.Column += base.colBase
			}
			if f.EndLine == 1 {
				f.EndColumn += base.colBase
			}
			f.Line += base.lineBase
			f.EndLine += base.lineBase
		}
	}
	return f
}

// spanText returns the source text under a span's first line.
func spanText(f *File, sp Span) string {
	r := []rune(f.Line(sp.Line))
	start := clamp(sp.Col-1, 0, len(r))
	end := len(r)
	if sp.EndLine == sp.Line {
		end = clamp(sp.EndCol-1, start, len(r))
	}
	return string(r[start:end])
}

// dropFallbacks removes findings of Fallback rules that overlap, on the
// same line, a finding of a more specific rule.
func dropFallbacks(fs []Finding) []Finding {
	// Group candidates by file and line so the check stays linear.
	type key struct {
		file string
		line int
	}
	if !slices.ContainsFunc(fs, func(f Finding) bool { return f.fallback }) {
		return fs
	}
	byLine := map[key][]int{}
	for i, f := range fs {
		byLine[key{f.File, f.Line}] = append(byLine[key{f.File, f.Line}], i)
	}
	out := make([]Finding, 0, len(fs))
	for i, f := range fs {
		if f.fallback {
			var same []Finding
			pos := 0
			for _, j := range byLine[key{f.File, f.Line}] {
				if j == i {
					pos = len(same)
				}
				same = append(same, fs[j])
			}
			if overlapsSpecific(same, pos) {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func overlapsSpecific(fs []Finding, i int) bool {
	f := fs[i]
	for j, g := range fs {
		if j == i || g.fallback || g.File != f.File || g.Line != f.Line {
			continue
		}
		if g.Column < lineEnd(f) && f.Column < lineEnd(g) {
			return true
		}
	}
	return false
}

// lineEnd is where a finding ends on its first line: its end column, or
// the end of the line when it runs on.
func lineEnd(f Finding) int {
	if f.EndLine > f.Line {
		return math.MaxInt
	}
	return f.EndColumn
}

// windowed reports whether an input is a file large enough to be checked
// in windows, and still under the size limit.
func (r *Runner) windowed(in Input) bool {
	if in.Read != nil || in.Config || in.Path == "" {
		return false
	}
	fi, err := os.Lstat(in.Path)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	return fi.Size() > WindowThreshold && (r.MaxFileSize <= 0 || fi.Size() <= r.MaxFileSize)
}
