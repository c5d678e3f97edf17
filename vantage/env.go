package vantage

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/rshade/finfocus-vantage/internal/lazyre"
)

// Environment variable names the plugin knows. Each may also be given as
// NAME_FILE, naming a file that holds the value (the Docker-secrets
// convention).
const (
	EnvToken           = "FINFOCUS_VANTAGE_TOKEN"
	EnvCostReportToken = "FINFOCUS_VANTAGE_COST_REPORT_TOKEN"
	EnvWorkspaceToken  = "FINFOCUS_VANTAGE_WORKSPACE_TOKEN"
	EnvBaseURL         = "FINFOCUS_VANTAGE_BASE_URL"
	// EnvPrefix starts every variable the plugin reads.
	EnvPrefix = "FINFOCUS_VANTAGE_"
	// FileSuffix turns a variable name into the name of its file variant.
	FileSuffix = "_FILE"
	// EnvPluginVersion chooses the plugin version when --plugin-version
	// is not given.
	EnvPluginVersion = "FINFOCUS_VANTAGE_PLUGIN_VERSION"
	// The variables the loader at 1c637b6 reads; each overrides the config
	// file when set and not empty. No release reads them.
	PluginEnvToken     = "PULUMICOST_VANTAGE_TOKEN"
	PluginEnvStartDate = "PULUMICOST_VANTAGE_START_DATE"
	PluginEnvEndDate   = "PULUMICOST_VANTAGE_END_DATE"
)

// KnownEnvNames lists every FINFOCUS_VANTAGE_* variable the plugin reads.
var KnownEnvNames = []string{
	EnvToken, EnvToken + FileSuffix,
	EnvCostReportToken, EnvCostReportToken + FileSuffix,
	EnvWorkspaceToken, EnvWorkspaceToken + FileSuffix,
	EnvBaseURL,
}

// pluginEnvNames are the variables the 1c637b6 loader reads (its names
// from before the rename to FinFocus): they override the config file.
var pluginEnvNames = []string{PluginEnvToken, PluginEnvStartDate, PluginEnvEndDate}

// ReadableEnvName reports whether a ${NAME} reference may be resolved: a
// variable the plugin or its docs name (FINFOCUS_VANTAGE_*, with _FILE,
// and PULUMICOST_VANTAGE_*), or one the user allowed. A config file in a
// repository is written by whoever wrote the commit; it must not make the
// tool read, and send to the API, any other secret of the environment.
func ReadableEnvName(name string, allowed []string) bool {
	if IsKnownEnvName(name) || slices.Contains(pluginEnvNames, name) {
		return true
	}
	return slices.Contains(allowed, name) || (strings.HasSuffix(name, FileSuffix) && slices.Contains(allowed, strings.TrimSuffix(name, FileSuffix)))
}

// IsKnownEnvName reports whether name is a variable the plugin reads.
func IsKnownEnvName(name string) bool {
	for _, k := range KnownEnvNames {
		if k == name {
			return true
		}
	}
	return false
}

var envNameRe = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Ref is one well-formed ${NAME} reference inside a value. Start and End
// are rune offsets of the reference in the value.
type Ref struct {
	Name       string
	Start, End int
}

// BadRef is a malformed reference inside a value, with the reason and the
// form to write instead. Start and End are rune offsets in the value.
type BadRef struct {
	Text       string
	Start, End int
	Problem    string
	// Placeholder reports documentation filler such as ${...}: written
	// to be replaced, not a mistake.
	Placeholder bool
}

// ParseRefs finds the ${NAME} references in s and the malformed ones:
// $NAME, ${NAME (unterminated), ${ NAME }, ${NAME:-default} and {{NAME}}.
// "$$" is a literal dollar and is skipped.
func ParseRefs(s string) (refs []Ref, bad []BadRef) {
	if !strings.ContainsAny(s, "${") {
		return nil, nil
	}
	r := []rune(s)
	for i := 0; i < len(r); i++ {
		switch {
		case r[i] == '$' && i+1 < len(r) && r[i+1] == '$':
			i++
		case r[i] == '$' && i+1 < len(r) && r[i+1] == '{':
			end := -1
			for j := i + 2; j < len(r); j++ {
				if r[j] == '}' {
					end = j
					break
				}
			}
			if end < 0 {
				bad = append(bad, BadRef{Text: string(r[i:]), Start: i, End: len(r),
					Problem: "is not closed; add the closing brace"})
				i = len(r)
				continue
			}
			inner := string(r[i+2 : end])
			switch {
			case envNameRe().MatchString(inner):
				refs = append(refs, Ref{Name: inner, Start: i, End: end + 1})
			case envNameRe().MatchString(strings.TrimSpace(inner)):
				bad = append(bad, BadRef{Text: string(r[i : end+1]), Start: i, End: end + 1,
					Problem: fmt.Sprintf("has spaces inside the braces; write ${%s}", strings.TrimSpace(inner))})
			case modifierName(inner) != "":
				bad = append(bad, BadRef{Text: string(r[i : end+1]), Start: i, End: end + 1,
					Problem: fmt.Sprintf("uses a shell default or modifier, which the plugin does not expand; write ${%s} and set the variable", modifierName(inner))})
			case IsPlaceholder(strings.TrimSpace(inner)):
				bad = append(bad, BadRef{Text: string(r[i : end+1]), Start: i, End: end + 1, Placeholder: true,
					Problem: "is a documentation placeholder; replace it with a variable name such as ${" + EnvToken + "}"})
			default:
				bad = append(bad, BadRef{Text: string(r[i : end+1]), Start: i, End: end + 1,
					Problem: "is not a valid variable name; use letters, digits and underscores"})
			}
			i = end
		case r[i] == '$' && i+1 < len(r) && (r[i+1] == '_' || isLetter(r[i+1])):
			j := i + 1
			for j < len(r) && (r[j] == '_' || isLetter(r[j]) || (r[j] >= '0' && r[j] <= '9')) {
				j++
			}
			name := string(r[i+1 : j])
			bad = append(bad, BadRef{Text: string(r[i:j]), Start: i, End: j,
				Problem: fmt.Sprintf("is not expanded by the plugin; write ${%s}", name)})
			i = j - 1
		case r[i] == '{' && i+1 < len(r) && r[i+1] == '{':
			end := strings.Index(string(r[i:]), "}}")
			if end < 0 {
				continue
			}
			endRune := i + len([]rune(string(r[i:])[:end])) + 2
			inner := strings.Trim(strings.TrimSpace(string(r[i+2:endRune-2])), ".")
			name := inner
			if !envNameRe().MatchString(name) {
				name = "NAME"
			}
			bad = append(bad, BadRef{Text: string(r[i:endRune]), Start: i, End: endRune,
				Problem: fmt.Sprintf("is template syntax, which the plugin does not expand; write ${%s}", name)})
			i = endRune - 1
		}
	}
	return refs, bad
}

// modifierName returns NAME for a shell form such as NAME:-default or
// NAME=x, or "" when inner is not one.
func modifierName(inner string) string {
	i := strings.IndexAny(inner, ":-=?+")
	if i <= 0 {
		return ""
	}
	name := strings.TrimSpace(inner[:i])
	if !envNameRe().MatchString(name) {
		return ""
	}
	return name
}

func isLetter(c rune) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// Lookup finds an environment variable. It is the signature of os.LookupEnv.
type Lookup func(name string) (string, bool)

// Resolver resolves ${NAME} references the way the plugin does: from the
// variable NAME, or, when NAME is unset and NAME_FILE is set, from the file
// NAME_FILE names, with one trailing newline trimmed.
type Resolver struct {
	// Env looks variables up; nil means none are set.
	Env Lookup
	// ReadFile reads a NAME_FILE; nil means os.ReadFile.
	ReadFile func(path string) ([]byte, error)
	// Stat reports a NAME_FILE's mode, for the permission check; nil means os.Stat.
	Stat func(path string) (os.FileInfo, error)
	// Allow lists variable names beyond the documented ones that may be
	// resolved (--allow-env).
	Allow []string
	// Version is the plugin version whose reading of the environment
	// Credentials follows; nil means the newest.
	Version *PluginVersion
}

// Resolution says where a variable's value came from.
type Resolution struct {
	// Value is the resolved value. It is a secret: never print it.
	Value string
	// Name is the variable that was referenced.
	Name string
	// File is the path read when the value came from NAME_FILE, else "".
	File string
	// FileMode is the permission bits of File, when it was read.
	FileMode os.FileMode
}

// Errors of resolution. Each names the variable, never its value.
var (
	// ErrUnset means neither NAME nor NAME_FILE is set.
	ErrUnset = errors.New("not set")
	// ErrEmpty means the variable (or its file) is set but empty.
	ErrEmpty = errors.New("empty")
	// ErrConflict means both NAME and NAME_FILE are set.
	ErrConflict = errors.New("both set")
	// ErrNotAllowed means NAME is neither a documented variable nor one
	// the user allowed, so it is not read.
	ErrNotAllowed = errors.New("not allowed")
)

// ResolveError is the error of a failed resolution. Kind is one of
// ErrUnset, ErrEmpty, ErrConflict, or the error reading the file.
type ResolveError struct {
	Name string
	File string
	Kind error
	// Plain is set when the variable was read as the released plugin
	// reads it: by its name alone, no NAME_FILE.
	Plain bool
}

// Error describes the failure and what to do, naming only variables and paths.
func (e *ResolveError) Error() string {
	switch {
	case errors.Is(e.Kind, ErrUnset) && e.Plain:
		return fmt.Sprintf("%s is not set; export it with the token (the released plugin reads it by that name alone: no %s%s)", e.Name, e.Name, FileSuffix)
	case errors.Is(e.Kind, ErrUnset):
		return fmt.Sprintf("%s is not set (nor %s%s); export it or point %s%s at a file holding it", e.Name, e.Name, FileSuffix, e.Name, FileSuffix)
	case errors.Is(e.Kind, ErrEmpty):
		if e.File != "" {
			return fmt.Sprintf("%s%s names %s, which is empty; write the token to the file", e.Name, FileSuffix, e.File)
		}
		return fmt.Sprintf("%s is set but empty; set it to the token", e.Name)
	case errors.Is(e.Kind, ErrNotAllowed):
		return fmt.Sprintf("%s is not a variable the plugin documents, so it is not read: a config can be changed by anyone who can commit, and must not pick which secret is sent to Vantage; reference %s (or another FINFOCUS_VANTAGE_* name), or allow it with --allow-env %s", e.Name, EnvToken, e.Name)
	case errors.Is(e.Kind, ErrConflict):
		return fmt.Sprintf("both %s and %s%s are set; unset one so it is clear which token is used", e.Name, e.Name, FileSuffix)
	}
	return fmt.Sprintf("%s%s names %s, which cannot be read: %s; fix the path or its permissions", e.Name, FileSuffix, e.File, describeFileErr(e.Kind))
}

// Unwrap returns the kind, for errors.Is.
func (e *ResolveError) Unwrap() error { return e.Kind }

func describeFileErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (r Resolver) lookup(name string) (string, bool) {
	if r.Env == nil {
		return "", false
	}
	return r.Env(name)
}

// Resolve resolves one variable name. A name that is not documented and
// not allowed is never looked up.
func (r Resolver) Resolve(name string) (Resolution, error) {
	if !ReadableEnvName(name, r.Allow) {
		return Resolution{Name: name}, &ResolveError{Name: name, Kind: ErrNotAllowed}
	}
	val, set := r.lookup(name)
	file, fileSet := r.lookup(name + FileSuffix)
	switch {
	case set && fileSet:
		return Resolution{Name: name}, &ResolveError{Name: name, Kind: ErrConflict}
	case set:
		if val == "" {
			return Resolution{Name: name}, &ResolveError{Name: name, Kind: ErrEmpty}
		}
		return Resolution{Name: name, Value: val}, nil
	case fileSet:
		read := r.ReadFile
		if read == nil {
			read = os.ReadFile
		}
		b, err := read(file)
		if err != nil {
			return Resolution{Name: name, File: file}, &ResolveError{Name: name, File: file, Kind: err}
		}
		v := strings.TrimSuffix(string(b), "\n")
		res := Resolution{Name: name, File: file, Value: v}
		stat := r.Stat
		if stat == nil {
			stat = os.Stat
		}
		if fi, err := stat(file); err == nil {
			res.FileMode = fi.Mode().Perm()
		}
		if v == "" {
			return res, &ResolveError{Name: name, File: file, Kind: ErrEmpty}
		}
		return res, nil
	}
	return Resolution{Name: name}, &ResolveError{Name: name, Kind: ErrUnset}
}

// Expand replaces every ${NAME} reference in s by its resolved value. The
// first failing reference's error is returned.
func (r Resolver) Expand(s string) (string, error) {
	refs, bad := ParseRefs(s)
	if len(bad) > 0 {
		return "", fmt.Errorf("reference %s %s", bad[0].Text, bad[0].Problem)
	}
	if len(refs) == 0 {
		return s, nil
	}
	rs := []rune(s)
	var b strings.Builder
	last := 0
	for _, ref := range refs {
		res, err := r.Resolve(ref.Name)
		if err != nil {
			return "", err
		}
		b.WriteString(string(rs[last:ref.Start]))
		b.WriteString(res.Value)
		last = ref.End
	}
	b.WriteString(string(rs[last:]))
	return b.String(), nil
}
