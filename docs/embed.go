// Package docs embeds the rule documentation, so that
// `finfocus-vantage rules ID` prints the same page docs/rules/ID.md shows.
package docs

import "embed"

// Rules holds docs/rules/*.md.
//
//go:embed rules/*.md
var Rules embed.FS
