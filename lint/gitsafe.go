package lint

import (
	"context"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// A scanned repository is untrusted: a pull request chooses its files, and
// a checkout someone hands over chooses its .git/config too. Git runs
// commands that configuration names: fsmonitor on every status-like
// command, hooks, an external diff, textconv drivers in `log -p`, clean and
// smudge filters when the work tree is compared, signature programs,
// credential helpers and pagers. HardenGit turns every one of them off for
// every git the process starts (its own and gitleaks'), through git's
// GIT_CONFIG_COUNT environment (git 2.31 and later), which outranks every
// configuration file.

// gitOverrides are set for every repository.
var gitOverrides = [][2]string{
	{"core.fsmonitor", "false"},
	{"core.hooksPath", os.DevNull},
	{"core.pager", "cat"},
	{"core.sshCommand", ""},
	{"core.askPass", ""},
	{"diff.external", ""},
	{"credential.helper", ""},
	{"log.showSignature", "false"},
	{"gpg.program", ""},
	{"gpg.ssh.program", ""},
	{"gpg.x509.program", ""},
	{"core.untrackedCache", "false"},
}

var hardenMu sync.Mutex

// HardenGit sets the process environment so that no git command runs a
// program a repository's configuration names: the fixed overrides above,
// and for every filter and diff driver configured for the repositories
// given, empty clean, smudge, process and textconv commands. Call it
// before any git command of a scan; it may be called again with more
// repositories.
func HardenGit(ctx context.Context, repos ...string) {
	hardenMu.Lock()
	defer hardenMu.Unlock()
	kv := append([][2]string{}, gitOverrides...)
	env := func(k, v string) { os.Setenv(k, v) }
	env("GIT_TERMINAL_PROMPT", "0")
	env("GIT_PAGER", "cat")
	env("GIT_OPTIONAL_LOCKS", "0")
	os.Unsetenv("GIT_EXTERNAL_DIFF")
	setGitConfig(kv) // the fixed ones first, so that reading config is safe
	drivers := map[string]bool{}
	for _, repo := range repos {
		if repo == "" {
			continue
		}
		cmd := exec.CommandContext(ctx, "git", "-C", repo, "config", "-z", "--name-only", "--get-regexp", `^(filter|diff|merge)\.`)
		out, _ := cmd.Output()
		for _, name := range strings.Split(string(out), "\x00") {
			if i := strings.LastIndexByte(name, '.'); i > 0 {
				drivers[name[:i]] = true
			}
		}
	}
	names := make([]string, 0, len(drivers))
	for d := range drivers {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names {
		switch {
		case strings.HasPrefix(d, "filter."):
			kv = append(kv, [2]string{d + ".clean", ""}, [2]string{d + ".smudge", ""}, [2]string{d + ".process", ""}, [2]string{d + ".required", "false"})
		case strings.HasPrefix(d, "diff."):
			kv = append(kv, [2]string{d + ".textconv", ""}, [2]string{d + ".command", ""})
		case strings.HasPrefix(d, "merge."):
			kv = append(kv, [2]string{d + ".driver", ""})
		}
	}
	setGitConfig(kv)
}

// setGitConfig writes kv as GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n and
// GIT_CONFIG_VALUE_n, after any the user set before the process started.
func setGitConfig(kv [][2]string) {
	base := userGitConfigCount()
	for i, p := range kv {
		n := strconv.Itoa(base + i)
		os.Setenv("GIT_CONFIG_KEY_"+n, p[0])
		os.Setenv("GIT_CONFIG_VALUE_"+n, p[1])
	}
	os.Setenv("GIT_CONFIG_COUNT", strconv.Itoa(base+len(kv)))
}

var userCount = sync.OnceValue(func() int {
	n, _ := strconv.Atoi(os.Getenv("GIT_CONFIG_COUNT"))
	return max(n, 0)
})

func userGitConfigCount() int { return userCount() }
