package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/rshade/finfocus-vantage/internal/project"
	"github.com/rshade/finfocus-vantage/vantage/api/apitest"
)

// readmeBlock returns the body of the first fenced block in README.md whose
// info string is info, after the heading that starts with after.
func readmeBlock(t *testing.T, after, info string) string {
	t.Helper()
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i := strings.Index(text, "\n"+after)
	if i < 0 {
		t.Fatalf("README has no heading %q", after)
	}
	text = text[i:]
	j := strings.Index(text, "\n```"+info+"\n")
	if j < 0 {
		t.Fatalf("README has no block %q after %q", info, after)
	}
	body := text[j+len("\n```"+info+"\n"):]
	k := strings.Index(body, "\n```")
	if k < 0 {
		t.Fatalf("README block %q is not closed", info)
	}
	return body[:k+1]
}

var secretRef = regexp.MustCompile(`^\$\{\{\s*secrets\.\w+\s*\}\}$`)

// TestReadmeSnippetsPassCheckAndEnv runs the README's pipeline and
// Kubernetes snippets as written, with the README's config reference as
// deploy/vantage.yaml: the pipeline job's environment (its secret replaced by
// a made-up token the fake API knows) passes `check --resolve-env --env
// --live` and then `pull`; the CronJob's init container and FinFocus's
// container, with the Secret holding the token as the README says, pass
// `check --env`. The only change to what a user runs is the API root, pointed
// at the fake by FINFOCUS_VANTAGE_BASE_URL.
func TestReadmeSnippetsPassCheckAndEnv(t *testing.T) {
	s := fakeAPI(t)
	config := readmeBlock(t, "## Config reference", "yaml good")
	pipeline := readmeBlock(t, "## In pipelines", "yaml good .github/workflows/costs.yml")
	cronjob := readmeBlock(t, "## Where FinFocus runs", "yaml good deploy/finfocus-costs.yaml")

	// The README's report identifier, served by the fake like its own.
	var cfg struct {
		Params struct {
			CostReportToken string `yaml:"cost_report_token"`
		} `yaml:"params"`
	}
	if err := yaml.Unmarshal([]byte(config), &cfg); err != nil || cfg.Params.CostReportToken == "" {
		t.Fatalf("config reference: %v (report %q)", err, cfg.Params.CostReportToken)
	}
	s.SetReport(cfg.Params.CostReportToken, apitest.Report{Title: "README", WorkspaceToken: apitest.WorkspaceToken, Rows: 40})

	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"deploy/vantage.yaml":             config,
		".github/workflows/costs.yml":     pipeline,
		"deploy/finfocus-costs.yaml":      cronjob,
		".gitignore":                      "costs.csv\n",
		"README.md":                       "costs\n",
		".github/workflows/unrelated.yml": "on: push\njobs: {}\n",
	})

	var wf struct {
		Jobs map[string]struct {
			Env   map[string]string `yaml:"env"`
			Steps []struct {
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(pipeline), &wf); err != nil {
		t.Fatalf("pipeline: %v", err)
	}
	job, ok := wf.Jobs["costs"]
	if !ok {
		t.Fatal("pipeline has no job costs")
	}
	env := []string{"FINFOCUS_VANTAGE_BASE_URL=" + s.URL}
	for k, v := range job.Env {
		if secretRef.MatchString(v) {
			v = apitest.ReadToken
		}
		env = append(env, k+"="+v)
	}
	ran := 0
	for _, step := range job.Steps {
		args := strings.Fields(step.Run)
		if len(args) == 0 || args[0] != "finfocus-vantage" {
			continue
		}
		ran++
		r := runCLI(t, dir, env, args[1:]...)
		noSecrets(t, r.stdout, r.stderr)
		if r.code != exitOK || strings.Contains(r.stdout, "error:") || strings.Contains(r.stdout, "warning:") {
			t.Fatalf("pipeline step %q: exit %d\n%s%s", step.Run, r.code, r.stdout, r.stderr)
		}
	}
	if ran != 2 {
		t.Fatalf("pipeline ran %d finfocus-vantage steps, want check and pull", ran)
	}
	if _, err := os.Stat(dir + "/costs.csv"); err != nil {
		t.Fatalf("pull wrote nothing: %v", err)
	}

	// The CronJob: each container's environment as Kubernetes builds it.
	type container struct {
		Name    string   `yaml:"name"`
		Args    []string `yaml:"args"`
		EnvFrom []struct {
			SecretRef struct {
				Name string `yaml:"name"`
			} `yaml:"secretRef"`
		} `yaml:"envFrom"`
		Env []struct {
			Name  string `yaml:"name"`
			Value string `yaml:"value"`
		} `yaml:"env"`
	}
	var cj struct {
		Spec struct {
			JobTemplate struct {
				Spec struct {
					Template struct {
						Spec struct {
							InitContainers []container `yaml:"initContainers"`
							Containers     []container `yaml:"containers"`
						} `yaml:"spec"`
					} `yaml:"template"`
				} `yaml:"spec"`
			} `yaml:"jobTemplate"`
		} `yaml:"spec"`
	}
	if err := yaml.Unmarshal([]byte(cronjob), &cj); err != nil {
		t.Fatalf("cronjob: %v", err)
	}
	pod := cj.Spec.JobTemplate.Spec.Template.Spec
	if len(pod.InitContainers) != 1 || len(pod.Containers) != 1 {
		t.Fatalf("cronjob: %d init containers, %d containers", len(pod.InitContainers), len(pod.Containers))
	}
	// The Secret the README tells users to create.
	secrets := map[string][]string{"finfocus-vantage": {"FINFOCUS_VANTAGE_TOKEN=" + apitest.ReadToken}}
	envOf := func(c container) []string {
		var e []string
		for _, from := range c.EnvFrom {
			e = append(e, secrets[from.SecretRef.Name]...)
		}
		for _, v := range c.Env {
			e = append(e, v.Name+"="+v.Value)
		}
		return e
	}
	init := pod.InitContainers[0]
	r := runCLI(t, dir, envOf(init), init.Args...)
	if r.code != exitOK || strings.Contains(r.stdout, "error:") || strings.Contains(r.stdout, "warning:") {
		t.Fatalf("init container %v: exit %d\n%s%s", init.Args, r.code, r.stdout, r.stderr)
	}
	// FinFocus's container gets what the plugin needs: the same check there.
	r = runCLI(t, dir, envOf(pod.Containers[0]), "check", "--env", "--only", "plugin-env")
	if r.code != exitOK || strings.Contains(r.stdout, "error:") || strings.Contains(r.stdout, "warning:") {
		t.Fatalf("FinFocus's container: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestReadmeProjectFileParses: the README's project file is one the tool
// accepts, with every setting it shows.
func TestReadmeProjectFileParses(t *testing.T) {
	src := readmeBlock(t, "## Project file", "yaml good .finfocus-vantage.yaml")
	f, err := project.Parse(project.Name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.FailOn != "warning" || f.PluginVersion != "v0.1.1" || len(f.Disable) != 1 || len(f.SkipPaths) != 2 {
		t.Errorf("parsed %+v", f)
	}
}
