package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestGoReleaserConfig checks the release configuration's promises: every
// platform, static binaries, stripped and version-stamped, tar.gz archives
// with zip on Windows, and checksums. (.ci/goreleaser-check runs the real
// goreleaser on it too.)
func TestGoReleaserConfig(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Goos    []string `yaml:"goos"`
			Goarch  []string `yaml:"goarch"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
		Archives []struct {
			Formats         []string `yaml:"formats"`
			FormatOverrides []struct {
				Goos    string   `yaml:"goos"`
				Formats []string `yaml:"formats"`
			} `yaml:"format_overrides"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(src, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("config: %+v", cfg)
	}
	b := cfg.Builds[0]
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("no %s build", os)
		}
	}
	if !slices.Contains(b.Goarch, "amd64") || !slices.Contains(b.Goarch, "arm64") || !slices.Contains(b.Env, "CGO_ENABLED=0") || b.Main != "./cmd/finfocus-vantage" {
		t.Errorf("build: %+v", b)
	}
	ld := strings.Join(b.Ldflags, " ")
	if !strings.Contains(ld, "-s -w") || !strings.Contains(ld, "-X main.version={{ .Version }}") {
		t.Errorf("ldflags: %s", ld)
	}
	a := cfg.Archives[0]
	if !slices.Equal(a.Formats, []string{"tar.gz"}) || len(a.FormatOverrides) != 1 || a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives: %+v", a)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf("checksums: %q (action/install.sh downloads checksums.txt)", cfg.Checksum.NameTemplate)
	}
}

// TestReleaseLinksLittle guards the start-up budget of a one-file check
// (bench/init-budget.sh): Go runs the init of every linked package, so the
// release build (with the urfave_cli_no_docs tag its configuration sets)
// must not link urfave/cli's man-page generator, nor gitleaks' detector,
// sources and reports with the archive, file-type and template libraries
// they bring; the project's own detector reads gitleaks' configuration.
func TestReleaseLinksLittle(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "-tags=urfave_cli_no_docs") {
		t.Error(".goreleaser.yaml does not build with -tags=urfave_cli_no_docs")
	}
	cmd := exec.Command("go", "list", "-tags", "urfave_cli_no_docs", "-deps", "./cmd/finfocus-vantage")
	cmd.Dir = repoRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	for _, banned := range []string{
		"github.com/russross/blackfriday/v2",
		"github.com/cpuguy83/go-md2man/v2/md2man",
		"github.com/zricethezav/gitleaks/v8/detect",
		"github.com/zricethezav/gitleaks/v8/sources",
		"github.com/zricethezav/gitleaks/v8/report",
		"github.com/h2non/filetype",
		"github.com/Masterminds/sprig/v3",
		"github.com/mholt/archives",
	} {
		if slices.Contains(deps, banned) {
			t.Errorf("the release binary links %s", banned)
		}
	}
}
