package lint

import (
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"strings"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []sarifSupp       `json:"suppressions,omitempty"`
	Properties          map[string]string `json:"properties,omitempty"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

// sarifFix is SARIF's fix object: one replacement in the result's file.
type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifact      `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifLogical struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifSupp struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's 0-10 score by default severity: leaked or
// misused credentials are high, hygiene notices low.
func securitySeverity(s Severity) string {
	switch s {
	case Error:
		return "8.5"
	case Warning:
		return "5.5"
	}
	return "2.0"
}

var mdLinkRe = regexp.MustCompile(`\[([^\]]+)\]\([^)]+\)`)

// fullDescription is the first paragraph of a rule's page after its
// heading and summary line, as plain text.
func fullDescription(page, fallback string) string {
	paras := strings.Split(strings.ReplaceAll(page, "\r\n", "\n"), "\n\n")
	for i, p := range paras {
		p = strings.TrimSpace(p)
		if i < 2 || p == "" || strings.HasPrefix(p, "#") || strings.HasPrefix(p, "```") {
			continue
		}
		p = mdLinkRe.ReplaceAllString(p, "$1")
		p = strings.NewReplacer("**", "", "`", "").Replace(p)
		return strings.Join(strings.Fields(p), " ")
	}
	return fallback
}

// pascal turns a rule ID into SARIF's rule name: hardcoded-token → HardcodedToken.
func pascal(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// uri makes an artifact URI from a finding's file: repository-relative
// when the file is below the working directory, a file:// URI otherwise.
func uri(file string) string {
	parts := strings.Split(file, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	u := strings.Join(parts, "/")
	if strings.HasPrefix(file, "/") {
		return "file://" + u
	}
	return u
}

// WriteSARIF prints the report as SARIF 2.1.0 for GitHub code scanning:
// every rule that ran with its documentation, results with repo-relative
// locations, content fingerprints and suppressions. Snippets are never
// included, so no secret can reach the log.
func WriteSARIF(w io.Writer, r *Report) error {
	fpKey := r.Tool.FingerprintKey
	if fpKey == "" {
		fpKey = r.Tool.Name + "/v1"
	}
	driver := sarifDriver{Name: r.Tool.Name, Version: r.Tool.Version, InformationURI: r.Tool.URL, Rules: []sarifRule{}}
	index := map[string]int{}
	addRule := func(rule *Rule) {
		if _, ok := index[rule.ID]; ok {
			return
		}
		page := ""
		if r.Docs != nil {
			page = r.Docs(rule.ID)
		}
		short := rule.ID + "."
		if rule.Summary != "" {
			short = strings.ToUpper(rule.Summary[:1]) + rule.Summary[1:] + "."
		}
		help := page
		if help == "" {
			help = short + " See " + r.Tool.RuleHelpURL(rule.ID)
		}
		index[rule.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.ID,
			Name:                 pascal(rule.ID),
			ShortDescription:     sarifText{Text: short},
			FullDescription:      sarifText{Text: fullDescription(page, short)},
			Help:                 sarifText{Text: help, Markdown: help},
			HelpURI:              r.Tool.RuleHelpURL(rule.ID),
			DefaultConfiguration: map[string]any{"level": sarifLevel(rule.Severity)},
			Properties: map[string]any{
				"security-severity": securitySeverity(rule.Severity),
				"tags":              r.Tool.Tags,
				"precision":         "high",
			},
		})
	}
	for _, rule := range r.Rules {
		addRule(rule)
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		if _, ok := index[f.RuleID]; !ok {
			addRule(&Rule{ID: f.RuleID, Summary: strings.ReplaceAll(f.RuleID, "-", " "), Severity: f.Severity})
		}
		res := sarifResult{
			RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: f.Message},
			PartialFingerprints: map[string]string{fpKey: f.Fingerprint},
		}
		props := map[string]string{}
		if f.DetectorRule != "" {
			props["detectorRule"] = f.DetectorRule
		}
		if f.Commit != "" {
			props["commit"], props["authorDate"] = f.Commit, f.AuthorDate
		}
		if len(props) > 0 {
			res.Properties = props
		}
		if x := f.Fix; x != nil && !strings.HasPrefix(f.File, "$") {
			res.Fixes = []sarifFix{{Description: sarifText{Text: x.Description}, ArtifactChanges: []sarifArtifactChange{{
				ArtifactLocation: sarifArtifact{URI: uri(f.File)},
				Replacements: []sarifReplacement{{
					DeletedRegion:   sarifRegion{StartLine: x.Line, StartColumn: x.Col, EndLine: x.EndLine, EndColumn: x.EndCol},
					InsertedContent: sarifText{Text: x.Text},
				}},
			}}}}
		}
		if strings.HasPrefix(f.File, "$") {
			res.Locations = []sarifLocation{{LogicalLocations: []sarifLogical{{Name: strings.TrimPrefix(f.File, "$"), Kind: "variable"}}}}
		} else {
			res.Locations = []sarifLocation{{PhysicalLocation: &sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: uri(f.File)},
				Region:           sarifRegion{StartLine: f.Line, StartColumn: f.Column, EndLine: max(f.EndLine, f.Line), EndColumn: max(f.EndColumn, f.Column+1)},
			}}}
		}
		if f.Suppressed {
			kind := "inSource"
			if f.SuppressedBy == "baseline" {
				kind = "external"
			}
			res.Suppressions = []sarifSupp{{Kind: kind, Justification: "suppressed by " + f.SuppressedBy}}
		}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results, ColumnKind: "unicodeCodePoints"}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
