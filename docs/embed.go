// Package docs embeds the rule documentation, so that
// `finfocus-vantage rules ID` prints the same page docs/rules/ID.md shows.
package docs

import (
	"embed"
	"io/fs"

	"github.com/rshade/finfocus-vantage/vantage"
)

// Rules holds docs/rules/*.md.
//
//go:embed rules/*.md
var Rules embed.FS

// Page returns the documentation page of rule id as written.
func Page(id string) ([]byte, error) { return fs.ReadFile(Rules, "rules/"+id+".md") }

// ForReport returns a rule's page for reports (SARIF rule help), or "".
// Token examples in it are masked: a report must not carry anything that
// looks like a credential, even a made-up one.
func ForReport(id string) string {
	page, err := Page(id)
	if err != nil {
		return ""
	}
	return vantage.Redact(string(page))
}
