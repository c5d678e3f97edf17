package lint

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strings"
	"testing"
)

// FuzzWriters: a finding with any message, file and rule produces valid
// JSON and SARIF, well-formed JUnit and Checkstyle XML, and workflow
// commands whose escaping round-trips and keeps each command on one line.
func FuzzWriters(f *testing.F) {
	f.Add("a message", "dir/file.yaml", "hardcoded-token", 3, 7)
	f.Add("line\nbreak\r%25 50% a,b:c", "we,ird:na me%.yml", "x", 1, 1)
	f.Add("\x00\x01 <xml> & \"quotes\" ]]>", "\xff\xfe.txt", "", 0, -5)
	f.Add(strings.Repeat("é", 300), "", "rule", 1<<30, 1<<30)
	f.Fuzz(func(t *testing.T, msg, file, rule string, line, col int) {
		fd := Finding{RuleID: rule, Severity: Error, Message: msg, File: file, Line: line, Column: col, EndLine: line, EndColumn: col + 1, Fingerprint: "f"}
		rep := NewReport(Tool{Name: "some-tool", Version: "1.0.0", URL: "https://example.com/some-tool"}, []Finding{fd, {RuleID: rule, Severity: Notice, Message: msg, File: file, Line: 1, Column: 1, Suppressed: true, SuppressedBy: "comment"}},
			[]*Rule{{ID: "hardcoded-token", Summary: "credentials written into a plugin config", Severity: Error}}, Stats{})
		for _, name := range []string{"json", "sarif"} {
			var b bytes.Buffer
			if err := Writers[name](&b, rep); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if !json.Valid(b.Bytes()) {
				t.Fatalf("%s is not valid JSON:\n%s", name, b.String())
			}
		}
		for _, name := range []string{"junit", "checkstyle"} {
			var b bytes.Buffer
			if err := Writers[name](&b, rep); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			dec := xml.NewDecoder(&b)
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", name, err)
				}
			}
		}
		var b bytes.Buffer
		if err := WriteGitHub(&b, rep); err != nil {
			t.Fatal(err)
		}
		out := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
		if len(out) != 2 || !strings.HasPrefix(out[0], "::error ") {
			t.Fatalf("workflow commands not one per line:\n%q", b.String())
		}
		data := out[0][strings.Index(out[0], "::"+"")+2:]
		data = data[strings.Index(data, "::")+2:]
		// The message arrives as printed on a terminal: control
		// characters shown as escapes, nothing else changed.
		if unescapeData(data) != Printable(msg) {
			t.Fatalf("message does not round-trip: %q → %q", msg, data)
		}
	})
}

// unescapeData reverses escapeData, as the Actions runner does.
func unescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}
