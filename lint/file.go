package lint

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml/token"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
)

// Kind is what a file is, decided from its name.
type Kind int

// The kinds of file the engine tells apart.
const (
	// KindText is any other text file.
	KindText Kind = iota
	// KindYAML is a .yaml or .yml file (plugin configs, manifests).
	KindYAML
	// KindWorkflow is a CI pipeline: GitHub Actions workflows and actions,
	// .gitlab-ci.yml, CircleCI, Azure Pipelines, Bitbucket Pipelines,
	// Buildkite.
	KindWorkflow
	// KindHCL is Terraform: .tf, .tf.json, .tfvars.
	KindHCL
	// KindShell is a shell script or Makefile.
	KindShell
	// KindDockerfile is a Dockerfile or Containerfile.
	KindDockerfile
	// KindEnv is a dotenv file: .env, .env.*, *.env.
	KindEnv
)

// String names the kind.
func (k Kind) String() string {
	return [...]string{"text", "yaml", "workflow", "hcl", "shell", "dockerfile", "env"}[k]
}

// KindOf classifies a slash-separated path by its name.
func KindOf(name string) Kind {
	base := path.Base(name)
	lower := strings.ToLower(base)
	switch {
	case strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml"):
		if isCIFile(name, lower) {
			return KindWorkflow
		}
		return KindYAML
	case strings.HasSuffix(lower, ".tf") || strings.HasSuffix(lower, ".tf.json") || strings.HasSuffix(lower, ".tfvars") || strings.HasSuffix(lower, ".tfvars.json"):
		return KindHCL
	case strings.HasSuffix(lower, ".sh") || strings.HasSuffix(lower, ".bash") || strings.HasSuffix(lower, ".zsh") || lower == "makefile" || strings.HasSuffix(lower, ".mk") || lower == "gnumakefile" ||
		lower == "jenkinsfile" || strings.HasPrefix(lower, "jenkinsfile.") || strings.HasSuffix(lower, ".jenkinsfile"):
		return KindShell
	case lower == "dockerfile" || lower == "containerfile" || strings.HasPrefix(lower, "dockerfile.") || strings.HasSuffix(lower, ".dockerfile"):
		return KindDockerfile
	case lower == ".env" || strings.HasPrefix(lower, ".env.") || strings.HasSuffix(lower, ".env"):
		return KindEnv
	}
	return KindText
}

// isCIFile reports whether a YAML file is a CI system's pipeline, whose
// steps run shell and set environment: GitHub Actions workflows and
// actions, GitLab CI, CircleCI, Azure Pipelines, Bitbucket Pipelines,
// Buildkite.
func isCIFile(name, lower string) bool {
	slashed := "/" + strings.ToLower(name)
	switch {
	case strings.Contains(slashed, "/.github/workflows/"),
		lower == ".gitlab-ci.yml", strings.HasSuffix(lower, ".gitlab-ci.yml"),
		strings.Contains(slashed, "/.circleci/"),
		strings.HasPrefix(lower, "azure-pipelines"), strings.Contains(slashed, "/.azure-pipelines/"), strings.Contains(slashed, "/.azuredevops/"),
		lower == "bitbucket-pipelines.yml",
		strings.Contains(slashed, "/.buildkite/"), lower == "buildkite.yml", lower == "buildkite.yaml":
		return true
	case lower == "action.yml" || lower == "action.yaml":
		return true // a GitHub Action; composite ones run steps
	}
	return false
}

// File is one file to check, with lazily built, shared views of its
// content. A File is used by one goroutine at a time while its rules run;
// its memo is safe for concurrent use afterwards.
type File struct {
	// Name is the path shown in output: relative to the working directory
	// when below it, slash-separated.
	Name string
	// Src is the file's content.
	Src []byte
	// Kind is what the file is.
	Kind Kind
	// Config is set when the file was named as a plugin config (--config):
	// it is checked as one whatever its content.
	Config bool

	// lineBase and colBase place a window of a large file: lines before
	// its first byte, and characters before it on its first line.
	lineBase, colBase int
	// binary is set for a file with a NUL in its first 8 KiB: only the
	// rules marked Binary run on it.
	binary bool
	// base, when set, reads the file as it is in the revision under
	// review's base (--diff): ok is false when the file is new there.
	base func() (src []byte, ok bool)
	// raw holds the bytes as written when Src was decoded from UTF-16.
	raw []byte

	mu     sync.Mutex
	lines  []int    // byte offset of each line's start
	cursor position // the last position asked for
	memo   map[any]any
}

type keywordKey string

// hasAny reports whether the file contains one of the keywords; no
// keywords means yes. Each answer is computed once per file.
func (f *File) hasAny(keywords []string) bool {
	if len(keywords) == 0 || f.Config {
		return true
	}
	for _, kw := range keywords {
		if f.Memo(keywordKey(kw), func() any { return Contains(f.Src, kw) }).(bool) {
			return true
		}
	}
	return false
}

// utf8BOM is the byte order mark some editors put first in a file.
var utf8BOM = []byte("\xef\xbb\xbf")

// NewFile returns a File of the kind its name implies. A UTF-8 byte order
// mark is dropped, so that every view (YAML, lines, columns) starts at the
// same first character, the one editors call column 1.
func NewFile(name string, src []byte) *File {
	return &File{Name: name, Src: bytes.TrimPrefix(src, utf8BOM), Kind: KindOf(name)}
}

// Memo returns the value cached under key, building it once with build.
// Views of a file (a parsed config, an HCL body) are built through it so
// that every rule shares one parse.
func (f *File) Memo(key any, build func() any) any {
	f.mu.Lock()
	if v, ok := f.memo[key]; ok {
		f.mu.Unlock()
		return v
	}
	f.mu.Unlock()
	v := build()
	f.mu.Lock()
	defer f.mu.Unlock()
	if prev, ok := f.memo[key]; ok {
		return prev
	}
	if f.memo == nil {
		f.memo = map[any]any{}
	}
	f.memo[key] = v
	return v
}

func (f *File) lineIndex() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lines == nil {
		// A line ends at \n, \r\n, or a lone \r (old Mac files), as in YAML.
		f.lines = []int{0}
		for i, b := range f.Src {
			if b == '\n' || (b == '\r' && (i+1 == len(f.Src) || f.Src[i+1] != '\n')) {
				f.lines = append(f.lines, i+1)
			}
		}
	}
	return f.lines
}

// LineCount returns the number of lines in the file.
func (f *File) LineCount() int { return len(f.lineIndex()) }

// Line returns the text of 1-based line n without its line ending, or ""
// when n is out of range.
func (f *File) Line(n int) string {
	idx := f.lineIndex()
	if n < 1 || n > len(idx) {
		return ""
	}
	end := len(f.Src)
	if n < len(idx) {
		end = idx[n] - 1
	}
	start := idx[n-1]
	if end < start {
		end = start
	}
	return strings.TrimSuffix(string(f.Src[start:end]), "\r")
}

// Position converts a byte offset into a 1-based line and a 1-based
// column counted in characters.
func (f *File) Position(offset int) (line, col int) {
	idx := f.lineIndex()
	lo, hi := 0, len(idx)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if idx[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if offset > len(f.Src) {
		offset = len(f.Src)
	}
	// Positions are mostly asked in order: count on from the last one
	// when it is on the same line, so many findings on one long line
	// stay linear.
	start, col := idx[lo], 1
	f.mu.Lock()
	if c := f.cursor; c.line == lo+1 && c.offset >= start && c.offset <= offset {
		start, col = c.offset, c.col
	}
	f.mu.Unlock()
	col += utf8.RuneCount(f.Src[start:offset])
	f.mu.Lock()
	f.cursor = position{offset: offset, line: lo + 1, col: col}
	f.mu.Unlock()
	return lo + 1, col
}

// position is a byte offset with its line and column.
type position struct{ offset, line, col int }

// Offset converts a 1-based line and column (in characters) into a byte
// offset, or -1 when the file has no such position.
func (f *File) Offset(line, col int) int {
	idx := f.lineIndex()
	line -= f.lineBase
	if line < 1 || line > len(idx) || col < 1 {
		return -1
	}
	i := idx[line-1]
	for c := 1; c < col; c++ {
		if i >= len(f.Src) || f.Src[i] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(f.Src[i:])
		i += size
	}
	return i
}

// SpanOf returns the span of the byte range [start, end) of the source.
func (f *File) SpanOf(start, end int) Span {
	l, c := f.Position(start)
	el, ec := f.Position(end)
	return Span{Line: l, Col: c, EndLine: el, EndCol: ec}
}

// YAMLResult is a file's parsed YAML, or the syntax error that stopped it.
type YAMLResult struct {
	AST *ast.File
	Err error
}

type yamlKey struct{}

// YAML parses the file as YAML with comments, once, and returns the
// result every rule shares. Duplicate keys are allowed by the parser so
// that rules can report them with both positions.
func (f *File) YAML() YAMLResult {
	return f.Memo(yamlKey{}, func() any {
		if len(f.Src) > MaxYAMLSize {
			return YAMLResult{Err: &ParseError{Line: 1, Col: 1, Msg: fmt.Sprintf("larger than %d MiB, so it was not parsed as YAML (only the line rules ran on it)", MaxYAMLSize>>20)}}
		}
		if len(f.Src) > bigYAML {
			// The parser's memory is many times the file's: one large
			// file at a time keeps a scan's peak bounded.
			bigYAMLMu.Lock()
			defer bigYAMLMu.Unlock()
		}
		a, err := parseYAML(f.Src)
		return YAMLResult{AST: a, Err: err}
	}).(YAMLResult)
}

// MaxYAMLSize is the largest file parsed as YAML: the parser takes about
// 50 times a file's size in memory (9.5 MB of manifests peaked at 542 MB),
// and no plugin config, workflow or manifest of interest is this large.
// Larger files get the line-oriented rules only.
const MaxYAMLSize = 2 << 20

// bigYAML is the size above which parses are serialised.
const bigYAML = 256 << 10

var bigYAMLMu sync.Mutex

// parseYAML parses every document of a YAML stream. Documents are split
// at their "---" markers and parsed one by one (the parser drops every
// document after an empty one, which multi-document manifests often
// have); each document's tokens are moved to their lines in the whole
// file before parsing, so the work is linear in the file's size (padding
// each document with the lines before it was quadratic: 10,000 small
// documents took 14 s and 509 MB). A panic inside the parser becomes an
// error.
func parseYAML(src []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &ParseError{Line: 1, Col: 1, Msg: "the YAML parser failed on this file"}
		}
	}()
	if off, deep := flowTooDeep(src); deep {
		l, c := NewFile("", src).Position(off)
		return nil, &ParseError{Line: l, Col: c, Msg: fmt.Sprintf("nesting deeper than %d levels; the file was not parsed", MaxYAMLDepth)}
	}
	starts := docStarts(src)
	if len(starts) <= 1 {
		return parser.ParseBytes(src, parser.ParseComments, parser.AllowDuplicateMapKey())
	}
	f = &ast.File{}
	line := 0 // lines before the current document
	for i, start := range starts {
		end := len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		tokens := lexer.Tokenize(string(src[start:end]))
		moved := map[*token.Position]bool{}
		for _, tk := range tokens {
			if p := tk.Position; p != nil && !moved[p] {
				moved[p] = true
				p.Line += line
				p.Offset += start
			}
		}
		part, perr := parser.Parse(tokens, parser.ParseComments, parser.AllowDuplicateMapKey())
		if part != nil {
			f.Docs = append(f.Docs, part.Docs...)
		}
		if perr != nil && err == nil {
			err = perr
		}
		line += bytes.Count(src[start:end], []byte{'\n'})
	}
	return f, err
}

// MaxYAMLDepth bounds the flow nesting ([ and {) the YAML parser is given:
// the parser's memory grows steeply with depth (10,000 levels took 340 MB),
// and no real config nests beyond a few levels.
const MaxYAMLDepth = 256

// MaxNesting bounds the nesting of brackets, braces and parentheses the
// Terraform and JSON parsers are given: they recurse once per level, and
// a deep enough file overflows the stack and kills the process.
const MaxNesting = 256

// NestingTooDeep reports whether ( [ { nest deeper than limit in HCL or
// JSON source, and where, ignoring them inside double-quoted strings and
// comments (#, //, /* */).
func NestingTooDeep(src []byte, limit int) (int, bool) {
	depth := 0
	inString, line, block := false, false, false
	for i := 0; i < len(src); i++ {
		b := src[i]
		switch {
		case line:
			line = b != '\n'
		case block:
			if b == '*' && i+1 < len(src) && src[i+1] == '/' {
				block = false
				i++
			}
		case inString:
			if b == '\\' {
				i++
			} else if b == '"' || b == '\n' {
				inString = false
			}
		case b == '"':
			inString = true
		case b == '#' || (b == '/' && i+1 < len(src) && src[i+1] == '/'):
			line = true
		case b == '/' && i+1 < len(src) && src[i+1] == '*':
			block = true
			i++
		case b == '(' || b == '[' || b == '{':
			depth++
			if depth > limit {
				return i, true
			}
		case b == ')' || b == ']' || b == '}':
			depth = max(depth-1, 0)
		}
	}
	return 0, false
}

// flowTooDeep reports whether brackets nest deeper than MaxYAMLDepth, and
// where, ignoring brackets inside quotes and comments.
func flowTooDeep(src []byte) (int, bool) {
	depth := 0
	var quote byte
	comment := false
	for i, b := range src {
		switch {
		case b == '\n':
			comment = false
			if quote == '\'' {
				continue
			}
		case comment:
		case quote != 0:
			if b == quote && (quote == '\'' || i == 0 || src[i-1] != '\\') {
				quote = 0
			}
		case b == '#' && (i == 0 || src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n'):
			comment = true
		case b == '"' || b == '\'':
			quote = b
		case b == '[' || b == '{':
			depth++
			if depth > MaxYAMLDepth {
				return i, true
			}
		case b == ']' || b == '}':
			depth = max(depth-1, 0)
		}
	}
	return 0, false
}

// docStarts returns the byte offsets where YAML documents start: 0, and
// each "---" marker line after the first document.
func docStarts(src []byte) []int {
	if !bytes.Contains(src, []byte("---")) {
		return []int{0}
	}
	starts := []int{0}
	for off := 0; off < len(src); {
		nl := bytes.IndexByte(src[off:], '\n')
		lineEnd := len(src)
		if nl >= 0 {
			lineEnd = off + nl
		}
		ln := src[off:lineEnd]
		if off > 0 && bytes.HasPrefix(ln, []byte("---")) && (len(ln) == 3 || ln[3] == ' ' || ln[3] == '\t' || ln[3] == '\r') {
			starts = append(starts, off)
		}
		if nl < 0 {
			break
		}
		off = lineEnd + 1
	}
	return starts
}

// ParseError is a syntax error with its position.
type ParseError struct {
	Line, Col int
	Msg       string
}

// Error returns the position and message.
func (e *ParseError) Error() string { return e.Msg }
