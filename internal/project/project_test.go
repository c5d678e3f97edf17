package project

import "testing"

func TestSkip(t *testing.T) {
	f, err := Parse("p.yaml", []byte("skip-paths:\n  - vendor/**\n  - testdata/*.yaml\n  - node_modules\n"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		"vendor/a/b.sh":         true,
		"vendor":                true,
		"vendorx/a.sh":          false,
		"testdata/x.yaml":       true,
		"testdata/sub/x.yaml":   false,
		"web/node_modules/a.js": true,
		"deploy/vantage.yaml":   false,
	} {
		if got := f.Skip(path); got != want {
			t.Errorf("Skip(%q) = %v, want %v", path, got, want)
		}
	}
}
