package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// StaleBaseline is the engine's rule for baseline entries that no longer
// match any finding.
var StaleBaseline = &Rule{
	ID:       "stale-baseline",
	Summary:  "baseline entries that no longer match any finding",
	Severity: Notice,
}

// BaselineEntry is one known finding: its rule, file and fingerprint. It
// holds no message or content, so a baseline never contains a secret.
type BaselineEntry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`

	line int
}

// Baseline is a set of known findings that check does not report again.
type Baseline struct {
	// Name is the baseline file's name as shown in findings.
	Name    string
	Entries []BaselineEntry
	// regenerate is the command that rewrites the baseline, for messages.
	regenerate string
}

type baselineFile struct {
	Version  string          `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// WriteBaseline writes the fingerprints of the findings that are not
// suppressed, one entry a line so that diffs stay readable.
func WriteBaseline(w io.Writer, fs []Finding) error {
	var es []BaselineEntry
	for _, f := range fs {
		if !f.Suppressed {
			es = append(es, BaselineEntry{Rule: f.RuleID, File: f.File, Fingerprint: f.Fingerprint})
		}
	}
	sort.Slice(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		return a.Fingerprint < b.Fingerprint
	})
	var b bytes.Buffer
	b.WriteString("{\n  \"version\": \"1\",\n  \"findings\": [")
	for i, e := range es {
		line, _ := json.Marshal(e)
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n    ")
		b.Write(line)
	}
	if len(es) > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}\n")
	_, err := w.Write(b.Bytes())
	return err
}

// LoadBaseline reads and parses the baseline file at path (a link may be
// followed: the user named it), written by tool.
func LoadBaseline(tool, path string) (*Baseline, error) {
	src, err := ReadFile(path, true)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return ReadBaseline(tool, path, src)
}

// ReadBaseline parses a baseline file written by tool. Errors carry the
// line and column.
func ReadBaseline(tool, name string, src []byte) (*Baseline, error) {
	regenerate := fmt.Sprintf("`%s baseline --output %s`", tool, name)
	var bf baselineFile
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&bf); err != nil {
		off := int(dec.InputOffset())
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = int(se.Offset)
		case errors.As(err, &te):
			off = int(te.Offset)
		}
		f := NewFile(name, src)
		l, c := f.Position(off)
		return nil, fmt.Errorf("%s:%d:%d: not a %s baseline: %v; regenerate it with %s", name, l, c, tool, err, regenerate)
	}
	if bf.Version != "1" {
		return nil, fmt.Errorf("%s:1:1: unsupported baseline version %q; regenerate it with %s", name, bf.Version, regenerate)
	}
	// Find each entry's line for stale-entry findings.
	lines := strings.Split(string(src), "\n")
	next := 0
	for i := range bf.Findings {
		fp := bf.Findings[i].Fingerprint
		for j := next; j < len(lines); j++ {
			if fp != "" && strings.Contains(lines[j], fp) {
				bf.Findings[i].line = j + 1
				next = j + 1
				break
			}
		}
		if bf.Findings[i].line == 0 {
			bf.Findings[i].line = 1
		}
	}
	return &Baseline{Name: name, Entries: bf.Findings, regenerate: regenerate}, nil
}

// apply marks findings the baseline knows as suppressed and returns, as
// stale-baseline notices, the entries that matched no finding.
func (b *Baseline) apply(fs []Finding) (out, stale []Finding) {
	known := map[string]int{}
	for i, e := range b.Entries {
		known[e.Fingerprint] = i
	}
	used := make([]bool, len(b.Entries))
	for i := range fs {
		if fs[i].Suppressed {
			continue
		}
		if j, ok := known[fs[i].Fingerprint]; ok {
			fs[i].Suppressed, fs[i].SuppressedBy = true, "baseline"
			used[j] = true
		}
	}
	for i, e := range b.Entries {
		if used[i] {
			continue
		}
		stale = append(stale, Finding{
			RuleID:   StaleBaseline.ID,
			Severity: StaleBaseline.Severity,
			Message: fmt.Sprintf("baseline entry for %s in %s no longer matches a finding; it was fixed or moved, so regenerate the baseline with %s",
				e.Rule, e.File, b.regenerate),
			File: b.Name, Line: e.line, Column: 1, EndLine: e.line, EndColumn: 2,
			Fingerprint: e.Fingerprint,
		})
	}
	return fs, stale
}
