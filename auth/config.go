package auth

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rshade/finfocus-vantage/lint"
	"github.com/rshade/finfocus-vantage/rules"
	"github.com/rshade/finfocus-vantage/vantage"
)

// Config is a plugin config read for a live check. A nil *Config means
// there is none: the token comes from the environment alone.
type Config struct {
	// File is the config as a lint file, for positions and snippets.
	File *lint.File
	// Model is the parsed config.
	Model *vantage.Config
	// Settings are its values with the plugin's defaults.
	Settings vantage.Settings
}

// Load reads and parses a plugin config. Its errors are the user's to fix
// (an unreadable file, invalid YAML).
func Load(path string) (*Config, error) {
	src, err := lint.ReadFile(path, true)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find the working directory: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", path, err)
	}
	f := lint.NewFile(lint.DisplayName(cwd, abs), src)
	f.Config, f.Kind = true, lint.KindYAML
	if y := f.YAML(); y.Err != nil {
		return nil, fmt.Errorf("%s: not valid YAML; run finfocus-vantage check --config %s for details", path, path)
	}
	return FromFile(f), nil
}

// FromFile makes a Config of a file a scan already parsed.
func FromFile(f *lint.File) *Config {
	m := vantage.FromAST(f.YAML().AST)
	return &Config{File: f, Model: m, Settings: m.Settings()}
}

// Configs returns the plugin configs among files a scan kept.
func Configs(files []*lint.File) []*Config {
	var out []*Config
	for _, f := range files {
		if m, ok := rules.ConfigOf(f); ok {
			out = append(out, &Config{File: f, Model: m, Settings: m.Settings()})
		}
	}
	return out
}

// DefaultSettings are used when there is no config: the plugin's defaults.
func DefaultSettings() vantage.Settings {
	return vantage.Settings{RequestTimeout: 60 * time.Second, MaxRetries: 5, PageSize: vantage.MaxPageSize, Granularity: "day", Costs: vantage.DefaultCostSettings}
}
