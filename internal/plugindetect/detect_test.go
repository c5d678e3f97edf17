//go:build unix

package plugindetect

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// fakePlugin writes an executable that prints what a release prints.
func fakePlugin(t *testing.T, dir, says string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, Binary)
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho '"+says+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDetect(t *testing.T) {
	onPath := t.TempDir()
	home := t.TempDir()
	fakePlugin(t, filepath.Join(home, "plugins", "vantage", "v0.1.0"), Binary+" v0.1.0")
	fakePlugin(t, filepath.Join(home, "plugins", "vantage", "v0.1.1"), Binary+" v0.1.1")
	env := func(vars map[string]string) Env {
		return Env{Lookup: func(k string) (string, bool) { v, ok := vars[k]; return v, ok }}
	}
	ctx := context.Background()

	if f, ok := Detect(ctx, env(map[string]string{"FINFOCUS_HOME": home})); !ok || f.Version != "v0.1.1" {
		t.Errorf("plugin folder: got %+v %v; want the newest folder's v0.1.1", f, ok)
	}
	p := fakePlugin(t, onPath, Binary+" 0.1.0")
	if f, ok := Detect(ctx, env(map[string]string{"PATH": onPath, "FINFOCUS_HOME": home})); !ok || f.Version != "0.1.0" || f.Path != p {
		t.Errorf("PATH first: got %+v %v", f, ok)
	}
	// A relative PATH entry (a checked-out repository) is never run.
	rel := t.TempDir()
	fakePlugin(t, filepath.Join(rel, "bin"), Binary+" v9.9.9")
	t.Chdir(rel)
	if f, ok := Detect(ctx, env(map[string]string{"PATH": "bin"})); ok {
		t.Errorf("ran a binary from a relative PATH entry: %+v", f)
	}
	// Something else answering is not a plugin.
	odd := t.TempDir()
	fakePlugin(t, odd, "usage: something else")
	if f, ok := Detect(ctx, env(map[string]string{"PATH": odd})); ok {
		t.Errorf("took %+v for a plugin", f)
	}
	if _, ok := Detect(ctx, env(nil)); ok {
		t.Error("nothing installed: want none")
	}
}
