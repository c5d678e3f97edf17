//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestTerraformSiblingsAreNotFollowed: a module folder with zero.tf, a
// link to /dev/zero, and pipe.tf, a FIFO, beside a file that mentions
// Vantage: the scan ends, in bounded memory, without reading either.
func TestTerraformSiblingsAreNotFollowed(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"infra/main.tf": "provider \"vantage\" {\n  api_token = var.vantage_token\n}\n"})
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "infra", "zero.tf")); err != nil {
		t.Skip(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "infra", "pipe.tf"), 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan result, 1)
	go func() { done <- runCLI(t, dir, nil, "check", "--format", "json", ".") }()
	select {
	case r := <-done:
		if r.code == exitUsage {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the scan hung on a FIFO or a link to /dev/zero")
	}
}

// TestNamedFIFOsNeverHang: a FIFO named as a path, a --config or a
// --baseline is refused at once (exit 2), not read.
func TestNamedFIFOsNeverHang(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip(err)
	}
	writeFiles(t, dir, map[string]string{"ok.yaml": cleanConfig})
	for _, args := range [][]string{{"check", "fifo.yaml"}, {"check", "--config", "fifo.yaml"}, {"check", "--baseline", "fifo.yaml", "ok.yaml"}, {"auth", "--config", "fifo.yaml"}} {
		done := make(chan result, 1)
		go func() { done <- runCLI(t, dir, nil, args...) }()
		select {
		case r := <-done:
			if r.code != exitUsage || !strings.Contains(r.stderr, "not a regular file") {
				t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("%v hung on a FIFO", args)
		}
	}
}
