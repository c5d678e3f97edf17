// Package plugindetect finds an installed FinFocus Vantage plugin and asks
// it its version: the binary finfocus-plugin-vantage on PATH, else the
// newest one in FinFocus's plugin folder (FINFOCUS_HOME/plugins/vantage/V/,
// by default ~/.finfocus/plugins/vantage/V/). Every release answers
// --version with "finfocus-plugin-vantage VERSION" and exits.
package plugindetect

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Binary is the plugin's executable name.
const Binary = "finfocus-plugin-vantage"

// Found is an installed plugin that answered.
type Found struct {
	// Path is the binary that was run, Version what it said.
	Path, Version string
}

// Env is what detection reads from the environment.
type Env struct {
	// Lookup finds an environment variable (PATH, FINFOCUS_HOME, HOME).
	Lookup func(string) (string, bool)
	// Timeout bounds the --version run; 0 means 3 s.
	Timeout time.Duration
}

var versionRe = regexp.MustCompile(`^` + Binary + ` (v?[0-9A-Za-z][0-9A-Za-z.+-]{0,63})\s*$`)

// Detect returns the installed plugin's version, or ok false when none is
// installed or none answered as a release does. It never runs a binary
// named by a relative PATH entry (a checked-out repository cannot plant
// one).
func Detect(ctx context.Context, e Env) (Found, bool) {
	for _, p := range candidates(e) {
		if v, ok := ask(ctx, p, e.Timeout); ok {
			return Found{Path: p, Version: v}, true
		}
	}
	return Found{}, false
}

func candidates(e Env) []string {
	get := func(k string) string {
		if e.Lookup == nil {
			return ""
		}
		v, _ := e.Lookup(k)
		return v
	}
	name := Binary
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	var out []string
	for _, dir := range filepath.SplitList(get("PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		out = append(out, filepath.Join(dir, name))
	}
	home := get("FINFOCUS_HOME")
	if home == "" {
		if h := get("HOME"); h != "" {
			home = filepath.Join(h, ".finfocus")
		}
	}
	if home != "" && filepath.IsAbs(home) {
		versions, _ := filepath.Glob(filepath.Join(home, "plugins", "vantage", "*", name))
		slices.Sort(versions)
		slices.Reverse(versions) // newest folder name first
		out = append(out, versions...)
	}
	return out
}

// ask runs one binary with --version and reads its one line.
func ask(ctx context.Context, path string, timeout time.Duration) (string, bool) {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
		return "", false
	}
	if timeout == 0 {
		timeout = 3 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "--version")
	cmd.Env = []string{} // it needs nothing, and gets no secret
	var out limited
	cmd.Stdout = &out
	if err := cmd.Run(); err != nil {
		return "", false
	}
	m := versionRe.FindStringSubmatch(strings.TrimSpace(out.String()))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// limited keeps the first 256 bytes written to it.
type limited struct{ bytes.Buffer }

func (l *limited) Write(p []byte) (int, error) {
	if room := 256 - l.Len(); room < len(p) {
		l.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return l.Buffer.Write(p)
}
