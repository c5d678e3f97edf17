package main

import (
	"strings"
	"testing"
)

// TestSummarize: package lines and failing tests' output are printed as go
// test prints them; skips come back with their reason; passing tests'
// output is dropped.
func TestSummarize(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:9: DUCKDB_NODE_MODULES is not set\n"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"--- SKIP: TestA (0.00s)\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB","Output":"    b_test.go:3: broke\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"quiet\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestC"}`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t0.1s\n"}`,
	}, "\n")
	var out strings.Builder
	skips := summarize(strings.NewReader(in), &out)
	if got := out.String(); got != "    b_test.go:3: broke\nFAIL\tp\t0.1s\n" {
		t.Errorf("output %q", got)
	}
	if len(skips) != 1 || skips[0].test != "TestA" || skips[0].why != "a_test.go:9: DUCKDB_NODE_MODULES is not set" {
		t.Errorf("skips %+v", skips)
	}
}
