package lint

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/ast"
)

// TestMultiDocumentYAMLIsLinear: a rendered bundle of 20,000 small
// documents parses with every document, the last one's positions those
// of the whole file, and memory in proportion to the file (parsing each
// document padded with the lines before it allocated 1.6 GB here).
func TestMultiDocumentYAMLIsLinear(t *testing.T) {
	const n = 20000
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n", i)
	}
	src := []byte(b.String())
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	y := NewFile("bundle.yaml", src).YAML()
	runtime.ReadMemStats(&after)
	if y.Err != nil {
		t.Fatal(y.Err)
	}
	if len(y.AST.Docs) != n {
		t.Fatalf("%d documents, want %d", len(y.AST.Docs), n)
	}
	last := y.AST.Docs[n-1].Body.(*ast.MappingNode)
	if tk := last.Values[2].Key.GetToken(); tk.Position.Line != 5*n-1 || tk.Value != "metadata" {
		t.Errorf("last document's metadata key at line %d (%q), want %d", tk.Position.Line, tk.Value, 5*n-1)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 400<<20 {
		t.Errorf("parsing %d KB allocated %d MB", len(src)>>10, alloc>>20)
	} else {
		t.Logf("parsing %d KB allocated %d MB", len(src)>>10, alloc>>20)
	}
}

// TestLargeYAMLIsNotParsed: past MaxYAMLSize a file is not handed to the
// YAML parser (whose memory is about 50 times the file's), and says why.
func TestLargeYAMLIsNotParsed(t *testing.T) {
	src := []byte(strings.Repeat("---\nkind: Secret\n", MaxYAMLSize/16+1))
	y := NewFile("big.yaml", src).YAML()
	if y.AST != nil || y.Err == nil || !strings.Contains(y.Err.Error(), "not parsed as YAML") {
		t.Fatalf("AST %v, err %v", y.AST != nil, y.Err)
	}
}
