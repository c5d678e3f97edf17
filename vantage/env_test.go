package vantage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseRefs(t *testing.T) {
	for _, tc := range []struct {
		in      string
		refs    []string
		bad     []string
		problem string
	}{
		{in: "${FINFOCUS_VANTAGE_TOKEN}", refs: []string{"FINFOCUS_VANTAGE_TOKEN"}},
		{in: "Bearer ${A}-${B_2}", refs: []string{"A", "B_2"}},
		{in: "$FINFOCUS_VANTAGE_TOKEN", bad: []string{"$FINFOCUS_VANTAGE_TOKEN"}, problem: "write ${FINFOCUS_VANTAGE_TOKEN}"},
		{in: "${FINFOCUS_VANTAGE_TOKEN", bad: []string{"${FINFOCUS_VANTAGE_TOKEN"}, problem: "not closed"},
		{in: "${ NAME }", bad: []string{"${ NAME }"}, problem: "spaces"},
		{in: "{{NAME}}", bad: []string{"{{NAME}}"}, problem: "template"},
		{in: "{{ .Values.token }}", bad: []string{"{{ .Values.token }}"}, problem: "template"},
		{in: "${NAME:-x}", bad: []string{"${NAME:-x}"}, problem: "write ${NAME}"},
		{in: "${1BAD}", bad: []string{"${1BAD}"}, problem: "not a valid variable name"},
		{in: "price $$5", refs: nil},
		{in: "plain", refs: nil},
	} {
		refs, bad := ParseRefs(tc.in)
		var gotRefs, gotBad []string
		for _, r := range refs {
			gotRefs = append(gotRefs, r.Name)
			if got := string([]rune(tc.in)[r.Start:r.End]); got != "${"+r.Name+"}" {
				t.Errorf("%q: ref offsets give %q", tc.in, got)
			}
		}
		for _, b := range bad {
			gotBad = append(gotBad, b.Text)
			if !strings.Contains(b.Problem, tc.problem) {
				t.Errorf("%q: problem %q lacks %q", tc.in, b.Problem, tc.problem)
			}
		}
		if strings.Join(gotRefs, ",") != strings.Join(tc.refs, ",") || strings.Join(gotBad, ",") != strings.Join(tc.bad, ",") {
			t.Errorf("ParseRefs(%q) = %v, %v; want %v, %v", tc.in, gotRefs, gotBad, tc.refs, tc.bad)
		}
	}
}

func lookup(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	os.WriteFile(file, []byte(apiToken+"\n\n"), 0o600)
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    string
		wantErr error
	}{
		{"from env", map[string]string{"T": apiToken}, apiToken, nil},
		{"from file, one newline trimmed", map[string]string{"T_FILE": file}, apiToken + "\n", nil},
		{"unset", nil, "", ErrUnset},
		{"empty", map[string]string{"T": ""}, "", ErrEmpty},
		{"both", map[string]string{"T": apiToken, "T_FILE": file}, "", ErrConflict},
		{"missing file", map[string]string{"T_FILE": filepath.Join(dir, "nope")}, "", fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Resolver{Env: lookup(tc.env), Allow: []string{"T"}}.Resolve("T")
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if r.Value != tc.want {
				t.Errorf("value = %q, want %q", r.Value, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), apiToken) {
				t.Errorf("error leaks the value: %v", err)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	got, err := Resolver{Env: lookup(map[string]string{"A": "x", "B": "y"}), Allow: []string{"A", "B"}}.Expand("${A}-${B}")
	if err != nil || got != "x-y" {
		t.Errorf("Expand = %q, %v", got, err)
	}
	if _, err := (Resolver{Allow: []string{"A"}}).Expand("${A}"); !errors.Is(err, ErrUnset) {
		t.Errorf("Expand unset: %v", err)
	}
}

// TestUndocumentedNamesAreNeverLookedUp: a name outside the documented
// ones, not allowed, is refused before the environment is asked.
func TestUndocumentedNamesAreNeverLookedUp(t *testing.T) {
	asked := false
	r := Resolver{Env: func(string) (string, bool) { asked = true; return "secret", true }}
	if _, err := r.Expand("${AWS_SECRET_ACCESS_KEY}"); !errors.Is(err, ErrNotAllowed) || asked {
		t.Fatalf("err = %v, asked %v", err, asked)
	}
	for _, name := range []string{EnvToken, EnvToken + FileSuffix, "PULUMICOST_VANTAGE_TOKEN"} {
		if !ReadableEnvName(name, nil) {
			t.Errorf("%s is documented", name)
		}
	}
	if !ReadableEnvName("MY_TOKEN_FILE", []string{"MY_TOKEN"}) || ReadableEnvName("MY_TOKEN", nil) {
		t.Error("an allowed name brings its _FILE form, and nothing else")
	}
}
