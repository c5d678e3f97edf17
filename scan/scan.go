package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
)

// Options say what to scan and how.
type Options struct {
	// Paths are the files and folders to scan; none means ".".
	Paths []string
	// Configs are files checked as plugin configs whatever their content.
	Configs []string
	// Enable, Disable and Only select rules by ID (see rules.Select).
	Enable, Disable, Only []string
	// Staged scans the index content of staged files; Diff the files
	// changed since a revision; PreCommit the index content of exactly
	// the named files (pre-commit's file list). At most one of them.
	Staged    bool
	Diff      string
	PreCommit bool
	// History adds the history scan; HistoryRange limits it to A..B.
	History      bool
	HistoryRange string
	// ResolveEnv resolves ${NAME} references from Env.
	ResolveEnv bool
	// AllowEnv lists variables beyond the documented ones that references
	// may resolve.
	AllowEnv []string
	// Env looks environment variables up.
	Env vantage.Lookup
	// Environment is assumed for configs that name none.
	Environment string
	// Now is today.
	Now time.Time
	// MaxFileSize skips larger files; 0 means none is skipped for size.
	MaxFileSize int64
	// AllSecrets adds gitleaks' default rules.
	AllSecrets bool
	// Trace, when set, is told what became of each input (--verbose).
	Trace func(name, what string)
	// Stdin, when set, is the one input scanned (check -): content read
	// from standard input, shown under its Name.
	Stdin *lint.Input
	// Skip, when set, drops the inputs it names (by their shown name)
	// before the scan: a project file's skip-paths. A file named on the
	// command line or with --config is never dropped.
	Skip func(name string) bool
	// PluginVersion names the plugin version the configs are checked for
	// ("" for the newest).
	PluginVersion string
}

// Plan is a prepared scan.
type Plan struct {
	// Rules are the selected rules.
	Rules  []*lint.Rule
	runner *lint.Runner
	inputs []lint.Input
	notes  []string
	// bases maps each repository under review (--diff) to the revision
	// its change is diffed against, "" when there was none to read.
	bases   map[string]string
	ignores *lint.IgnoreChecker
}

// Result is what a scan found.
type Result struct {
	// Findings are sorted and fingerprinted, ignore comments applied.
	Findings []lint.Finding
	// Stats count the files read and skipped.
	Stats lint.Stats
	// Configs are the plugin configs the scan found, still parsed.
	Configs []*lint.File
	// Notes are remarks for the report (a fallback taken, unreadable files).
	Notes []string
}

// Settings are the settings rules saw, for the live check that follows.
func (p *Plan) Settings() *lint.Settings { return p.runner.Settings }

// TuneGC makes the collector lazier for a scan, unless GOGC or GOMEMLIMIT
// are set: its heap is small and mostly reused read buffers, so collecting
// at 5x the live heap under a soft 128 MiB limit spends less time in GC
// (0.21 s → 0.18 s on the 20,000-file corpus, bench/README.md).
func TuneGC(env vantage.Lookup) {
	if _, set := env("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	if _, set := env("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(128 << 20)
	}
}

// Prepare selects the rules and lists the inputs. Its errors are the
// user's to fix.
func Prepare(ctx context.Context, o Options) (*Plan, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find the working directory: %w", err)
	}
	history := o.History || o.HistoryRange != ""
	enable := o.Enable
	if history {
		enable = append(slices.Clone(enable), rules.TokenInHistory.ID)
	}
	selected, err := rules.Select(enable, o.Disable, o.Only)
	if err != nil {
		return nil, err
	}
	if s := o.Environment; s != "" && !slices.Contains(vantage.Environments, s) {
		return nil, fmt.Errorf("--environment %q is not one of %s", s, strings.Join(vantage.Environments, ", "))
	}
	// No git command runs a program the scanned repository configures.
	// The fixed overrides cost nothing; the repository's own filter and
	// diff drivers are looked up (one more git) only for the modes whose
	// git commands would run them: a diff against the work tree, log -p.
	lint.HardenGit(ctx)
	ignores := &lint.IgnoreChecker{Cwd: cwd}
	settings := &lint.Settings{
		Now:           o.Now,
		ResolveEnv:    o.ResolveEnv,
		LookupEnv:     o.Env,
		AllowEnv:      o.AllowEnv,
		ReadFile:      readOutside,
		Environment:   o.Environment,
		AllSecrets:    o.AllSecrets,
		HistoryRange:  o.HistoryRange,
		ReaderVersion: o.PluginVersion,
		Cwd:           cwd,
		Ignored:       ignores.Ignored,
		RepoRoot:      func(name string) string { root, _ := ignores.Root(name); return root },
	}
	bases := map[string]string{}
	if o.Diff != "" {
		// Under review, the files that configure the scan come from the
		// base revision: a change cannot bring its own gitleaks rules or
		// ignore list (Prepare fills bases before anything reads them).
		settings.RepoFile = func(root, name string) ([]byte, bool) {
			if base := bases[root]; base != "" {
				return lint.RevFile(ctx, root, base, name)
			}
			return nil, false
		}
	}
	paths := o.Paths
	var repoPaths []repoGroup
	if o.Staged || o.Diff != "" || o.PreCommit || history {
		if (o.Staged || o.PreCommit) && o.Diff != "" {
			return nil, fmt.Errorf("use --staged or --diff, not both")
		}
		// Git is asked about the trees being scanned, not where the user
		// stands: the repository of each path, else of cwd.
		groups, err := byRepo(ctx, cwd, paths)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			settings.Repos = append(settings.Repos, g.repo)
			if o.Diff != "" || history {
				lint.HardenGit(ctx, g.repo)
			}
		}
		settings.Repo = settings.Repos[0]
		repoPaths = groups
	}
	var inputs []lint.Input
	var notes []string
	switch {
	case o.PreCommit:
		if len(paths) == 0 {
			return &Plan{Rules: selected, runner: newRunner(selected, settings, o.MaxFileSize, o.Trace)}, nil
		}
		inputs, err = eachRepo(repoPaths, func(g repoGroup) ([]lint.Input, error) {
			return lint.IndexInputs(ctx, g.repo, cwd, g.paths)
		})
	case o.Stdin != nil:
		inputs = []lint.Input{*o.Stdin}
	case o.Staged:
		inputs, err = eachRepo(repoPaths, func(g repoGroup) ([]lint.Input, error) {
			return lint.StagedInputs(ctx, g.repo, cwd, g.paths)
		})
	case o.Diff != "":
		inputs, err = eachRepo(repoPaths, func(g repoGroup) ([]lint.Input, error) {
			in, base, note, err := lint.DiffInputs(ctx, g.repo, cwd, o.Diff, g.paths)
			bases[g.repo] = base
			if note != "" {
				notes = append(notes, note)
			}
			return in, err
		})
	default:
		if len(paths) == 0 && len(o.Configs) == 0 {
			paths = []string{"."}
		}
		inputs, err = lint.Collect(ctx, cwd, paths)
	}
	if err != nil {
		return nil, err
	}
	if o.Skip != nil {
		named := map[string]bool{}
		for _, p := range append(explicitFiles(paths), o.Configs...) {
			named[filepath.ToSlash(filepath.Clean(p))] = true
		}
		kept, skipped := inputs[:0], 0
		for _, in := range inputs {
			if !in.Config && !named[filepath.ToSlash(filepath.Clean(in.Name))] && o.Skip(in.Name) {
				skipped++
				if o.Trace != nil {
					o.Trace(in.Name, "skipped: the project file's skip-paths")
				}
				continue
			}
			kept = append(kept, in)
		}
		inputs = kept
		if skipped > 0 {
			notes = append(notes, fmt.Sprintf("%d files not scanned: the project file's skip-paths name them", skipped))
		}
	}
	for _, p := range o.Configs {
		if err := readable(p, true); err != nil {
			return nil, err
		}
	}
	if !o.Staged && o.Diff == "" && !o.PreCommit {
		for _, p := range explicitFiles(paths) {
			if err := readable(p, false); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range o.Configs {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", p, err)
		}
		name := lint.DisplayName(cwd, abs)
		inputs = slices.DeleteFunc(inputs, func(in lint.Input) bool { return in.Name == name })
		inputs = append(inputs, lint.Input{Name: name, Path: abs, Config: true})
	}
	return &Plan{
		Rules:   selected,
		inputs:  inputs,
		notes:   notes,
		bases:   bases,
		ignores: ignores,
		runner:  newRunner(selected, settings, o.MaxFileSize, o.Trace),
	}, nil
}

// ErrNotInBase means a file that configures the scan (the baseline) lies
// in a repository under review but its base revision has no such file.
var ErrNotInBase = errors.New("not in the base revision")

// ReviewFile reads a file the user names that configures the scan, such
// as the baseline. Under review (--diff), one inside a reviewed repository
// is read as the base revision holds it, never from the change: a pull
// request cannot baseline its own token. inReview is false when the file
// is read as usual by the caller (no review, or outside the repository).
func (p *Plan) ReviewFile(ctx context.Context, path string) (src []byte, inReview bool, err error) {
	if len(p.bases) == 0 {
		return nil, false, nil
	}
	root, abs := p.ignores.Root(path)
	base, ok := p.bases[root]
	if !ok {
		return nil, false, nil
	}
	rel, rerr := filepath.Rel(root, abs)
	if rerr != nil || base == "" {
		return nil, true, fmt.Errorf("%s: %w (no base revision was found to read it from)", path, ErrNotInBase)
	}
	src, found := lint.RevFile(ctx, root, base, filepath.ToSlash(rel))
	if !found {
		return nil, true, fmt.Errorf("%s: %w %s", path, ErrNotInBase, base)
	}
	return src, true, nil
}

// repoGroup is the paths of one run that lie in one git work tree.
type repoGroup struct {
	repo  string
	paths []string
}

// byRepo groups paths by the work tree holding each, in the order first
// named; no paths means the current directory's. A path outside any work
// tree is an error: the modes that call this need git.
func byRepo(ctx context.Context, cwd string, paths []string) ([]repoGroup, error) {
	if len(paths) == 0 {
		root := lint.GitRoot(ctx, cwd)
		if root == "" {
			return nil, fmt.Errorf("--staged, --diff and --history need a git work tree, and %s is not in one", cwd)
		}
		return []repoGroup{{repo: root}}, nil
	}
	var groups []repoGroup
	for _, p := range paths {
		at := p
		if fi, err := os.Lstat(at); err == nil && !fi.IsDir() {
			at = filepath.Dir(at)
		}
		root := lint.GitRoot(ctx, at)
		if root == "" {
			return nil, fmt.Errorf("--staged, --diff and --history need a git work tree, and %s is not in one", p)
		}
		i := slices.IndexFunc(groups, func(g repoGroup) bool { return g.repo == root })
		if i < 0 {
			groups = append(groups, repoGroup{repo: root})
			i = len(groups) - 1
		}
		groups[i].paths = append(groups[i].paths, p)
	}
	return groups, nil
}

// eachRepo gathers the inputs of every group, in order.
func eachRepo(groups []repoGroup, list func(repoGroup) ([]lint.Input, error)) ([]lint.Input, error) {
	var out []lint.Input
	for _, g := range groups {
		in, err := list(g)
		if err != nil {
			return nil, err
		}
		out = append(out, in...)
	}
	return out, nil
}

// newRunner is the rules' engine with a size limit.
func newRunner(selected []*lint.Rule, s *lint.Settings, maxSize int64, trace func(name, what string)) *lint.Runner {
	r := rules.NewRunner(selected, s)
	r.MaxFileSize = maxSize
	r.Trace = trace
	return r
}

// explicitFiles returns the paths that name files rather than folders
// (a link is a file here: it is not followed).
func explicitFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			out = append(out, p)
		}
	}
	return out
}

// readOutside reads a file a user names outside the scanned tree (a
// NAME_FILE): links are followed (Kubernetes mounts secrets as links), but
// never a FIFO or device, and never more than lint.ReadLimit.
func readOutside(p string) ([]byte, error) { return lint.ReadFile(p, true) }

// readable checks that an explicitly named file can be read, without
// blocking on a FIFO: a config may be a link, a path to scan may not.
func readable(p string, follow bool) error {
	var err error
	if follow {
		_, err = lint.ReadFile(p, follow) // a config: read whole, so bounded
	} else {
		err = lint.CheckOpen(p, follow) // a path to scan: any size
	}
	switch {
	case err == nil:
		return nil
	case os.IsNotExist(err):
		return fmt.Errorf("%s: no such file", p)
	case os.IsPermission(err):
		return fmt.Errorf("%s: permission denied; make it readable or leave it out", p)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", p, err)
}

// Run runs the scan. A nil Result means it could not run at all (it was
// cancelled); otherwise the error says which rules failed, and the result
// holds what the others found.
func (p *Plan) Run(ctx context.Context) (*Result, error) {
	res, err := p.runner.Run(ctx, p.inputs)
	if res == nil {
		return nil, err
	}
	out := &Result{Findings: res.Findings, Stats: res.Stats, Notes: slices.Clone(p.notes)}
	for _, f := range res.Files {
		if rules.IsConfig(f) {
			out.Configs = append(out.Configs, f)
		}
	}
	for _, u := range res.Stats.Unreadable {
		out.Notes = append(out.Notes, "could not read "+u)
	}
	return out, err
}

// CheckConfig runs the default rules on one plugin config, resolving its
// environment references: the check a pull makes before it starts.
func CheckConfig(ctx context.Context, f *lint.File, now time.Time, env vantage.Lookup, allowEnv []string, pluginVersion string) ([]lint.Finding, error) {
	r := newRunner(rules.Defaults(), &lint.Settings{Now: now, ResolveEnv: true, LookupEnv: env, ReadFile: readOutside, AllowEnv: allowEnv, ForUse: true, ReaderVersion: pluginVersion}, 0, nil)
	res, err := r.Run(ctx, []lint.Input{{Name: f.Name, Read: func() ([]byte, error) { return f.Src, nil }, Config: true}})
	if err != nil {
		return nil, err
	}
	return res.Findings, nil
}

// SplitPreCommit separates the file names pre-commit appends from the
// options before them. pre-commit runs entry + the user's args + the staged
// file names, and a file's name is chosen by whoever wrote the commit: a
// file named --fail-on=none must not become an option. The trailing
// arguments that name files git tracks are file names; the rest stay
// options. The value of an option that takes one (takesValue) is never a
// file, whatever its name. An option that is also the name of a tracked
// file is refused: the commit cannot be checked until the file is renamed.
func SplitPreCommit(ctx context.Context, args []string, takesValue func(opt string) bool) (opts, files []string, err error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, nil, fmt.Errorf("find the working directory: %w", err)
	}
	lint.HardenGit(ctx)
	tracked, err := lint.TrackedNames(ctx, cwd)
	if err != nil {
		return nil, nil, fmt.Errorf("--pre-commit lists the files git tracks, and git failed: %w", err)
	}
	end := len(args)
	for end > 0 && tracked[filepath.Clean(args[end-1])] {
		if end >= 2 && takesValue != nil && takesValue(args[end-2]) {
			break // args[end-1] is that option's value
		}
		end--
	}
	for _, o := range args[:end] {
		if tracked[filepath.Clean(o)] && strings.HasPrefix(o, "-") {
			return nil, nil, fmt.Errorf("%q is both an option in the hook's args and the name of a tracked file; rename the file (a file named like an option is refused, never read as one)", o)
		}
	}
	return args[:end], args[end:], nil
}
