package rules

import (
	"bytes"

	"github.com/rshade/finfocus-vantage/lint"
)

// marks records which Vantage words a file contains. Every rule about
// Vantage credentials, and the ignore-comment scan, asks it first.
type marks struct {
	Lower bool // "vantage"
	Title bool // "Vantage"
	Upper bool // "VANTAGE"
	Token bool // "vntg_tkn_"
}

// Any reports whether the file mentions Vantage in any way.
func (m marks) Any() bool { return m.Lower || m.Title || m.Upper || m.Token }

type marksKey struct{}

// marksOf scans the file once for the Vantage words. It looks for the bytes
// 'v' and 'V' with IndexByte (vectorised, and both are rare in text) and
// compares what follows, instead of one substring search per word, whose
// common first letters make them slow.
func marksOf(f *lint.File) marks {
	return f.Memo(marksKey{}, func() any {
		var m marks
		src := f.Src
		for i := 0; !(m.Lower && m.Token); {
			j := bytes.IndexByte(src[i:], 'v')
			if j < 0 {
				break
			}
			at, rest := i+j, src[i+j+1:]
			// A word start: "advantage" is not about Vantage.
			m.Lower = m.Lower || (wordStart(src, at) && bytes.HasPrefix(rest, []byte("antage")))
			m.Token = m.Token || bytes.HasPrefix(rest, []byte("ntg_tkn_"))
			i += j + 1
		}
		// An API token in another case (VNTG_TKN_…): still a token.
		for i := 0; !(m.Title && m.Upper && m.Token); {
			j := bytes.IndexByte(src[i:], 'V')
			if j < 0 {
				break
			}
			at, rest := i+j, src[i+j+1:]
			if wordStart(src, at) {
				m.Title = m.Title || bytes.HasPrefix(rest, []byte("antage"))
				m.Upper = m.Upper || bytes.HasPrefix(rest, []byte("ANTAGE"))
			}
			m.Token = m.Token || (len(rest) >= 8 && bytes.EqualFold(rest[:8], []byte("ntg_tkn_")))
			i += j + 1
		}
		return m
	}).(marks)
}

// wordStart reports whether src[i] starts a word: the byte before it is
// not a letter (an underscore or digit may come before: FINFOCUS_VANTAGE).
func wordStart(src []byte, i int) bool {
	if i == 0 {
		return true
	}
	c := src[i-1]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// Ignores is the syntax of this tool's ignore comments:
//
//	# finfocus-vantage:ignore RULE[,RULE] [exp=YYYY-MM-DD] reason
//
// The directive says "vantage", so files without the word are done
// without a search.
var Ignores = &lint.Ignores{
	Directive: "finfocus-vantage:ignore",
	Maybe:     func(f *lint.File) bool { return marksOf(f).Lower },
	ListRules: "finfocus-vantage rules",
	// The rules that report a committed credential: under --diff, a
	// comment the change adds cannot waive the change's own token.
	Unwaivable: []string{LeakedToken.ID, HardcodedToken.ID, TokenInHistory.ID, WorkflowSecretExposure.ID,
		K8sPlaintextSecret.ID, TerraformTokenExposure.ID, ConfigNotIgnored.ID},
	Unwaived: "an ignore comment added by this change cannot waive it: a token cannot be made safe by a comment; " +
		"replace it with a placeholder or ${NAME} reference and rotate it, or have a maintainer baseline it on the base branch",
}
