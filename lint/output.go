package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Tool describes the program in reports. Only Name and Version are
// printed in JSON; the rest shape other formats.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// URL is the project's home, for SARIF's informationUri; rule help
	// pages are at URL + "/blob/main/docs/rules/<id>.md".
	URL string `json:"-"`
	// Tags are SARIF rule tags (e.g. "security", "secrets").
	Tags []string `json:"-"`
	// FingerprintKey names the fingerprint in SARIF partialFingerprints,
	// e.g. "myTool/v1"; it must not change between releases.
	FingerprintKey string `json:"-"`
}

// RuleHelpURL is the documentation page of a rule, or "" without a URL.
func (t Tool) RuleHelpURL(id string) string {
	if t.URL == "" {
		return ""
	}
	return t.URL + "/blob/main/docs/rules/" + id + ".md"
}

// Summary counts what a run looked at and found.
type Summary struct {
	FilesScanned int `json:"files_scanned"`
	Configs      int `json:"configs"`
	Errors       int `json:"errors"`
	Warnings     int `json:"warnings"`
	Notices      int `json:"notices"`
	Suppressed   int `json:"suppressed"`
	// SkippedBinary and SkippedLarge count files not scanned because they
	// are binary or larger than --max-file-size.
	SkippedBinary int `json:"skipped_binary,omitempty"`
	SkippedLarge  int `json:"skipped_large,omitempty"`
	// SkippedSpecial counts symbolic links, devices, FIFOs and sockets
	// inside the scanned tree, which are never followed or read.
	SkippedSpecial int `json:"skipped_special,omitempty"`
	// NotRead counts files and folders that could not be read; Incomplete
	// says the scan did not cover what it was asked to (these, or a git
	// command that failed part way): "no problems" would not be true.
	NotRead    int  `json:"not_read,omitempty"`
	Incomplete bool `json:"incomplete,omitempty"`
	// Partial says what was read only in part, by the user's choice (a
	// shallow clone's history); it makes Incomplete true too.
	Partial []string `json:"partial,omitempty"`
	// Applied names the scanned repositories' own files that changed what
	// was reported, such as a secret scanner's configuration.
	Applied []string `json:"applied,omitempty"`
	// Assumed says what the checks assumed about the program that reads
	// the files (the plugin version) and why.
	// It is printed in the text summary; JSON callers put it in Extra.
	Assumed string `json:"-"`
}

// Report is everything a writer prints.
type Report struct {
	Tool     Tool
	Findings []Finding
	Summary  Summary
	// Rules are the rules that ran, for formats that describe them.
	Rules []*Rule
	// Notes are run-level remarks (a fallback taken, files skipped) that
	// text output prints after the findings.
	Notes []string
	// Header, when set, is printed first by the text writer (the auth
	// verdict).
	Header string
	// Extra holds additional top-level JSON fields (the auth verdict).
	Extra map[string]any
	// Docs returns a rule's documentation page (markdown), for formats
	// that carry rule help (SARIF); nil means none.
	Docs func(id string) string
	// Color colours the text format's severities, rule IDs and carets,
	// for a terminal. No other format is ever coloured.
	Color bool
}

// NewReport makes the report of a run from its final findings (every
// suppression applied) and what it read: the summary is counted here,
// once.
func NewReport(tool Tool, fs []Finding, rules []*Rule, st Stats) *Report {
	c := Count(fs)
	return &Report{Tool: tool, Findings: fs, Rules: rules, Summary: Summary{
		FilesScanned: st.Scanned, SkippedBinary: st.Binary, SkippedLarge: st.Large, SkippedSpecial: st.Special,
		NotRead: len(st.Unreadable), Incomplete: len(st.Unreadable) > 0 || len(st.Partial) > 0, Applied: st.Applied, Partial: st.Partial,
		Errors: c.Errors, Warnings: c.Warnings, Notices: c.Notices, Suppressed: c.Suppressed,
	}}
}

// Visible returns the findings that are not suppressed.
func (r *Report) Visible() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

// Writer prints a report in one format.
type Writer func(w io.Writer, r *Report) error

// Writers maps each --format name to its writer.
var Writers = map[string]Writer{
	"text":       WriteText,
	"json":       WriteJSON,
	"sarif":      WriteSARIF,
	"github":     WriteGitHub,
	"junit":      WriteJUnit,
	"checkstyle": WriteCheckstyle,
}

// ReportSpec is a --report FORMAT=FILE: another format, to a file.
type ReportSpec struct {
	Write Writer
	Path  string
}

// ParseReportSpecs reads FORMAT=FILE specifications.
func ParseReportSpecs(specs []string) ([]ReportSpec, error) {
	var out []ReportSpec
	for _, spec := range specs {
		f, path, ok := strings.Cut(spec, "=")
		w, known := Writers[f]
		if !ok || path == "" || !known {
			return nil, fmt.Errorf("--report %q: write FORMAT=FILE with FORMAT one of %s", spec, strings.Join(Formats(), ", "))
		}
		out = append(out, ReportSpec{w, path})
	}
	return out, nil
}

// Formats returns the format names, sorted.
func Formats() []string {
	var out []string
	for k := range Writers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// WriteText prints each finding as file:line:col: severity: message [rule]
// with its masked source line and a caret, then a one-line summary.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	// Everything from a file or a server goes through Printable: a
	// file name or line can hold terminal escapes or line breaks.
	if r.Header != "" {
		b.WriteString(TextLine(r.Header) + "\n")
	}
	paint := func(code, s string) string {
		if !r.Color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
	for _, f := range r.Visible() {
		if r.Color {
			// Each part made printable on its own, then coloured: nothing
			// from a file or server can carry an escape of its own.
			fmt.Fprintf(&b, "%s: %s: %s %s", TextLine(fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)),
				paint(severityColor(f.Severity), f.Severity.String()), TextLine(f.Message), paint("2", "["+TextLine(f.RuleID)+"]"))
		} else {
			b.WriteString(TextLine(f.String()))
		}
		b.WriteByte('\n')
		if f.Snippet != "" {
			gutter := fmt.Sprintf("%5d | ", f.Line)
			b.WriteString(gutter)
			b.WriteString(Printable(strings.ReplaceAll(f.Snippet, "\t", " ")))
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(" ", len(gutter)-2) + "| ")
			b.WriteString(strings.Repeat(" ", f.SnippetCol-1))
			b.WriteString(paint(severityColor(f.Severity), "^"+strings.Repeat("~", f.SnippetWidth-1)))
			b.WriteByte('\n')
		}
	}
	for _, n := range r.Notes {
		b.WriteString("note: " + Printable(n) + "\n")
	}
	if r.Header != "" && r.Summary.FilesScanned == 0 {
		// A live check read no files: count the problems only.
		b.WriteString(problemsLine(r.Summary))
	} else {
		b.WriteString(summaryLine(r.Summary))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// severityColor is the ANSI colour of a severity: red, yellow, cyan.
func severityColor(s Severity) string {
	switch s {
	case Error:
		return "1;31"
	case Warning:
		return "1;33"
	}
	return "36"
}

// problemsLine counts the problems by severity.
func problemsLine(s Summary) string {
	n := s.Errors + s.Warnings + s.Notices
	switch {
	case n == 0 && s.Suppressed > 0:
		// Never "no problems" while something was waived.
		return "no unsuppressed problems"
	case n == 0:
		return "no problems"
	}
	return fmt.Sprintf("%s (%s, %s, %s)", plural(n, "problem"), plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Notices, "notice"))
}

func summaryLine(s Summary) string {
	line := fmt.Sprintf("%s in %s, %s scanned", problemsLine(s), plural(s.Configs, "config"), plural(s.FilesScanned, "file"))
	if s.Suppressed > 0 {
		line += fmt.Sprintf(", %d suppressed", s.Suppressed)
	}
	if skipped := s.SkippedBinary + s.SkippedLarge; skipped > 0 {
		line += fmt.Sprintf(", %d skipped (%d binary, %d too large)", skipped, s.SkippedBinary, s.SkippedLarge)
	}
	switch {
	case s.Incomplete && s.NotRead > 0:
		line += fmt.Sprintf("; INCOMPLETE: %d not read", s.NotRead)
	case s.Incomplete && len(s.Partial) > 0:
		line += "; INCOMPLETE: " + Printable(strings.Join(s.Partial, "; "))
	case s.Incomplete:
		line += "; INCOMPLETE: see the errors above"
	}
	if s.Assumed != "" {
		line += "; for " + Printable(s.Assumed)
	}
	if len(s.Applied) > 0 {
		line += "; applied " + Printable(strings.Join(s.Applied, ", "))
	}
	if s.SkippedSpecial > 0 {
		line += fmt.Sprintf(", %s not followed", plural(s.SkippedSpecial, "link or special file"))
	}
	return line
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

type jsonFinding struct {
	Rule        string `json:"rule"`
	Severity    string `json:"severity"`
	Message     string `json:"message"`
	File        string `json:"file"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
	Fingerprint string `json:"fingerprint"`
	// DetectorRule is the secret detector's rule (a gitleaks rule ID).
	DetectorRule string `json:"detector_rule,omitempty"`
	// Fix is the one edit that resolves the finding.
	Fix *jsonFix `json:"fix,omitempty"`
	// Commit and AuthorDate place a history finding, as gitleaks and
	// trufflehog report them.
	Commit     string `json:"commit,omitempty"`
	AuthorDate string `json:"author_date,omitempty"`
	// HelpURI is the rule's documentation page.
	HelpURI string `json:"help_uri,omitempty"`
}

type jsonFix struct {
	Description string `json:"description"`
	Line        int    `json:"line"`
	Column      int    `json:"column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
	Text        string `json:"text"`
}

type jsonReport struct {
	Version  string        `json:"version"`
	Tool     Tool          `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Summary  Summary       `json:"summary"`
}

// WriteJSON prints the report as one JSON document (version "1").
// Suppressed findings are counted in the summary, not listed.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{Version: "1", Tool: r.Tool, Findings: []jsonFinding{}, Summary: r.Summary}
	for _, f := range r.Visible() {
		jf := jsonFinding{
			Rule: f.RuleID, Severity: f.Severity.String(), Message: f.Message, File: f.File,
			Line: f.Line, Column: f.Column, EndLine: f.EndLine, EndColumn: f.EndColumn, Fingerprint: f.Fingerprint,
			DetectorRule: f.DetectorRule, Commit: f.Commit, AuthorDate: f.AuthorDate, HelpURI: r.Tool.RuleHelpURL(f.RuleID),
		}
		if x := f.Fix; x != nil {
			jf.Fix = &jsonFix{Description: x.Description, Line: x.Line, Column: x.Col, EndLine: x.EndLine, EndColumn: x.EndCol, Text: x.Text}
		}
		out.Findings = append(out.Findings, jf)
	}
	if len(r.Extra) == 0 {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	// Merge the extra fields in after the standard ones.
	std, err := json.Marshal(out)
	if err != nil {
		return err
	}
	m := map[string]json.RawMessage{}
	json.Unmarshal(std, &m)
	for k, v := range r.Extra {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		m[k] = b
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
