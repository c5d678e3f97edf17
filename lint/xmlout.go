package lint

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure"`
	Skipped   *junitSkipped  `xml:"skipped"`
}

// junitSkipped marks a suppressed finding: counted, not a failure.
type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit prints JUnit XML: a suite per rule, a test case per file the
// rule reported on (one failure per finding), one passing case for a rule
// that found nothing, and a skipped case per suppressed finding, so that
// suppressions are counted here too.
func WriteJUnit(w io.Writer, r *Report) error {
	byRule := map[string]map[string][]Finding{}
	suppressed := map[string][]Finding{}
	for _, f := range r.Findings {
		if f.Suppressed {
			suppressed[f.RuleID] = append(suppressed[f.RuleID], f)
		}
	}
	for _, f := range r.Visible() {
		if byRule[f.RuleID] == nil {
			byRule[f.RuleID] = map[string][]Finding{}
		}
		byRule[f.RuleID][f.File] = append(byRule[f.RuleID][f.File], f)
	}
	ids := map[string]bool{}
	for _, rule := range r.Rules {
		ids[rule.ID] = true
	}
	for id := range byRule {
		ids[id] = true
	}
	for id := range suppressed {
		ids[id] = true
	}
	var sorted []string
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Strings(sorted)
	out := junitSuites{Name: r.Tool.Name}
	for _, id := range sorted {
		suite := junitSuite{Name: id}
		files := byRule[id]
		if len(files) == 0 && len(suppressed[id]) == 0 {
			suite.Cases = []junitCase{{Name: "all files", Classname: id}}
		}
		var names []string
		for f := range files {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, name := range names {
			c := junitCase{Name: name, Classname: id}
			for _, f := range files[name] {
				c.Failures = append(c.Failures, junitFailure{Message: f.Message, Type: f.Severity.String(), Text: f.String()})
			}
			suite.Failures += len(c.Failures)
			suite.Cases = append(suite.Cases, c)
		}
		for _, f := range suppressed[id] {
			suite.Cases = append(suite.Cases, junitCase{Name: fmt.Sprintf("%s:%d", f.File, f.Line), Classname: id,
				Skipped: &junitSkipped{Message: "suppressed by " + f.SuppressedBy + ": " + f.Message}})
			suite.Skipped++
		}
		suite.Tests = len(suite.Cases)
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Skipped += suite.Skipped
		out.Suites = append(out.Suites, suite)
	}
	return writeXML(w, out)
}

type checkstyleRoot struct {
	XMLName xml.Name         `xml:"checkstyle"`
	Version string           `xml:"version,attr"`
	Files   []checkstyleFile `xml:"file"`
}

type checkstyleFile struct {
	Name   string            `xml:"name,attr"`
	Errors []checkstyleError `xml:"error"`
}

type checkstyleError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// WriteCheckstyle prints Checkstyle XML, one <file> per file with findings;
// a suppressed finding is listed with Checkstyle's severity "ignore", so
// suppressions are counted here too.
func WriteCheckstyle(w io.Writer, r *Report) error {
	out := checkstyleRoot{Version: "4.3"}
	idx := map[string]int{}
	for _, f := range r.Findings {
		i, ok := idx[f.File]
		if !ok {
			i = len(out.Files)
			idx[f.File] = i
			out.Files = append(out.Files, checkstyleFile{Name: f.File})
		}
		sev := map[Severity]string{Error: "error", Warning: "warning", Notice: "info"}[f.Severity]
		msg := f.Message
		if f.Suppressed {
			sev, msg = "ignore", "suppressed by "+f.SuppressedBy+": "+msg
		}
		out.Files[i].Errors = append(out.Files[i].Errors, checkstyleError{Line: f.Line, Column: f.Column, Severity: sev, Message: msg, Source: r.Tool.Name + "." + f.RuleID})
	}
	return writeXML(w, out)
}

// writeXML writes a document with the XML header. Text that XML cannot
// carry (control characters) is replaced by encoding/xml's escaping.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode XML: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
