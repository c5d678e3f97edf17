package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAbortKeepsTarget(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.jsonl")
	os.WriteFile(target, []byte("old"), 0o600)
	f, err := Create(target)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half of the new")
	f.Abort()
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("target = %q after abort", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
}

func TestCommitReplacesKeepingMode(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	os.WriteFile(target, []byte("old"), 0o600)
	if err := WriteFile(target, []byte("new")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(target)
	fi, _ := os.Stat(target)
	if string(b) != "new" || fi.Mode().Perm() != 0o600 {
		t.Errorf("content %q mode %v", b, fi.Mode())
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), TempPrefix) {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

func TestDeviceTargetIsWrittenInPlace(t *testing.T) {
	// Renaming over /dev/null would replace the device with a file.
	if err := WriteFile(os.DevNull, []byte("discarded")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(os.DevNull)
	if err != nil || fi.Mode().IsRegular() {
		t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi.Mode(), err)
	}
}

// TestLinkToRegularFileReplacesTheTarget: --output through a link to a
// file replaces the file atomically and leaves the link a link.
func TestLinkToRegularFileReplacesTheTarget(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.txt")
	link := filepath.Join(dir, "link.txt")
	os.WriteFile(real, []byte("old"), 0o640)
	if err := os.Symlink("real.txt", link); err != nil {
		t.Skip(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
		t.Errorf("target mode %v, want 0640 kept", fi.Mode().Perm())
	}
}

// TestLinkToDeviceIsWrittenThrough: a link to a device (as /dev/stdout
// is) is written through in place, never replaced by a regular file.
func TestLinkToDeviceIsWrittenThrough(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "out")
	if err := os.Symlink(os.DevNull, link); err != nil {
		t.Skip(err)
	}
	if err := WriteFile(link, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode().IsRegular() {
		t.Fatalf("%s became a regular file", os.DevNull)
	}
}

// TestNewFilesHonourTheUmask: a new file gets the mode asked for less the
// umask (0600 for cost data), never a fixed 0644.
func TestNewFilesHonourTheUmask(t *testing.T) {
	dir := t.TempDir()
	for _, perm := range []os.FileMode{0o666, 0o600} {
		p := filepath.Join(dir, perm.String())
		if err := WriteFileMode(p, []byte("x"), perm); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(p)
		if want := perm &^ umask(); fi.Mode().Perm() != want {
			t.Errorf("mode %v, want %v (umask %v)", fi.Mode().Perm(), want, umask())
		}
	}
}

// TestNoWriteThroughLinksInTheTree: a link inside an untrusted folder, as
// the file or as a parent folder, is refused before anything is written;
// a link outside (the root folder included) is followed as before.
func TestNoWriteThroughLinksInTheTree(t *testing.T) {
	tree, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	os.WriteFile(victim, []byte("keep"), 0o644)
	os.Symlink(victim, filepath.Join(tree, "out.sarif"))
	os.Symlink(outside, filepath.Join(tree, "dir"))
	SetUntrusted(tree)
	defer SetUntrusted()
	for _, p := range []string{filepath.Join(tree, "out.sarif"), filepath.Join(tree, "dir", "new.sarif")} {
		if err := WriteFile(p, []byte("x")); !errors.Is(err, ErrLinkInTree) {
			t.Errorf("%s: %v, want ErrLinkInTree", p, err)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep" {
		t.Errorf("the target was written: %q", b)
	}
	if _, err := os.Stat(filepath.Join(outside, "new.sarif")); err == nil {
		t.Error("a file was created through the linked folder")
	}
	// Outside the untrusted folders, and with / untrusted, links work.
	SetUntrusted("/")
	if err := WriteFile(filepath.Join(tree, "out.sarif"), []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "new" {
		t.Errorf("a link outside the untrusted folders was not followed: %q", b)
	}
}
