package lint

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// escapeData escapes a workflow command's message as GitHub's toolkit does.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// githubCommand maps a severity to a workflow command.
func githubCommand(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "notice"
}

// WriteGitHub prints one workflow command per finding (::error,
// ::warning, ::notice with file, line, endLine, col, endColumn and the
// rule as title), which GitHub Actions turns into annotations.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Visible() {
		fmt.Fprintf(&b, "::%s ", githubCommand(f.Severity))
		if !strings.HasPrefix(f.File, "$") {
			fmt.Fprintf(&b, "file=%s,line=%d,endLine=%d,col=%d,endColumn=%d,", escapeProperty(Printable(f.File)), f.Line, max(f.EndLine, f.Line), f.Column, max(f.EndColumn, f.Column+1))
		}
		fmt.Fprintf(&b, "title=%s::%s\n", escapeProperty(f.RuleID), escapeData(Printable(f.Message)))
	}
	fmt.Fprintln(&b, summaryLine(r.Summary))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteStepSummary writes the markdown job summary: counts by severity and
// a table of findings, capped at limit rows with an "and N more" line.
func WriteStepSummary(w io.Writer, r *Report, limit int) error {
	var b strings.Builder
	s := r.Summary
	fmt.Fprintf(&b, "### %s\n\n", r.Tool.Name)
	if n := s.Errors + s.Warnings + s.Notices; n == 0 && s.Suppressed == 0 && !s.Incomplete {
		fmt.Fprintf(&b, "No problems in %s (%s scanned).\n\n", plural(s.Configs, "config"), plural(s.FilesScanned, "file"))
		_, err := io.WriteString(w, b.String())
		return err
	}
	if s.Suppressed > 0 {
		fmt.Fprintf(&b, "**%s suppressed** by ignore comments or the baseline: not shown as problems; review them with `%s check --format json`.\n\n", plural(s.Suppressed, "finding"), r.Tool.Name)
	}
	if s.Incomplete {
		b.WriteString("**Incomplete**: not everything asked for was read; see the job log.\n\n")
	}
	fmt.Fprintf(&b, "| errors | warnings | notices | suppressed | configs | files scanned |\n|---:|---:|---:|---:|---:|---:|\n| %d | %d | %d | %d | %d | %d |\n\n",
		s.Errors, s.Warnings, s.Notices, s.Suppressed, s.Configs, s.FilesScanned)
	b.WriteString("| | location | rule | message |\n|---|---|---|---|\n")
	vis := r.Visible()
	for i, f := range vis {
		if i == limit {
			fmt.Fprintf(&b, "\nand %d more; see the annotations or run `%s check` locally.\n", len(vis)-limit, r.Tool.Name)
			break
		}
		icon := map[Severity]string{Error: "🔴", Warning: "🟠", Notice: "🔵"}[f.Severity]
		fmt.Fprintf(&b, "| %s | `%s:%d` | [%s](%s) | %s |\n", icon, mdCell(f.File), f.Line, f.RuleID, r.Tool.RuleHelpURL(f.RuleID), mdCell(f.Message))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe inside a markdown table cell.
func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ", "\r", " ", "`", "'").Replace(s)
}

// StepSummaryRows caps the findings table of the job summary.
const StepSummaryRows = 50

// AppendGitHubFiles appends the job summary and the step outputs to the
// files GitHub Actions names in GITHUB_STEP_SUMMARY and GITHUB_OUTPUT
// (summary and outputs); an empty path is skipped.
func AppendGitHubFiles(summary, outputs string, r *Report) error {
	if summary != "" {
		if err := AppendStepSummary(summary, r, StepSummaryRows); err != nil {
			return err
		}
	}
	if outputs != "" {
		return AppendOutputs(outputs, r)
	}
	return nil
}

// AppendStepSummary appends the markdown job summary to the file at path
// (GitHub's GITHUB_STEP_SUMMARY).
func AppendStepSummary(path string, r *Report, limit int) error {
	var b strings.Builder
	if err := WriteStepSummary(&b, r, limit); err != nil {
		return err
	}
	return appendTo(path, "the job summary", b.String())
}

// AppendOutputs sets the step outputs findings, errors, warnings,
// notices, suppressed and incomplete in the file at path (GitHub's
// GITHUB_OUTPUT).
func AppendOutputs(path string, r *Report) error {
	s := r.Summary
	out := fmt.Sprintf("findings=%d\nerrors=%d\nwarnings=%d\nnotices=%d\nsuppressed=%d\nincomplete=%t\n",
		s.Errors+s.Warnings+s.Notices, s.Errors, s.Warnings, s.Notices, s.Suppressed, s.Incomplete)
	return appendTo(path, "the step outputs", out)
}

// appendTo appends text to a file GitHub reads after the step.
func appendTo(path, what, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", what, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", what, err)
	}
	return f.Close()
}
